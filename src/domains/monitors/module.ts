/** Monitors: online sessions, Redis, the cache and the server. */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { monitorsMessages } from './messages'
import { MONITOR_PERMS } from './perms'

/** A read permission as a button under one of fba's monitor menus (placed by name; the menus domain seeds those). */
const button = (name: string, title: string, parent: string, perms: string) =>
  ({ name, title, parent, type: 2, perms, display: 0 }) as const

export const monitorsModule = defineDomain({
  name: 'monitors',
  routes: {
    v1: lazyRoutes(async () => {
      const [{ monitorRoutes }, { redisMonitorRoutes }, { cacheMonitorRoutes }, { serverMonitorRoutes }] =
        await Promise.all([import('./routes.v1'), import('./redis'), import('./cache'), import('./server')])
      return () =>
        monitorRoutes()
          .route('/', redisMonitorRoutes())
          .route('/', cacheMonitorRoutes())
          .route('/', serverMonitorRoutes())
    }),
  },
  // The cache and rate-limit views have no page of their own: both live in Redis, so they sit under its menu.
  menus: [
    button('ViewOnline', '查看', 'Online', MONITOR_PERMS.online),
    button('ViewRedis', '查看', 'Redis', MONITOR_PERMS.redis),
    button('ViewCacheStats', '查看缓存统计', 'Redis', MONITOR_PERMS.cache),
    button('ViewRateLimit', '查看限流状态', 'Redis', MONITOR_PERMS.rateLimits),
    button('ViewServer', '查看', 'Server', MONITOR_PERMS.server),
  ],
  permissions: MONITOR_PERMS,
  messages: monitorsMessages,
})
