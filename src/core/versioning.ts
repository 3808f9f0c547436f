/**
 * API versioning. The URL is the source of truth (`/api/v1/...`); `X-API-Version: v2` (or `Accept-Version: 2`) on
 * an unversioned `/api/...` request is an alias, folded into the path by Hono's `getPath` *before routing*, so both
 * forms reach the very same handler. Without a header the configured default version is used.
 */
import { getPath as honoGetPath } from 'hono/utils/url'
import { loadConfig } from './config'

/**
 * The version a URL names: `v2` for `/api/v2` or `/api/v2/...`, else undefined. A character scan rather than a
 * regular expression: it runs twice on every request (routing, then the context).
 */
export function urlVersion(path: string): string | undefined {
  if (!path.startsWith('/api/v')) return undefined
  let end = 6
  while (end < path.length) {
    const ch = path.charCodeAt(end)
    if (ch < 48 || ch > 57) break
    end++
  }
  if (end === 6 || (end < path.length && path.charCodeAt(end) !== 47)) return undefined
  return path.slice(5, end)
}

/**
 * The path below the version, as routes declare it: `/x` for `/api/v1/x`, and for `/api/x` too (a version given in
 * the header). Undefined outside `/api/`. The lookups made before routing (the body limit, the default rate limit's
 * exemptions) key their static paths by it. Routing folds a header version into the path first (`versionedPath`), so
 * `c.req.path` is normally the URL form; the header form is read the same way so that a caller holding the raw path
 * gets the same answer. A character scan, like `urlVersion`: it runs on every `/api` request.
 */
export function pathBelowVersion(path: string): string | undefined {
  const version = urlVersion(path)
  if (version !== undefined) return path.slice(version.length + 5)
  return path.startsWith('/api/') ? path.slice(4) : undefined
}

/** Whether a path is in the API (`/api` or below it): versioned, rate-limited by the default rule. */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/')
}

/** Segment used when a version header is present but malformed; routed to the "unsupported version" answer. */
export const INVALID_VERSION_SEGMENT = '_invalid'

/** The version a request asks for in its headers: `v2` for `v2`/`2`/`V2`, the invalid marker for junk, or undefined. */
export function headerVersion(headers: Headers): string | undefined {
  const raw = headers.get('x-api-version') ?? headers.get('accept-version')
  if (raw === null) return undefined
  const match = /^\s*v?(\d{1,3})\s*$/i.exec(raw)
  return match ? `v${Number(match[1])}` : INVALID_VERSION_SEGMENT
}

function defaultVersion(env: unknown): string {
  try {
    return loadConfig((env ?? {}) as object).API_DEFAULT_VERSION
  } catch {
    return 'v1' // invalid config is reported by the context middleware; routing must not throw
  }
}

/** Hono `getPath`: the path the router matches, with the header version folded into unversioned `/api` paths. */
export function versionedPath(request: Request, options?: { env?: unknown }): string {
  const path = honoGetPath(request)
  if (!isApiPath(path)) return path
  if (urlVersion(path)) return path
  const version = headerVersion(request.headers) ?? defaultVersion(options?.env)
  return `/api/${version}${path.slice(4)}`
}

/** The version a request was served as: from the URL, else the header, else the default. */
export function resolvedVersion(path: string, headers: Headers, fallback: string): string {
  const fromUrl = urlVersion(path)
  if (fromUrl) return fromUrl
  if (isApiPath(path)) return headerVersion(headers) ?? fallback
  return fallback
}

/** `Deprecation` (RFC 9745, `@<unix seconds>`) and `Sunset` (RFC 8594, HTTP-date) headers for a deprecated version. */
export function deprecationHeaders(info: { deprecated: string; sunset?: string | undefined }): Record<string, string> {
  const headers: Record<string, string> = { Deprecation: `@${Math.floor(Date.parse(info.deprecated) / 1000)}` }
  if (info.sunset) headers.Sunset = new Date(info.sunset).toUTCString()
  return headers
}

/** The API versions a route module may serve (the app serves those some module has routes for). */
export type ApiVersion = 'v1' | 'v2'
