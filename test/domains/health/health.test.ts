import { describe, expect, it } from 'vitest'
import { callJson } from '../../helpers/app'

type Health = {
  status: string
  checks: Record<'database' | 'redis' | 'qstash', { status: string; latency_ms: number | null; error?: string }>
}

describe('health', () => {
  it('ping answers without dependencies', async () => {
    const down = { TURSO_DATABASE_URL: 'http://127.0.0.1:9/', UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9' }
    const { res, body } = await callJson('/api/v1/health/ping', {}, down)
    expect(res.status).toBe(200)
    expect(body).toMatchObject({ code: 200, msg: 'Request success', data: { status: 'ok', api_version: 'v1' } })
  })

  it('reports every dependency up, with latencies, against the emulators', async () => {
    const { res, body } = await callJson('/api/v1/health')
    expect(res.status).toBe(200)
    const data = body.data as Health
    expect(data.status).toBe('ok')
    for (const check of Object.values(data.checks)) {
      expect(check.status).toBe('up')
      expect(check.latency_ms).toBeGreaterThanOrEqual(0)
    }
  })

  it('answers 503 naming the dependency that is down', async () => {
    const { res, body } = await callJson('/api/v1/health', {}, { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9' })
    expect(res.status).toBe(503)
    const data = body.data as Health
    expect(data.status).toBe('degraded')
    expect(data.checks.redis.status).toBe('down')
    expect(data.checks.redis.error).toBeTruthy()
    expect(data.checks.database.status).toBe('up')
  })

  it('reports services without configuration as not configured (not down)', async () => {
    const none = { TURSO_DATABASE_URL: undefined, UPSTASH_REDIS_REST_URL: undefined, QSTASH_TOKEN: undefined }
    const { res, body } = await callJson('/api/v1/health', {}, none)
    expect(res.status).toBe(200)
    const data = body.data as Health
    expect(Object.values(data.checks).map((c) => c.status)).toEqual([
      'not_configured',
      'not_configured',
      'not_configured',
    ])
  })
})
