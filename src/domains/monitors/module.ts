/** Monitors: online sessions, Redis and the cache. */
import { defineDomain } from '../module'
import { cacheMonitorRoutes } from './cache'
import { monitorsMessages } from './messages'
import { redisMonitorRoutes } from './redis'
import { monitorRoutes } from './routes.v1'

export const monitorsModule = defineDomain({
  name: 'monitors',
  routes: { v1: () => monitorRoutes().route('/', redisMonitorRoutes()).route('/', cacheMonitorRoutes()) },
  messages: monitorsMessages,
})
