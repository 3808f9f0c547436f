/**
 * Health endpoints. Mounted in every API version: `ping` has no dependencies (liveness); `health` probes the
 * database, Redis and QStash (readiness) and answers 503 when one is down.
 */
import { isProduction } from '../../core/config'
import { isoNow } from '../../core/datetime'
import { envelopeOf } from '../../core/envelope'
import { t } from '../../core/i18n'
import { defineRoute, jsonEnvelope } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { HealthSchema, PingSchema } from './dto'
import { checkDependencies } from './service'

const ping = defineRoute({
  method: 'get',
  path: '/health/ping',
  tags: ['Health'],
  summary: 'Liveness: answers without touching any dependency',
  access: 'public',
  // Not counted by the default rate limit either: a stalled Redis must not make the process look dead.
  dependencies: 'none',
  responses: { 200: jsonEnvelope(PingSchema, 'The API is up') },
})

const health = defineRoute({
  method: 'get',
  path: '/health',
  tags: ['Health'],
  summary: 'Readiness: probes the database, Redis and QStash with latencies',
  access: 'public',
  errors: [503],
  responses: {
    200: jsonEnvelope(HealthSchema, 'Every configured dependency answers'),
    503: { description: 'A dependency is down', content: { 'application/json': { schema: envelopeOf(HealthSchema) } } },
  },
})

export function healthRoutes() {
  return createRouter()
    .openapi(ping, (c) => ok(c, { status: 'ok' as const, api_version: c.get('apiVersion'), time: isoNow() }))
    .openapi(health, async (c) => {
      const { healthy, checks } = await checkDependencies(c.get('services'), !isProduction(c.get('config')))
      const data = {
        status: healthy ? ('ok' as const) : ('degraded' as const),
        api_version: c.get('apiVersion'),
        checks,
      }
      if (healthy) return ok(c, data)
      const retryAfter = String(c.get('config').UNAVAILABLE_RETRY_AFTER_SECONDS)
      return c.json({ code: 503, msg: t(c.get('lang'), 'health.degraded'), data }, 503, { 'Retry-After': retryAfter })
    })
}
