/** Rejects bodies over `BODY_LIMIT_BYTES` with 413 — by `Content-Length` up front, or while streaming otherwise. */

import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../core/context'
import { PayloadTooLargeError } from '../core/errors'

// One hono middleware per configured limit (in practice one per isolate); plain data, no I/O.
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

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS'])

export const bodyLimit = createMiddleware<AppEnv>(async (c, next) => {
  if (NO_BODY.has(c.req.method)) return next()
  return limiter(c.get('config').BODY_LIMIT_BYTES)(c, next)
})
