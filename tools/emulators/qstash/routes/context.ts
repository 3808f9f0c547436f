/** What every route handler receives, plus small helpers shared by the route modules. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError } from '../../shared/http'
import type { QstashCore } from '../core'

export interface ApiContext {
  core: QstashCore
  req: IncomingMessage
  res: ServerResponse
  /** The request target exactly as received (publish destinations are taken from it verbatim). */
  rawUrl: string
  query: URLSearchParams
  /** Publisher address, reported as `callerIp` and sent as `Upstash-Caller-Ip`. */
  callerIp: string
}

/** Largest accepted request body (QStash's paid plans allow up to 10 MB messages). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024

/** Decodes one path segment; malformed percent-encoding is a 400, not a crash. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new HttpError(400, { error: 'malformed percent-encoding in path' })
  }
}

export function notFound(what: string): HttpError {
  return new HttpError(404, { error: `${what} not found` })
}

/** 200 with no body: what QStash answers for pause/resume/delete (the SDK does not parse these). */
export function sendEmpty(res: ServerResponse, status = 200): void {
  res.writeHead(status, { 'content-length': '0' })
  res.end()
}

/** `count` query parameter: positive integer, capped. */
export function parseCount(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('count')
  if (raw === null || raw.trim() === '') return fallback
  if (!/^\d+$/.test(raw.trim())) throw new HttpError(400, { error: 'count must be a positive integer' })
  return Math.min(Math.max(1, Number(raw)), max)
}

/** Our cursors are row sequence numbers rendered as strings; anything else is a 400. */
export function parseCursor(query: URLSearchParams): number | null {
  const raw = query.get('cursor')
  if (raw === null || raw.trim() === '') return null
  if (!/^\d+$/.test(raw.trim())) throw new HttpError(400, { error: 'invalid cursor' })
  return Number(raw)
}

/** Query parameters whose value must be a decimal integer (epoch milliseconds, HTTP status, count, cursor). */
const NUMERIC_PARAMS = new Set(['fromDate', 'toDate', 'responseStatus', 'count', 'cursor'])

/**
 * Strict query check for destructive endpoints (bulk delete/cancel/retry, single deletes): an unknown parameter, an
 * empty value or a non-numeric date/status/count is a 400 before anything is touched. Lenient parsing would drop such
 * a filter, and a bulk action without filters targets *everything* — a typo must never empty the DLQ
 * (docs/emulators/qstash.md). `qstash_token` is the query form of the bearer token.
 */
export function requireKnownParams(query: URLSearchParams, allowed: readonly string[]): void {
  for (const [name, value] of query) {
    if (name === 'qstash_token') continue
    if (!allowed.includes(name)) throw new HttpError(400, { error: `unknown query parameter: ${name}` })
    const values = value.split(',').map((v) => v.trim())
    if (values.some((v) => v === '')) throw new HttpError(400, { error: `empty value for query parameter: ${name}` })
    if (NUMERIC_PARAMS.has(name) && values.some((v) => !/^\d+$/.test(v))) {
      throw new HttpError(400, { error: `${name} must be a non-negative integer` })
    }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
