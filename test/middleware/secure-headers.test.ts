import { describe, expect, it } from 'vitest'
import { call } from '../helpers/app'

describe('secure headers and Server-Timing', () => {
  it('sets the REST-API hardening headers on API responses', async () => {
    const res = await call('/api/v1/health/ping')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('X-Frame-Options')).toBe('DENY')
    expect(res.headers.get('Strict-Transport-Security')).toContain('max-age=')
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(res.headers.get('Vary')).toContain('Origin')
  })

  it('sets the full document set on pages', async () => {
    const res = await call('/docs')
    expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN')
    expect(res.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin')
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin')
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
  })

  it('sets them on error responses too', async () => {
    const res = await call('/api/v1/nope')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
  })

  it('reports Server-Timing', async () => {
    const res = await call('/api/v1/health/ping')
    expect(res.headers.get('Server-Timing')).toMatch(/total;dur=\d/)
  })
})
