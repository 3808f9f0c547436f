import { beforeAll, describe, expect, it } from 'vitest'
import { failure, send } from '../helpers/harness'
import { expectLogs } from '../helpers/logs'
import { mountTestRoutes, THROWERS } from '../helpers/test-routes'

beforeAll(mountTestRoutes)

/** `GET /test/throw/<status>` (a route that exists only in tests): its response and its parsed error envelope. */
async function thrown(status: number | string, overrides?: Record<string, unknown>) {
  // Every 5xx is logged as a failed request; these are thrown on purpose.
  expectLogs({ msg: 'request failed' })
  const res = await send('GET', `/test/throw/${status}`, { overrides })
  const raw = await res.clone().text()
  return { res, raw, ...(await failure(res)) }
}

describe('error envelope', () => {
  for (const status of Object.keys(THROWERS).map(Number)) {
    it(`maps a thrown ${status} to the envelope with the real status`, async () => {
      const { res, body } = await thrown(status)
      expect(res.status).toBe(status)
      expect(body.code).toBe(status)
      expect(typeof body.msg).toBe('string')
      expect(body.msg.length).toBeGreaterThan(0)
      expect(body).toHaveProperty('data')
      expect(body.trace_id).toBe(res.headers.get('X-Request-ID'))
      expect(res.headers.get('content-type')).toContain('application/json')
    })
  }

  it('keeps error-specific headers (WWW-Authenticate, Retry-After)', async () => {
    expect((await thrown(401)).res.headers.get('WWW-Authenticate')).toBe('Bearer')
    expect((await thrown(429)).res.headers.get('Retry-After')).toBe('7')
  })

  it('turns an unexpected error into a 500 that shows the cause outside production', async () => {
    const { status, body } = await thrown(999)
    expect(status).toBe(500)
    expect(body.msg).toBe('Internal server error')
    expect(body.data).toEqual({ error: 'boom: a plain error with internals' })
  })

  it('hides internals of 5xx bodies in production', async () => {
    const prod = {
      ENVIRONMENT: 'production',
      TURSO_DATABASE_URL: 'http://127.0.0.1:9/',
      UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9',
      UPSTASH_REDIS_REST_TOKEN: 'x',
      QSTASH_TOKEN: 'x',
      QSTASH_CURRENT_SIGNING_KEY: 'x',
      QSTASH_NEXT_SIGNING_KEY: 'x',
      PUBLIC_URL: 'https://api.example.com',
      JWT_SECRET: 'x'.repeat(32),
      PASSWORD_PEPPER: 'y'.repeat(16),
    }
    const { status, body, raw } = await thrown(999, prod)
    expect(status).toBe(500)
    expect(body).toMatchObject({ code: 500, msg: 'Internal server error', data: null })
    // The whole body as sent, not only the envelope's fields.
    expect(raw).not.toContain('boom')
  })

  it('answers an unknown route with a 404 envelope', async () => {
    const { status, body } = await failure(send('GET', '/api/v1/no/such/route'))
    expect(status).toBe(404)
    expect(body).toMatchObject({ code: 404, data: null })
    expect(body.msg).toContain('/api/v1/no/such/route')
  })

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await send('DELETE', '/api/v1/health/ping')
    expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
    const { status, body } = await failure(res)
    expect(status).toBe(405)
    expect(body.code).toBe(405)
  })

  it('answers a 404 outside /api too', async () => {
    const { status, body } = await failure(send('GET', '/nothing-here'))
    expect(status).toBe(404)
    expect(body.code).toBe(404)
  })
})
