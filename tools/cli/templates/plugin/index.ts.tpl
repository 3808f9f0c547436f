/**
 * The `__name__` plugin (scaffolded by `stratum plugin new __name__`): one table and one route under
 * `/api/v1/__kebab__`. See ./README.md and docs/plugins.md.
 */
import { definePlugin } from '../types'
import { __camel__Routes } from './routes.v1'
import { __table_var__ } from './schema'

export const __camel__Plugin = definePlugin({
  name: '__name__',
  version: '0.1.0',
  summary: '__title__',
  description: 'The __name__ plugin.',
  author: 'Stratum',
  tags: ['other'],
  kind: 'app',
  routes: { v1: __camel__Routes },
  tables: { __table_var__ },
})

export default __camel__Plugin
