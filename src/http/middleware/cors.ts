/**
 * CORS from the configured allowlist: credentials allowed (the refresh token is a cookie), so origins are echoed
 * exactly, never `*`. Headers the admin UI and API clients read are exposed. Origins not on the list get nothing.
 */

import type { Context, Next } from 'hono'
import { cors as honoCors } from 'hono/cors'
import type { AppEnv } from '../context'

export const EXPOSED_HEADERS = [
  'X-Request-ID',
  'X-API-Version',
  'Deprecation',
  'Sunset',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Server-Timing',
]

const allowlisted = honoCors({
  origin: (origin, c: Context<AppEnv>) => (c.get('config').CORS_ALLOWED_ORIGINS.includes(origin) ? origin : null),
  credentials: true,
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type', 'Accept-Language', 'X-Request-ID', 'X-API-Version', 'Accept-Version'],
  exposeHeaders: EXPOSED_HEADERS,
  maxAge: 600,
})

/** Only cross-origin requests carry `Origin`; the rest skip CORS work entirely. */
export function isCrossOrigin(c: Context<AppEnv>): boolean {
  return c.req.raw.headers.get('origin') !== null
}

/**
 * CORS for a cross-origin request (`isCrossOrigin`). An origin outside `CORS_ALLOWED_ORIGINS` gets no CORS header at
 * all: its preflight is answered like any `OPTIONS` (204 + `Allow`), without `Access-Control-Allow-Credentials`,
 * `-Methods` or `-Headers` that would describe the API to a page it does not trust (the browser then refuses).
 */
export async function withCors(c: Context<AppEnv>, next: Next): Promise<void> {
  const origin = c.req.raw.headers.get('origin')
  if (origin === null || !c.get('config').CORS_ALLOWED_ORIGINS.includes(origin)) return next()
  // A preflight is answered by the CORS middleware itself: as a step (not a layer), its response is set here.
  const preflight = await allowlisted(c, next)
  if (preflight instanceof Response) c.res = preflight
  // Hono's CORS appends `Vary: Origin` to the secure set's own: say it once.
  const vary = c.res.headers.get('Vary')
  if (vary?.includes(',')) c.header('Vary', [...new Set(vary.split(/\s*,\s*/))].join(', '))
}
