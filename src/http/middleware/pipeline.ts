/**
 * The app-wide request pipeline as one Hono middleware: the request context (trace id, config, services, response
 * headers, access line), CORS, then demo mode and the body limit for methods that carry a body, and on `/api` the
 * default rate limit — in that order. Each step lives in its own module and runs as a plain function: every Hono
 * middleware layer costs a dispatch closure and a promise on every request, and five layers were ~2 µs of a ~15 µs
 * public request in Node (docs/benchmarks.md).
 */
import type { Context, Next } from 'hono'
import { createMiddleware } from 'hono/factory'
import { isApiPath } from '../../core/versioning'
import type { AppEnv } from '../context'
import { limitBody } from './body-limit'
import { isCrossOrigin, withCors } from './cors'
import { assertDemoAllows } from './demo-mode'
import { withDefaultRateLimit } from './rate-limit'
import { type RequestContextOptions, withRequestContext } from './request-context'

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Everything after the context: CORS answers preflights itself; demo mode and the body limit guard writes; `/api`
 * counts the default rate limit. Plain functions passing `next` along, so a GET without `Origin` allocates nothing.
 */
function guarded(c: Context<AppEnv>, next: Next): Promise<void> {
  return isCrossOrigin(c) ? withCors(c, () => checked(c, next)) : checked(c, next)
}

function checked(c: Context<AppEnv>, next: Next): Promise<void> {
  if (NO_BODY.has(c.req.method)) return routed(c, next)
  assertDemoAllows(c)
  return limitBody(c, () => routed(c, next))
}

function routed(c: Context<AppEnv>, next: Next): Promise<void> {
  return isApiPath(c.req.path) ? withDefaultRateLimit(c, next) : next()
}

/** The pipeline with the app's additions to the context (`createApp` passes the plugins' hook and the host's clients). */
export function requestPipeline(options: RequestContextOptions = {}) {
  return createMiddleware<AppEnv>((c, next) => withRequestContext(c, next, options, guarded))
}
