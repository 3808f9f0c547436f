import { describe, expect, it } from 'vitest'
import type { healthRoutes } from '../../../src/domains/health/routes'
import type { Overrides } from '../../helpers/app'
import { api, send } from '../../helpers/harness'

const ping = (overrides?: Overrides) => api<typeof healthRoutes>(undefined, { overrides }).health.ping.$get()

describe('secure headers and Server-Timing', () => {
  it('sets the REST-API hardening headers on API responses', async () => {
    const res = await ping()
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('Strict-Transport-Security')).toContain('max-age=')
    // `frame-ancestors 'none'` forbids framing; the legacy X-Frame-Options is left to pages.
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(res.headers.has('X-Frame-Options')).toBe(false)
    // The test config allows a CORS origin, so answers vary by Origin.
    expect(res.headers.get('Vary')).toBe('Origin')
  })

  it('says Vary: Origin only when CORS origins are configured', async () => {
    const res = await ping({ CORS_ALLOWED_ORIGINS: '' })
    expect(res.status).toBe(200)
    expect(res.headers.has('Vary')).toBe(false)
    expect((await send('GET', '/docs', { overrides: { CORS_ALLOWED_ORIGINS: '' } })).headers.has('Vary')).toBe(false)
  })

  it('sets the full document set on pages', async () => {
    const res = await send('GET', '/docs')
    // The legacy header says what the CSP says: no framing at all, not even by the same origin.
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('X-Frame-Options')).toBe('DENY')
    expect(res.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin')
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin')
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
    expect(res.headers.get('Vary')).toBe('Origin')
  })

  it('sets them on error responses too', async () => {
    const res = await send('GET', '/api/v1/nope')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
  })

  it('reports Server-Timing outside production', async () => {
    const res = await ping()
    expect(res.headers.get('Server-Timing')).toMatch(/total;dur=\d/)
  })

  it('reports Server-Timing in production only when SERVER_TIMING is on', async () => {
    const quiet = await ping({ ENVIRONMENT: 'production' })
    expect(quiet.status).toBe(200)
    expect(quiet.headers.has('Server-Timing')).toBe(false)
    const timed = await ping({ ENVIRONMENT: 'production', SERVER_TIMING: 'true' })
    expect(timed.headers.get('Server-Timing')).toMatch(/total;dur=\d/)
    const off = await ping({ SERVER_TIMING: 'false' })
    expect(off.headers.has('Server-Timing')).toBe(false)
  })
})
