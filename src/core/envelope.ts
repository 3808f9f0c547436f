/**
 * The `{code, msg, data}` envelope fba's admin UI expects, with real HTTP statuses. Success bodies go through
 * `ok()`; error bodies are written only by the error handler.
 */

import { z } from '@hono/zod-openapi'
import type { Context, TypedResponse } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { JSONParsed, JSONValue } from 'hono/utils/types'
import type { AppEnv } from './context'
import { t } from './i18n'

export interface Envelope<T> {
  code: number
  msg: string
  data: T
}

export interface ErrorEnvelope extends Envelope<unknown> {
  trace_id: string
}

/** A JSON response typed for Hono's RPC/OpenAPI inference, like `c.json()` returns. */
export type JsonResponse<T, S extends ContentfulStatusCode> = Response & TypedResponse<JSONParsed<T>, S, 'json'>

/**
 * Answers JSON with the request's collected headers in one Response (core/response-headers.ts); `c.json()` when
 * the request-context middleware did not run (a bare router in a test).
 */
export function respondJson<T, S extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  body: T,
  status: S,
  headers?: Readonly<Record<string, string>>,
): JsonResponse<T, S> {
  const collected = c.get('responseHeaders')
  if (!collected) return c.json(body as JSONValue, status, headers) as JsonResponse<T, S>
  return collected.build(JSON.stringify(body), status, 'application/json', headers) as JsonResponse<T, S>
}

/** Answers 200 with `data` in the success envelope. */
export function ok<T>(c: Context<AppEnv>, data: T) {
  return respondJson(c, { code: 200, msg: t(c.get('lang'), 'response.success'), data } satisfies Envelope<T>, 200)
}

/** The OpenAPI schema of a success envelope around `data`. */
export function envelopeOf<T extends z.ZodType>(data: T) {
  return z.object({
    code: z.number().int().openapi({ example: 200 }),
    msg: z.string().openapi({ example: 'Request success' }),
    data,
  })
}

export const FieldErrorSchema = z
  .object({
    loc: z.array(z.union([z.string(), z.number()])).openapi({ example: ['body', 'username'] }),
    msg: z.string().openapi({ example: 'Field required' }),
    type: z.string().openapi({ example: 'missing' }),
  })
  .openapi('FieldError')

export const ErrorEnvelopeSchema = z
  .object({
    code: z.number().int().openapi({ example: 404 }),
    msg: z.string().openapi({ example: 'Not found' }),
    data: z.unknown().nullable(),
    trace_id: z.string().openapi({ example: '6f1c0f5e2b1f4f3a9c3e2d1b0a9f8e7d' }),
  })
  .openapi('ErrorResponse')

export const ValidationErrorEnvelopeSchema = ErrorEnvelopeSchema.extend({
  code: z.literal(422),
  data: z.object({ errors: z.array(FieldErrorSchema) }),
}).openapi('ValidationErrorResponse')
