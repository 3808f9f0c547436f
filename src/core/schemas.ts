/**
 * Request shapes and zod helpers shared by every domain and plugin: an integer id in the path, fba's `{"pks": [...]}`
 * bulk-delete body, list filters that treat an empty value as "not given", small-integer enums, names that are safe
 * to show, and image URLs.
 */
import { z } from '@hono/zod-openapi'
import { IMAGE_URL_FORMAT, SAFE_TEXT_FORMAT } from './validation'

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

/** An optional integer equality filter; empty means "not given". */
export const optionalIntQuery = (description: string) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().optional()).openapi({ type: 'integer', description })

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

/**
 * What no name or title may hold: control characters (NUL included), unpaired UTF-16 surrogates, and the bidi
 * embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069. Controls and unpaired surrogates break
 * storage, logs and exports; bidi controls make the admin UI show a name other than the one stored (a name that
 * reads "admin" but is not). Marks such as U+200E/U+200F change no order beyond themselves and stay allowed.
 */
const UNSAFE_TEXT = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u

/** True when `value` holds none of the characters names may not hold (see `UNSAFE_TEXT`). */
export const isSafeText = (value: string): boolean => !UNSAFE_TEXT.test(value)

/**
 * A zod check for any text shown as a name: `z.string().trim().max(32).check(safeText)`. Refuses (422) rather than
 * strips, so what is stored is what the client sent.
 */
export function safeText(ctx: z.core.ParsePayload<string>): void {
  if (!isSafeText(ctx.value)) {
    ctx.issues.push({ code: 'invalid_format', format: SAFE_TEXT_FORMAT, input: ctx.value })
  }
}

/**
 * A required name or title that the admin UI renders (user, department, role, menu, data scope, data rule, …):
 * trimmed, 1 to `max` characters, `safeText`. Every such field uses this one helper.
 */
export const nameText = (max: number) => z.string().trim().min(1).max(max).check(safeText)

/** An inline raster image; SVG is left out because an SVG document can carry script. */
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif|bmp);base64,[A-Za-z0-9+/]+={0,2}$/i

/** Resolves root-relative paths: only the scheme of the result matters, and a path keeps the page's own. */
const SOME_ORIGIN = 'https://origin.invalid'

/**
 * An absolute http(s) URL with a host, a path on the admin UI's own origin (e.g. `/static/upload/a.png`), or a base64
 * `data:` URL of a raster image.
 */
export function isImageUrl(value: string): boolean {
  if (!isSafeText(value)) return false
  if (DATA_IMAGE.test(value)) return true
  try {
    const url = value.startsWith('/') ? new URL(value, SOME_ORIGIN) : new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/**
 * An image URL a browser may load as an avatar: http(s), a path on the UI's origin, or a `data:image/…;base64`
 * raster. Anything else — `javascript:`, `vbscript:`, `file:`, `data:text/html`, SVG — is a 422, since the admin UI
 * puts the value into a `src` (and a user may open it).
 */
export const imageUrl = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .check((ctx) => {
      if (!isImageUrl(ctx.value))
        ctx.issues.push({ code: 'invalid_format', format: IMAGE_URL_FORMAT, input: ctx.value })
    })
    .openapi({
      format: 'uri-reference',
      description: 'An http(s) URL, a path on this origin, or a data:image/(png|jpeg|gif|webp|avif|bmp);base64 URL',
    })

/**
 * A datetime in a body as the wire shows it (`YYYY-MM-DD HH:mm:ss`, UTC, core/datetime.ts; a `T` separator is taken
 * too), read as a `Date` for a `timestamp_ms` column. Generated modules use it for their DATETIME columns.
 */
export const dateTimeText = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/)
    .transform((value) => new Date(`${value.replace(' ', 'T')}Z`))
    .refine((date) => !Number.isNaN(date.getTime()))
    .openapi({ type: 'string', example: '2026-05-16 12:00:00' })

/** A decimal number as text (`12.50`, `-3`) for a DECIMAL column: kept exact, as Drizzle reads `numeric` as a string. */
export const decimalText = () =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .openapi({ example: '12.50' })
