/**
 * CORS from the configured allowlist: credentials allowed (the refresh token is a cookie), so origins are echoed
 * exactly, never `*`. Headers the admin UI and API clients read are exposed.
 */

import type { Context } from 'hono'
import { cors as honoCors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../core/context'

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

/** Only cross-origin requests carry `Origin`; the rest skip CORS work entirely (`Vary: Origin` is always set). */
export const cors = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header('Origin') === undefined) return next()
  return allowlisted(c, next)
})
