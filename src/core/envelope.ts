/**
 * The `{code, msg, data}` envelope fba's admin UI expects, with real HTTP statuses: its types and OpenAPI schemas.
 * Success bodies are answered by `ok()` (http/respond.ts); error bodies only by the error handler.
 */

import { z } from '@hono/zod-openapi'

export interface Envelope<T> {
  code: number
  msg: string
  data: T
}

export interface ErrorEnvelope extends Envelope<unknown> {
  trace_id: string
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
