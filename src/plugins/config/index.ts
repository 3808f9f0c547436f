/**
 * The `config` plugin (fba's `config`): key/value parameters under `/api/v1/sys/configs`, and the database side of
 * the core's login and user-security settings (`settingsProvider`, see ./settings.ts). See ./README.md.
 */
import { lazyRoutes } from '../../http/lazy-routes'
import { definePlugin } from '../types'
import { CONFIG_EVENTS } from './events'
import { configMessages } from './messages'
import { CONFIG_PERMS } from './perms'
import { sysConfig } from './schema'
import { configSeed } from './seed'
import { configSettingsProvider } from './settings'

const MENU = 'PluginConfig'

const button = (title: string, name: string, perms: string) =>
  ({ name, title, parent: MENU, type: 2, sort: 0, perms, display: 0 }) as const

export const configPlugin = definePlugin({
  name: 'config',
  version: '0.0.2',
  summary: 'Parameter configs',
  description:
    'Key/value parameters managed from the admin UI; the LOGIN and USER_SECURITY groups override the login and ' +
    'user-security settings (captcha, lockout, password policy) on the next request.',
  author: 'Stratum',
  tags: ['other'],
  kind: 'extend',
  extends: 'admin',
  messages: configMessages,
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.configRoutes)) },
  tables: { sysConfig },
  menus: [
    {
      name: MENU,
      title: 'config.menu',
      parent: 'System',
      path: '/plugins/config',
      component: '/plugins/config/views/index',
      icon: 'codicon:symbol-parameter',
      type: 1,
      sort: 7,
      perms: null,
      display: 1,
    },
    button('查看', 'ViewConfig', CONFIG_PERMS.list),
    button('新增', 'AddConfig', CONFIG_PERMS.add),
    button('修改', 'EditConfig', CONFIG_PERMS.edit),
    button('删除', 'DeleteConfig', CONFIG_PERMS.delete),
  ],
  seed: configSeed,
  settingsProvider: configSettingsProvider,
  events: CONFIG_EVENTS,
})

export default configPlugin
