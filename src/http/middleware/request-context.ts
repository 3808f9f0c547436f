/**
 * The first step of every request (middleware/pipeline.ts), wrapping its whole life.
 * Before: the response headers (http/response-headers.ts: trace id, the secure set, version), trace id, language,
 * config, logger, services and the resolved API version — everything later code reads from the context (`c.get()`:
 * `c.var` copies every variable on each access, too slow for the hot path). The trace id and language are set before
 * config is loaded, so even a config error is answered in the envelope with a trace id.
 * Headers: `X-API-Version` (+ `Deprecation`/`Sunset` for deprecated versions), `Server-Timing` (config `SERVER_TIMING`).
 * After: a response built without the record gets its headers, and one structured access line (method, path, status,
 * duration, trace id, user id when known).
 */
import type { Context, Next } from 'hono'
import { loadConfig, serverTimingOn } from '../../core/config'
import { negotiateLanguage } from '../../core/i18n'
import { Logger } from '../../core/logging'
import { TRACE_HEADER, traceIdFrom } from '../../core/trace'
import { deprecationHeaders, resolvedVersion } from '../../core/versioning'
import { countRequest } from '../../infra/server-probe'
import { createServices, type ServiceFactories } from '../../infra/services'
import type { AccessCheck } from '../access'
import type { AppEnv } from '../context'
import { ResponseHeaders } from '../response-headers'
import { secureHeadersFor } from './secure-headers'

/** `startedAt`: when the request started, read only if the access line or `Server-Timing` needs it. */
function finish(c: Context<AppEnv>, headers: ResponseHeaders, startedAt: number): void {
  const version = c.get('apiVersion')
  // Without a version the config failed to load before the version was resolved (else the base set names it).
  if (version === undefined) headers.write('x-api-version', 'unknown')
  headers.finish()
  const logger = c.get('logger')
  // Without a logger the config failed to load; the error handler has logged that already.
  if (logger?.enabled('info')) {
    logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - startedAt) * 100) / 100,
      api_version: version,
      user_id: c.get('userId') ?? null,
    })
  }
}

export interface RequestContextOptions {
  /**
   * Runs once config and services are set, before the rest of the chain: per-app additions to the context, e.g. the
   * plugins' settings provider (plugins/settings.ts). Must not do I/O (it runs on every request).
   */
  extend?: ((c: Context<AppEnv>) => void) | undefined
  /**
   * Runs once the route has answered (or failed), before the access line: per-app follow-ups that must not delay the
   * response, e.g. publishing the events the request committed (they go to `waitUntil`). Must not do I/O itself.
   */
  after?: ((c: Context<AppEnv>) => void) | undefined
  /** How this host builds its clients (default: as in Workers). */
  services?: ServiceFactories | undefined
  /** How non-public routes are checked (http/access.ts); the app passes the auth domain's check. */
  checkAccess?: AccessCheck | undefined
}

/**
 * Sets up the request's context, runs `steps` (the rest of the pipeline, which calls `next`), then finishes the
 * response and writes the access line.
 */
export async function withRequestContext(
  c: Context<AppEnv>,
  next: Next,
  options: RequestContextOptions,
  steps: (c: Context<AppEnv>, next: Next) => Promise<void>,
): Promise<void> {
  // The isolate's request count and age, for the server monitor (infra/server-probe.ts).
  countRequest()
  const traceId = traceIdFrom(c.req.header(TRACE_HEADER))
  const path = c.req.path
  const headers = new ResponseHeaders(secureHeadersFor(path))
  headers.write(TRACE_HEADER, traceId)
  // Hono helpers and libraries (cookies, CORS) write through `c.header()`.
  headers.adopt(c)
  c.set('responseHeaders', headers)
  c.set('traceId', traceId)
  c.set('lang', negotiateLanguage(c.req.header('accept-language')))
  let startedAt = 0
  try {
    const config = loadConfig(c.env ?? {})
    c.set('config', config)
    const logger = new Logger({ trace_id: traceId }, config.LOG_LEVEL)
    c.set('logger', logger)
    // A clock read costs as much as a cheap request's routing: only when something reports the duration.
    const timing = serverTimingOn(config)
    if (timing || logger.enabled('info')) startedAt = performance.now()
    if (timing) headers.timeFrom(startedAt)
    c.set('services', createServices(config, options.services))
    const version = resolvedVersion(path, c.req.raw.headers, config.API_DEFAULT_VERSION)
    c.set('apiVersion', version)
    headers.rebase(secureHeadersFor(path, { version, cors: config.CORS_ALLOWED_ORIGINS.length > 0 }))
    const deprecated = config.API_DEPRECATIONS[version]
    if (deprecated)
      for (const [name, value] of Object.entries(deprecationHeaders(deprecated))) headers.write(name, value)
    if (options.checkAccess) c.set('checkAccess', options.checkAccess)
    options.extend?.(c)
    await steps(c, next)
  } finally {
    options.after?.(c)
    finish(c, headers, startedAt)
  }
}
