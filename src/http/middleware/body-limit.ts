/** Rejects bodies over `BODY_LIMIT_BYTES` with 413 — by `Content-Length` up front, or while streaming otherwise. */

import type { Context, MiddlewareHandler, Next } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { PayloadTooLargeError } from '../../core/errors'
import type { AppEnv } from '../context'

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

/** Runs `next` with the body limit enforced (the request pipeline calls it for methods that carry a body). */
export async function limitBody(c: Context<AppEnv>, next: Next): Promise<void> {
  const answered = await limiter(c.get('config').BODY_LIMIT_BYTES)(c, next)
  if (answered instanceof Response) c.res = answered
}
