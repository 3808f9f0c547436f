import { describe, expect, it } from 'vitest'
import type { healthRoutes } from '../../../src/domains/health/routes'
import { api, failure, send } from '../../helpers/harness'

const demo = { DEMO_MODE: 'true', DEMO_MODE_ALLOWLIST: 'POST /api/v1/auth/login' }

describe('demo mode', () => {
  it('lets GET and OPTIONS through', async () => {
    expect((await api<typeof healthRoutes>(undefined, { overrides: demo }).health.ping.$get()).status).toBe(200)
    expect((await send('OPTIONS', '/api/v1/health/ping', { overrides: demo })).status).toBeLessThan(400)
  })

  it('refuses writes with 403 in the envelope', async () => {
    const { status, body } = await failure(send('POST', '/api/v1/health/ping', { overrides: demo }))
    expect(status).toBe(403)
    expect(body.msg).toBe('This operation is not allowed in the demo environment')
  })

  it('lets allowlisted writes through (they reach routing)', async () => {
    // No body on purpose: whatever the login route answers, it is not the demo-mode refusal.
    const res = await send('POST', '/api/v1/auth/login', { overrides: demo })
    expect(res.status).not.toBe(403)
  })

  it('is off by default', async () => {
    const { status } = await failure(send('POST', '/api/v1/health/ping'))
    expect(status).toBe(405)
  })
})
