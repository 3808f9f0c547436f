/** Departments: a tree, the owner of users and of data-permission `dept_id` rules. */
import { defineDomain } from '../module'
import { DEPT_EVENTS } from './events'
import { deptsMessages } from './messages'
import { DEPT_PERMS } from './perms'
import { deptRoutes } from './routes.v1'
import * as schema from './schema'
import { DEPT_SEED } from './seed'

export const deptsModule = defineDomain({
  name: 'depts',
  routes: { v1: deptRoutes },
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
