/**
 * Answers in the envelope (core/envelope.ts). Success bodies go through `ok()`; error bodies only through the error
 * handler (http/error-handler.ts).
 */
import type { Context, TypedResponse } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { JSONParsed, JSONValue } from 'hono/utils/types'
import type { Envelope } from '../core/envelope'
import { t } from '../core/i18n'
import type { AppEnv } from './context'

/** A JSON response typed for Hono's RPC/OpenAPI inference, like `c.json()` returns. */
export type JsonResponse<T, S extends ContentfulStatusCode> = Response & TypedResponse<JSONParsed<T>, S, 'json'>

/**
 * Answers JSON with the request's collected headers in one Response (http/response-headers.ts); `c.json()` when
 * the request-context middleware did not run (a bare router in a test).
 */
export function respondJson<T, S extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  body: T,
  status: S,
  headers?: Readonly<Record<string, string>>,
): JsonResponse<T, S> {
  const msg = (body as { msg?: unknown } | null)?.msg
  if (typeof msg === 'string') c.set('responseMsg', msg)
  const collected = c.get('responseHeaders')
  if (!collected) return c.json(body as JSONValue, status, headers) as JsonResponse<T, S>
  return collected.build(JSON.stringify(body), status, 'application/json', headers) as JsonResponse<T, S>
}

/** Answers 200 with `data` in the success envelope. */
export function ok<T>(c: Context<AppEnv>, data: T) {
  return respondJson(c, { code: 200, msg: t(c.get('lang'), 'response.success'), data } satisfies Envelope<T>, 200)
}
