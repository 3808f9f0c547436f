import { describe, expect, it } from 'vitest'
import { call, callJson } from '../../helpers/app'

const demo = { DEMO_MODE: 'true', DEMO_MODE_ALLOWLIST: 'POST /api/v1/auth/login' }

describe('demo mode', () => {
  it('lets GET and OPTIONS through', async () => {
    expect((await call('/api/v1/health/ping', {}, demo)).status).toBe(200)
    expect((await call('/api/v1/health/ping', { method: 'OPTIONS' }, demo)).status).toBeLessThan(400)
  })

  it('refuses writes with 403 in the envelope', async () => {
    const { res, body } = await callJson('/api/v1/health/ping', { method: 'POST' }, demo)
    expect(res.status).toBe(403)
    expect(body.msg).toBe('This operation is not allowed in the demo environment')
  })

  it('lets allowlisted writes through (they reach routing)', async () => {
    const { res } = await callJson('/api/v1/auth/login', { method: 'POST' }, demo)
    expect(res.status).not.toBe(403)
  })

  it('is off by default', async () => {
    const { res } = await callJson('/api/v1/health/ping', { method: 'POST' })
    expect(res.status).toBe(405)
  })
})
