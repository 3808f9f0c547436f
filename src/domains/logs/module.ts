/** Login and operation logs. */
import { defineDomain } from '../module'
import { LOG_PERMS } from './perms'
import { logRoutes } from './routes.v1'
import * as schema from './schema'

export const logsModule = defineDomain({
  name: 'logs',
  routes: { v1: logRoutes },
  tables: schema,
  permissions: LOG_PERMS,
})
