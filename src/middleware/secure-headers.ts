/**
 * Secure headers on every response, precomputed once (this runs on every request). API responses (`/api/*`, JSON)
 * get the set OWASP lists for REST APIs — a document-less CSP, HSTS, nosniff, no framing — because every header
 * costs time on the hot path and the document-only ones (referrer, cross-origin policies) do nothing for JSON. Pages
 * get the full set; their CSP allows only same-origin scripts: the docs UI is served from the Worker's static assets
 * (no CDN), and its styles need inline style attributes. `Vary: Origin` because CORS answers differ by origin.
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../core/context'

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
].join('; ')

type HeaderList = readonly (readonly [string, string])[]

export const API_SECURE_HEADERS: HeaderList = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Vary', 'Origin'],
]

export const PAGE_SECURE_HEADERS: HeaderList = [
  ['Content-Security-Policy', CSP],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['Origin-Agent-Cluster', '?1'],
  ['Vary', 'Origin'],
]

export const secureHeaders = createMiddleware<AppEnv>(async (c, next) => {
  const headers = c.req.path.startsWith('/api/') ? API_SECURE_HEADERS : PAGE_SECURE_HEADERS
  for (const [name, value] of headers) c.header(name, value)
  await next()
})
