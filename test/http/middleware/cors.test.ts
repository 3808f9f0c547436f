import { describe, expect, it } from 'vitest'
import type { healthRoutes } from '../../../src/domains/health/routes'
import { api, send } from '../../helpers/harness'

const ALLOWED = 'https://admin.example.com' // from the test bindings in vitest.config.ts

/** `GET /health/ping` from a page on `origin` (a simple cross-origin request). */
const pingFrom = (origin: string) =>
  api<typeof healthRoutes>(undefined, { headers: { Origin: origin } }).health.ping.$get()

describe('CORS', () => {
  it('answers a preflight from an allowed origin', async () => {
    const res = await send('OPTIONS', '/api/v1/health', {
      headers: {
        Origin: ALLOWED,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED)
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBe('true')
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST')
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('authorization')
    expect(res.headers.get('Vary')).toContain('Origin')
  })

  it('exposes X-Request-ID on simple requests from an allowed origin', async () => {
    const res = await pingFrom(ALLOWED)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED)
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('X-Request-ID')
    // Hono's CORS and the secure set both say `Vary: Origin`; the response says it once.
    expect(res.headers.get('Vary')).toBe('Origin')
    // Headers written after the response exists still reach it (Hono copies it when CORS touched `c.res`).
    expect(res.headers.get('X-API-Version')).toBe('v1')
    expect(res.headers.get('Server-Timing')).toMatch(/total;dur=/)
  })

  it('grants nothing to a disallowed origin', async () => {
    const preflight = await send('OPTIONS', '/api/v1/health', {
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    })
    const granted = (res: { headers: Headers }) =>
      [...res.headers.keys()].filter((name) => name.startsWith('access-control-'))
    // Answered like any OPTIONS: no credentials, methods or headers described to an origin that is not trusted.
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Allow')).toContain('GET')
    expect(granted(preflight)).toEqual([])
    const simple = await pingFrom('https://evil.example')
    expect(simple.status).toBe(200)
    expect(granted(simple)).toEqual([])
    // The answer still depends on the origin, so caches must keep them apart.
    expect(simple.headers.get('Vary')).toBe('Origin')
  })
})
