/**
 * The `code_generator` plugin (fba's `code_generator`): turns a table into a Stratum domain module with its test —
 * businesses and model columns, the database's tables, import, preview, paths, ZIP download and (in development)
 * writing into the checkout. The generator itself is pure (./core, docs/codegen.md); `stratum gen` uses the same.
 * See ./README.md.
 */
import { lazyRoutes } from '../../http/lazy-routes'
import { definePlugin } from '../types'
import { codeGeneratorMessages } from './messages'
import { genBusiness, genColumn } from './schema'
import { CODEGEN_MENUS } from './seed'
import { codegenSettingsSchema } from './settings'

export const codeGeneratorPlugin = definePlugin({
  name: 'code_generator',
  version: '0.1.1',
  summary: 'Code generator',
  description: 'Generates a domain module (schema, repository, service, DTOs, routes, menus, test) from a table.',
  author: 'Stratum',
  tags: ['other'],
  kind: 'app',
  messages: codeGeneratorMessages,
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.codeGeneratorRoutes)) },
  tables: { genBusiness, genColumn },
  menus: CODEGEN_MENUS,
  settings: codegenSettingsSchema,
})

export default codeGeneratorPlugin
