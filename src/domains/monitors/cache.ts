/**
 * `GET /monitors/cache`: hit/miss counters of the two-level cache per namespace. Counters live in isolate memory
 * (counting in Redis would cost a write per read), so they describe the isolate that answers — enough to see whether
 * a namespace is being served from L1, from Redis, or reloaded.
 */

import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { isolateStore } from '../../infra/cache'
import { MONITOR_PERMS } from './perms'

const CacheStatsSchema = z
  .object({
    scope: z.literal('isolate'),
    namespaces: z.record(
      z.string(),
      z.object({ hits: z.number().int(), l1_hits: z.number().int(), misses: z.number().int() }),
    ),
  })
  .openapi('CacheStats')

const stats = defineRoute({
  method: 'get',
  path: '/monitors/cache',
  tags: ['Monitors'],
  summary: 'Cache hits and misses per namespace (this isolate)',
  access: { permission: MONITOR_PERMS.cache },
  sensitive: true,
  responses: { 200: jsonEnvelope(CacheStatsSchema, 'Cache statistics') },
})

export function cacheMonitorRoutes() {
  return createRouter().openapi(stats, (c) => {
    const namespaces = Object.fromEntries(
      Object.entries(isolateStore.snapshot()).map(([name, s]) => [
        name,
        { hits: s.hits, l1_hits: s.l1Hits, misses: s.misses },
      ]),
    )
    return ok(c, { scope: 'isolate' as const, namespaces })
  })
}
