import { beforeAll, describe, expect, it } from 'vitest'
import { callJson } from '../helpers/app'
import { mountTestRoutes, THROWERS } from '../helpers/test-routes'

beforeAll(mountTestRoutes)

describe('error envelope', () => {
  for (const status of Object.keys(THROWERS).map(Number)) {
    it(`maps a thrown ${status} to the envelope with the real status`, async () => {
      const { res, body } = await callJson(`/test/throw/${status}`)
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
    expect((await callJson('/test/throw/401')).res.headers.get('WWW-Authenticate')).toBe('Bearer')
    expect((await callJson('/test/throw/429')).res.headers.get('Retry-After')).toBe('7')
  })

  it('turns an unexpected error into a 500 that shows the cause outside production', async () => {
    const { res, body } = await callJson('/test/throw/999')
    expect(res.status).toBe(500)
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
      JWT_SECRET: 'x'.repeat(32),
      PASSWORD_PEPPER: 'y'.repeat(16),
    }
    const { res, body } = await callJson('/test/throw/999', {}, prod)
    expect(res.status).toBe(500)
    expect(body).toMatchObject({ code: 500, msg: 'Internal server error', data: null })
    expect(JSON.stringify(body)).not.toContain('boom')
  })

  it('answers an unknown route with a 404 envelope', async () => {
    const { res, body } = await callJson('/api/v1/no/such/route')
    expect(res.status).toBe(404)
    expect(body).toMatchObject({ code: 404, data: null })
    expect(body.msg).toContain('/api/v1/no/such/route')
  })

  it('answers a wrong method with 405 and Allow', async () => {
    const { res, body } = await callJson('/api/v1/health/ping', { method: 'DELETE' })
    expect(res.status).toBe(405)
    expect(body.code).toBe(405)
    expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('answers a 404 outside /api too', async () => {
    const { res, body } = await callJson('/nothing-here')
    expect(res.status).toBe(404)
    expect(body.code).toBe(404)
  })
})
