/**
 * The `oauth2` plugin (fba's `oauth2`): sign-in with GitHub and Google (authorization code + PKCE through `arctic`),
 * and binding those accounts to a signed-in user (`sys_user_social`). Routes under `/api/v1/oauth2`. Every provider
 * URL is a setting, so both point at the local OAuth2 stand-in in dev and tests. See ./README.md and docs/oauth2.md.
 */
import { lazyRoutes } from '../../http/lazy-routes'
import { definePlugin } from '../types'
import { oauth2Messages } from './messages'
import { sysUserSocial } from './schema'
import { oauth2SettingsSchema } from './settings'

export const oauth2Plugin = definePlugin({
  name: 'oauth2',
  version: '0.0.11',
  summary: 'OAuth2 sign-in',
  description: 'Sign-in with GitHub and Google, and binding those accounts to existing users.',
  author: 'Stratum',
  tags: ['auth'],
  kind: 'app',
  messages: oauth2Messages,
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.oauth2Routes)) },
  tables: { sysUserSocial },
  settings: oauth2SettingsSchema,
})

export default oauth2Plugin
