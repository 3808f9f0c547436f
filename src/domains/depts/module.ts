/** Departments: a tree, the owner of users and of data-permission `dept_id` rules. */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { DEPT_EVENTS } from './events'
import { deptsMessages } from './messages'
import { DEPT_PERMS } from './perms'
import * as schema from './schema'
import { DEPT_SEED } from './seed'

export const deptsModule = defineDomain({
  name: 'depts',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.deptRoutes)) },
  tables: schema,
  seed: ({ db }) => [
    [
      'sys_dept',
      db
        .insert(schema.sysDept)
        .values([...DEPT_SEED])
        .onConflictDoNothing(),
    ],
  ],
  permissions: DEPT_PERMS,
  messages: deptsMessages,
  events: DEPT_EVENTS,
})
