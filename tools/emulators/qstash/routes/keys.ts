/** `GET /v2/keys` and `POST /v2/keys/rotate` (rotation lasts until the emulator restarts with its configured keys). */
import { sendJson } from '../../shared/http'
import { type ApiContext, requireKnownParams } from './context'

export function getKeys(ctx: ApiContext): void {
  sendJson(ctx.res, 200, { current: ctx.core.keys.current, next: ctx.core.keys.next })
}

/** Rotation drops the current key for good: an unknown parameter is a 400 before anything changes. */
export function rotateKeys(ctx: ApiContext): void {
  requireKnownParams(ctx.query, [])
  sendJson(ctx.res, 200, ctx.core.rotateKeys())
}
