/**
 * The first middleware, wrapping each request's whole life (one middleware instead of several: this is the hot
 * path of every request).
 * Before: trace id, language, config, logger, services and the resolved API version — everything later code reads
 * from the context (`c.get()`: `c.var` copies every variable on each access, too slow for the hot path). The trace
 * id and language are set before config is loaded, so even a config error is answered in the envelope with a trace id.
 * After: `X-API-Version` (+ `Deprecation`/`Sunset` for deprecated versions), `Server-Timing`, and one structured
 * access line (method, path, status, duration, trace id, user id when known).
 */
import type { Context, Next } from 'hono'
import { createMiddleware } from 'hono/factory'
import { loadConfig } from '../core/config'
import type { AppEnv } from '../core/context'
import { negotiateLanguage } from '../core/i18n'
import { Logger } from '../core/logging'
import { TRACE_HEADER, traceIdFrom } from '../core/trace'
import { deprecationHeaders, resolvedVersion } from '../core/versioning'
import { createServices } from '../infra/services'

/**
 * Sets a header on the finished response. `c.header()` after the response exists re-creates the Response on every
 * call; writing to its headers directly is far cheaper, and only immutable headers (e.g. a fetched asset) need the
 * copy.
 */
function setOnResponse(c: Context<AppEnv>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value)
  } catch {
    c.header(name, value)
  }
}

function finish(c: Context<AppEnv>, started: number): void {
  const duration = performance.now() - started
  const version = c.get('apiVersion')
  if (!c.res.headers.has('X-API-Version')) {
    // The response was built before the version headers were prepared (e.g. a config error).
    setOnResponse(c, 'X-API-Version', version ?? 'unknown')
  }
  setOnResponse(c, 'Server-Timing', `total;dur=${duration.toFixed(1)}`)
  const logger = c.get('logger')
  // Without a logger the config failed to load; the error handler has logged that already.
  if (logger?.enabled('info')) {
    logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(duration * 100) / 100,
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
}

/** The request-context middleware with the app's additions (`createApp` passes the plugins' hook). */
export function createRequestContext(options: RequestContextOptions = {}) {
  const { extend } = options
  return createMiddleware<AppEnv>((c, next) => handleRequest(c, next, extend))
}

async function handleRequest(c: Context<AppEnv>, next: Next, extend: RequestContextOptions['extend']): Promise<void> {
  const started = performance.now()
  const traceId = traceIdFrom(c.req.header(TRACE_HEADER))
  c.set('traceId', traceId)
  c.header(TRACE_HEADER, traceId)
  c.set('lang', negotiateLanguage(c.req.header('Accept-Language')))
  try {
    const config = loadConfig(c.env ?? {})
    c.set('config', config)
    c.set('logger', new Logger({ trace_id: traceId }, config.LOG_LEVEL))
    c.set('services', createServices(config))
    const version = resolvedVersion(c.req.path, c.req.raw.headers, config.API_DEFAULT_VERSION)
    c.set('apiVersion', version)
    c.header('X-API-Version', version)
    const deprecated = config.API_DEPRECATIONS[version]
    if (deprecated) for (const [name, value] of Object.entries(deprecationHeaders(deprecated))) c.header(name, value)
    extend?.(c)
    await next()
  } finally {
    finish(c, started)
  }
}

export const requestContext = createRequestContext()
