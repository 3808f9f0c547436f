/** Login and operation logs. */
import { defineDomain } from '../module'
import { LOG_PERMS } from './perms'
import { logRoutes } from './routes.v1'
import * as schema from './schema'
import { LOG_TASKS } from './tasks'

export const logsModule = defineDomain({
  name: 'logs',
  routes: { v1: logRoutes },
  tables: schema,
  // Placed by name under fba's LoginLog menu (seeded by the menus domain), beside its delete and clear buttons.
  menus: [{ name: 'ViewLoginLog', title: '查看', parent: 'LoginLog', type: 2, perms: LOG_PERMS.loginList, display: 0 }],
  permissions: LOG_PERMS,
  tasks: LOG_TASKS,
})
