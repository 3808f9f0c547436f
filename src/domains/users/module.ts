/** Users: accounts, profiles, passwords and their policy. */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { USER_CONSUMERS } from './consumers'
import { USER_EVENTS } from './events'
import { usersMessages } from './messages'
import { USER_PERMS } from './perms'
import * as schema from './schema'
import { userSeed } from './seed'

export const usersModule = defineDomain({
  name: 'users',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.userRoutes)) },
  tables: schema,
  seed: ({ db, passwordHashes }) => {
    const { users, userRoles } = userSeed(passwordHashes)
    return [
      ['sys_user', db.insert(schema.sysUser).values(users).onConflictDoNothing()],
      ['sys_user_role', db.insert(schema.sysUserRole).values(userRoles).onConflictDoNothing()],
    ]
  },
  permissions: USER_PERMS,
  messages: usersMessages,
  events: USER_EVENTS,
  consumers: USER_CONSUMERS,
})
