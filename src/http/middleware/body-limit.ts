/**
 * Rejects bodies over `BODY_LIMIT_BYTES` with 413 — by `Content-Length` up front, or while streaming otherwise.
 * A route that takes larger bodies (the file upload, 20 MB videos) declares its own limit
 * (`defineRoute({ bodyLimit })`, registered here): the limit is chosen per path before routing, so every other write
 * keeps the small global one (docs/files.md, "Body limit").
 */

import type { Context, MiddlewareHandler, Next } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { PayloadTooLargeError } from '../../core/errors'
import { pathBelowVersion } from '../../core/versioning'
import type { AppEnv } from '../context'

// One hono middleware per limit in use (in practice two per isolate); plain data, no I/O.
const byLimit = new Map<number, MiddlewareHandler>()

function limiter(limit: number): MiddlewareHandler {
  let mw = byLimit.get(limit)
  if (!mw) {
    mw = honoBodyLimit({
      maxSize: limit,
      onError: () => {
        throw new PayloadTooLargeError(undefined, { params: { limit } })
      },
    })
    byLimit.set(limit, mw)
  }
  return mw
}

/** Route-declared limits by `METHOD /path` below `/api/<version>` (static paths only: checked before routing). */
const routeLimits = new Map<string, number>()

/** A route's own body limit (`defineRoute({ bodyLimit })`), used instead of `BODY_LIMIT_BYTES` for that route. */
export function declareBodyLimit(method: string, path: string, bytes: number): void {
  routeLimits.set(`${method.toUpperCase()} ${path}`, bytes)
}

/** A route's own body limit, if it declared one (the route index records it, http/lazy-routes.ts). */
export const declaredBodyLimit = (method: string, path: string): number | undefined =>
  routeLimits.get(`${method.toUpperCase()} ${path}`)

function limitFor(c: Context<AppEnv>): number {
  if (routeLimits.size) {
    const below = pathBelowVersion(c.req.path)
    const own = below ? routeLimits.get(`${c.req.method} ${below}`) : undefined
    if (own !== undefined) return own
  }
  return c.get('config').BODY_LIMIT_BYTES
}

/** Runs `next` with the body limit enforced (the request pipeline calls it for methods that carry a body). */
export async function limitBody(c: Context<AppEnv>, next: Next): Promise<void> {
  const answered = await limiter(limitFor(c))(c, next)
  if (answered instanceof Response) c.res = answered
}
