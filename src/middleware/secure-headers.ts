/**
 * Secure headers on every response, precomputed once and seeded into each request's response headers. API responses (`/api/*`, JSON)
 * get the set OWASP lists for REST APIs — a document-less CSP, HSTS, nosniff, no framing — because every header
 * costs time on the hot path and the document-only ones (referrer, cross-origin policies) do nothing for JSON. Pages
 * get the full set; their CSP allows only same-origin scripts: the docs UI is served from the Worker's static assets
 * (no CDN), and its styles need inline style attributes. `Vary: Origin` because CORS answers differ by origin.
 */
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

type HeaderSet = Readonly<Record<string, string>>

/** Lower-case names: the record is handed to the Response as is (see core/response-headers.ts). */
export const API_SECURE_HEADERS: HeaderSet = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  vary: 'Origin',
})

export const PAGE_SECURE_HEADERS: HeaderSet = Object.freeze({
  'content-security-policy': CSP,
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
  'origin-agent-cluster': '?1',
  vary: 'Origin',
})

/** The secure sets with `x-api-version`, one frozen record per version so its `Headers` template is reused. */
const VERSIONED = new Map<HeaderSet, Map<string, HeaderSet>>([
  [API_SECURE_HEADERS, new Map()],
  [PAGE_SECURE_HEADERS, new Map()],
])
/** Versions come from URLs and headers: unknown ones get a fresh record once the memo is full. */
const MAX_VERSIONS = 16

/**
 * The secure set for a request path, naming the API version once it is resolved; the request-context middleware
 * seeds every response's headers with it (core/response-headers.ts).
 */
export function secureHeadersFor(path: string, version?: string): HeaderSet {
  const set = path.startsWith('/api/') ? API_SECURE_HEADERS : PAGE_SECURE_HEADERS
  if (version === undefined) return set
  const byVersion = VERSIONED.get(set) as Map<string, HeaderSet>
  let found = byVersion.get(version)
  if (!found) {
    found = Object.freeze({ ...set, 'x-api-version': version })
    if (byVersion.size < MAX_VERSIONS) byVersion.set(version, found)
  }
  return found
}
