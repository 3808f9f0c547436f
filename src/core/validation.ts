/**
 * Turns zod issues into localized, field-level errors (`{loc, msg, type}`), the shape fba's UI shows.
 * zod's own messages are English-only, so messages are rebuilt from the issue fields with our i18n keys.
 */
import { z } from 'zod'
import type { FieldError } from './errors'
import { type Lang, type MessageKey, type MessageParams, t } from './i18n'

/**
 * zod 4 keeps the offending input off the issue unless asked; its error map still sees it. We record what was
 * received in the issue's message so a missing field ("missing") can be told from a wrong type.
 */
z.config({
  customError: (issue) => {
    if (issue.code !== 'invalid_type') return undefined
    return `received:${describeInput(issue.input)}`
  },
})

function describeInput(input: unknown): string {
  if (input === undefined) return 'undefined'
  if (input === null) return 'null'
  if (Array.isArray(input)) return 'array'
  if (typeof input === 'number' && Number.isNaN(input)) return 'NaN'
  return typeof input
}

type Issue = z.core.$ZodIssue

/** zod format names of the shared helpers in ./schemas.ts (`safeText`, `imageUrl`). */
export const SAFE_TEXT_FORMAT = 'safe_text'
export const IMAGE_URL_FORMAT = 'image_url'

/** Those formats say what is wrong better than "Invalid {format}". */
const OWN_FORMATS: ReadonlyMap<string, MessageKey> = new Map([
  [SAFE_TEXT_FORMAT, 'validation.safe_text'],
  [IMAGE_URL_FORMAT, 'validation.image_url'],
])

function describe(issue: Issue): { type: string; key: MessageKey; params?: MessageParams } {
  switch (issue.code) {
    case 'invalid_type': {
      const received = issue.message.startsWith('received:') ? issue.message.slice('received:'.length) : 'unknown'
      if (received === 'undefined') return { type: 'missing', key: 'validation.missing' }
      return { type: 'invalid_type', key: 'validation.invalid_type', params: { expected: issue.expected, received } }
    }
    case 'too_small': {
      const kind =
        issue.origin === 'string' ? 'string' : issue.origin === 'array' || issue.origin === 'set' ? 'array' : 'number'
      const key: MessageKey =
        kind === 'number' && issue.inclusive === false
          ? 'validation.too_small.number_exclusive'
          : `validation.too_small.${kind}`
      return { type: 'too_small', key, params: { minimum: String(issue.minimum) } }
    }
    case 'too_big': {
      const kind =
        issue.origin === 'string' ? 'string' : issue.origin === 'array' || issue.origin === 'set' ? 'array' : 'number'
      const key: MessageKey =
        kind === 'number' && issue.inclusive === false
          ? 'validation.too_big.number_exclusive'
          : `validation.too_big.${kind}`
      return { type: 'too_big', key, params: { maximum: String(issue.maximum) } }
    }
    case 'invalid_format': {
      const own = OWN_FORMATS.get(issue.format)
      if (own) return { type: 'invalid_format', key: own }
      return { type: 'invalid_format', key: 'validation.invalid_format', params: { format: issue.format } }
    }
    case 'invalid_value':
      return {
        type: 'invalid_value',
        key: 'validation.invalid_value',
        params: { values: issue.values.map((v) => JSON.stringify(v)).join(', ') },
      }
    case 'not_multiple_of':
      return { type: 'not_multiple_of', key: 'validation.not_multiple_of', params: { divisor: String(issue.divisor) } }
    case 'unrecognized_keys':
      return { type: 'unrecognized_keys', key: 'validation.unrecognized_keys', params: { keys: issue.keys.join(', ') } }
    case 'invalid_union':
      return { type: 'invalid_union', key: 'validation.invalid_union' }
    case 'custom':
      // A refinement's own message (English) says more than a generic "invalid value"; absent one, the generic text.
      return issue.message && issue.message !== 'Invalid input'
        ? { type: 'custom', key: 'validation.custom', params: { message: issue.message } }
        : { type: 'custom', key: 'validation.invalid' }
    default:
      return { type: issue.code, key: 'validation.invalid' }
  }
}

/** Maps a request part to the `loc` prefix fba uses. */
const LOC_PREFIX: Record<string, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'cookie',
}

export function toFieldErrors(issues: readonly Issue[], target: string, lang: Lang): FieldError[] {
  const prefix = LOC_PREFIX[target] ?? target
  return issues.map((issue) => {
    const { type, key, params } = describe(issue)
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    return { loc: [prefix, ...path], msg: t(lang, key, params), type }
  })
}

export function jsonInvalidError(lang: Lang): FieldError {
  return { loc: ['body'], msg: t(lang, 'validation.json_invalid'), type: 'json_invalid' }
}
