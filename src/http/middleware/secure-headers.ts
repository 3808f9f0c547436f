/**
 * Secure headers on every response, precomputed once and seeded into each request's response headers. API responses
 * (`/api/*`, JSON) get the set OWASP lists for REST APIs — a document-less CSP that also forbids framing, HSTS,
 * nosniff — because every header costs time on the hot path and the document-only ones (referrer, cross-origin
 * policies) do nothing for JSON. Pages
 * get the full set; their CSP allows only same-origin scripts: the docs UI is served from the Worker's static assets
 * (no CDN), and its styles need inline style attributes. `Vary: Origin` when CORS origins are configured, because CORS
 * answers then differ by origin.
 */
import type { HeaderSet } from '../response-headers'

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

/**
 * Lower-case names: the sets seed each response's headers as shared templates (see http/response-headers.ts).
 * API responses: no `X-Frame-Options` — CSP `frame-ancestors 'none'` replaces it in every current browser, and a JSON
 * body is not a document to frame anyway. Pages keep it for browsers without CSP level 2, saying the same as their
 * CSP: `DENY` (`SAMEORIGIN` would let an old browser frame what `frame-ancestors 'none'` forbids).
 * The static files (`/assets`, `/vendor`) are served by the platform before the Worker runs: `public/_headers` gives
 * them the page set (test/views/pages.test.ts keeps the two equal).
 */
export const API_SECURE_HEADERS: HeaderSet = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
})

export const PAGE_SECURE_HEADERS: HeaderSet = Object.freeze({
  'content-security-policy': CSP,
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
  'origin-agent-cluster': '?1',
})

/** A base set and its variants naming each API version (one frozen record per version, so its template is reused). */
interface Variant {
  set: HeaderSet
  versions: Map<string, HeaderSet>
}

const variant = (set: HeaderSet): Variant => ({ set, versions: new Map() })
/** Responses vary by `Origin` only where CORS can answer differently: when origins are allowed. */
const withVary = (set: HeaderSet): HeaderSet => Object.freeze({ ...set, vary: 'Origin' })

const API = { plain: variant(API_SECURE_HEADERS), vary: variant(withVary(API_SECURE_HEADERS)) }
const PAGE = { plain: variant(PAGE_SECURE_HEADERS), vary: variant(withVary(PAGE_SECURE_HEADERS)) }
/** Versions come from URLs and headers: unknown ones get a fresh record once the memo is full. */
const MAX_VERSIONS = 16

export interface SecureHeaderOptions {
  /** The served API version (`X-API-Version`), once resolved. */
  version?: string | undefined
  /** Whether CORS origins are configured (`Vary: Origin`); until config is read, assume so. */
  cors?: boolean
}

/**
 * The headers every response to `path` starts from; the request-context middleware seeds each response with them
 * (http/response-headers.ts), first before config is read (an early error still gets them), then with the version.
 */
export function secureHeadersFor(path: string, options: SecureHeaderOptions = {}): HeaderSet {
  const kind = path.startsWith('/api/') ? API : PAGE
  const { set, versions } = options.cors === false ? kind.plain : kind.vary
  const version = options.version
  if (version === undefined) return set
  let found = versions.get(version)
  if (!found) {
    found = Object.freeze({ ...set, 'x-api-version': version })
    if (versions.size < MAX_VERSIONS) versions.set(version, found)
  }
  return found
}
