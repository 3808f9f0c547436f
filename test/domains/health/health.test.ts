import { describe, expect, it } from 'vitest'
import type { healthRoutes } from '../../../src/domains/health/routes'
import { answer, api } from '../../helpers/harness'
import { expectLogs } from '../../helpers/logs'

const health = (overrides?: Record<string, unknown>) => api<typeof healthRoutes>(undefined, { overrides }).health

describe('health', () => {
  it('ping answers without dependencies', async () => {
    const down = { TURSO_DATABASE_URL: 'http://127.0.0.1:9/', UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9' }
    const { status, body } = await answer(health(down).ping.$get())
    expect(status).toBe(200)
    expect(body).toMatchObject({ code: 200, msg: 'Request success', data: { status: 'ok', api_version: 'v1' } })
  })

  it('reports every dependency up, with latencies, against the emulators', async () => {
    const { status, data } = await answer(health().$get())
    expect(status).toBe(200)
    expect(data.status).toBe('ok')
    for (const check of Object.values(data.checks)) {
      expect(check.status).toBe('up')
      expect(check.latency_ms).toBeGreaterThanOrEqual(0)
    }
  })

  it('answers 503 naming the dependency that is down', async () => {
    // The rate limiter cannot count either; it lets the probe through.
    expectLogs({ msg: 'rate limit check failed; request let through' })
    const { status, data } = await answer(health({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9' }).$get())
    expect(status).toBe(503)
    expect(data.status).toBe('degraded')
    expect(data.checks.redis.status).toBe('down')
    expect(data.checks.redis.error).toBeTruthy()
    expect(data.checks.database.status).toBe('up')
  })

  it('reports services without configuration as not configured (not down)', async () => {
    const none = { TURSO_DATABASE_URL: undefined, UPSTASH_REDIS_REST_URL: undefined, QSTASH_TOKEN: undefined }
    const { status, data } = await answer(health(none).$get())
    expect(status).toBe(200)
    expect(Object.values(data.checks).map((c) => c.status)).toEqual([
      'not_configured',
      'not_configured',
      'not_configured',
    ])
  })
})
