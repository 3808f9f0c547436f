/** Login and operation logs. */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { operaLogDeferred, writeDeferredOperaLog } from './opera-deferred'
import { LOG_PERMS } from './perms'
import * as schema from './schema'
import { LOG_TASKS } from './tasks'

export const logsModule = defineDomain({
  name: 'logs',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.logRoutes)) },
  tables: schema,
  // Placed by name under fba's LoginLog and OperaLog menus (seeded by the menus domain), beside their delete and clear
  // buttons.
  menus: [
    { name: 'ViewLoginLog', title: '查看', parent: 'LoginLog', type: 2, perms: LOG_PERMS.loginList, display: 0 },
    { name: 'ViewOperaLog', title: '查看', parent: 'OperaLog', type: 2, perms: LOG_PERMS.operaList, display: 0 },
  ],
  permissions: LOG_PERMS,
  tasks: LOG_TASKS,
  events: [operaLogDeferred],
  consumers: [writeDeferredOperaLog],
})
