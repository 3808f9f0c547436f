/** Menus and buttons: the admin UI's sidebar and the carriers of permission codes. */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { MENU_EVENTS } from './events'
import { menusMessages } from './messages'
import { MENU_PERMS } from './perms'
import * as schema from './schema'
import { MENU_SEED } from './seed'

export const menusModule = defineDomain({
  name: 'menus',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.menuRoutes)) },
  tables: schema,
  seed: ({ db }) => [
    [
      'sys_menu',
      db
        .insert(schema.sysMenu)
        .values([...MENU_SEED])
        .onConflictDoNothing(),
    ],
  ],
  permissions: MENU_PERMS,
  messages: menusMessages,
  events: MENU_EVENTS,
})
