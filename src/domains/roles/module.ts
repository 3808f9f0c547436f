/** Roles: the holders of menus (permission codes) and data scopes. */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { ROLE_EVENTS } from './events'
import { rolesMessages } from './messages'
import { ROLE_PERMS } from './perms'
import * as schema from './schema'
import { ROLE_DATA_SCOPE_SEED, ROLE_MENU_SEED, ROLE_SEED } from './seed'

export const rolesModule = defineDomain({
  name: 'roles',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.roleRoutes)) },
  tables: schema,
  seed: ({ db }) => [
    [
      'sys_role',
      db
        .insert(schema.sysRole)
        .values([...ROLE_SEED])
        .onConflictDoNothing(),
    ],
    [
      'sys_role_menu',
      db
        .insert(schema.sysRoleMenu)
        .values([...ROLE_MENU_SEED])
        .onConflictDoNothing(),
    ],
    [
      'sys_role_data_scope',
      db
        .insert(schema.sysRoleDataScope)
        .values([...ROLE_DATA_SCOPE_SEED])
        .onConflictDoNothing(),
    ],
  ],
  permissions: ROLE_PERMS,
  messages: rolesMessages,
  events: ROLE_EVENTS,
})
