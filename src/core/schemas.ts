/**
 * Request shapes and zod helpers shared by every domain and plugin: an integer id in the path, fba's `{"pks": [...]}`
 * bulk-delete body, list filters that treat an empty value as "not given", and small-integer enums.
 */
import { z } from '@hono/zod-openapi'

export const pkParam = (description: string) =>
  z.object({
    pk: z.coerce
      .number()
      .int()
      .positive()
      .openapi({ param: { name: 'pk', in: 'path' }, example: 1, description }),
  })

export const pksBody = (component: string) =>
  z
    .object({
      pks: z
        .array(z.number().int().positive())
        .min(1)
        .max(1000)
        .openapi({ example: [1, 2] }),
    })
    .openapi(component)

/** For `z.preprocess`: an empty query value (`?status=`, as the admin UI sends a cleared filter) means "not given". */
export const blankToUndefined = (v: unknown) => (v === '' ? undefined : v)

/** For `z.preprocess`: an empty string in a body means "none" (fba's `CustomEmailStr` and friends). */
export const emptyToNull = (v: unknown) => (v === '' ? null : v)

/** An optional body text of at most `max` characters (any length without one); left out or null → null. */
export const nullableText = (max?: number) =>
  (max === undefined ? z.string() : z.string().max(max)).nullish().transform((v) => v ?? null)

/** An optional text filter of at most `max` characters; empty means "not given". */
export const optionalTextQuery = (max: number, description: string) =>
  z.preprocess(blankToUndefined, z.string().max(max).optional()).openapi({ type: 'string', description })

/** An optional 0/1 filter (a status or type flag); empty means "not given". */
export const optionalFlagQuery = (description: string) =>
  z
    .preprocess(blankToUndefined, z.coerce.number().int().min(0).max(1).optional())
    .openapi({ type: 'integer', enum: [0, 1], description })

/**
 * A body field that is one of a few integers. The number check comes first so a missing field reads "Field
 * required" rather than "Must be one of", as in fba.
 */
export const intEnum = <const V extends readonly [number, ...number[]]>(values: V, description: string) =>
  z
    .number()
    .pipe(z.literal(values))
    .openapi({ type: 'integer', enum: [...values], description })
