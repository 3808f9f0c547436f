/** Liveness and dependency health, in every API version. */
import { defineDomain } from '../module'
import { healthMessages } from './messages'
import { healthRoutes } from './routes'

export const healthModule = defineDomain({
  name: 'health',
  routes: { v1: healthRoutes, v2: healthRoutes },
  messages: healthMessages,
})
