/**
 * One operation-log record (`sys_opera_log`, docs/fba-compatibility.md "Logs"), built from what the capture saw of a
 * request (opera-capture.ts). Pure: the masking, truncation and field rules are unit-tested without a request.
 *
 * - `args` holds fba's keys — `query_params`, `path_params`, `json` (an object body), `data` (any other body), `form-data`
 *   (files described, never their bytes) — only those present; `null` when the request had none.
 * - Secrets are masked **at any depth** (fba: top level only): a key named in `OPERA_LOG_REDACT_KEYS`, compared without
 *   case, has its value replaced by `[REDACTED]`, in objects nested in arrays too. Masking runs before truncation, so a
 *   preview never shows a secret.
 * - Args over 10 240 bytes of JSON become fba's `_truncated` preview.
 * - `code` is the real HTTP status as text (fba records 200 for every success: D12), `status` 1 below 400, else 0.
 */
import { z } from '@hono/zod-openapi'
import { REDACTED } from '../../core/logging'
import type { ClientInfo } from '../../http/client-info'

/** fba's limit on the JSON size of `args`. */
export const MAX_ARGS_BYTES = 10_240
/** Values nested deeper are not walked: the masking's recursion is bounded whatever a body holds. */
export const MAX_ARGS_DEPTH = 32
export const TOO_DEEP = '[TOO DEEP]'

/**
 * The record as written, and as handed to the fallback when the write fails (JSON-safe: `opera_time` survives a trip
 * through JSON as an ISO string, so an event or a message can carry it).
 */
export const OperaLogRecordSchema = z.object({
  traceId: z.string(),
  username: z.string().nullable(),
  method: z.string(),
  title: z.string(),
  path: z.string(),
  ip: z.string(),
  country: z.string().nullable(),
  region: z.string().nullable(),
  city: z.string().nullable(),
  userAgent: z.string().nullable(),
  os: z.string().nullable(),
  browser: z.string().nullable(),
  device: z.string().nullable(),
  args: z.record(z.string(), z.unknown()).nullable(),
  status: z.union([z.literal(0), z.literal(1)]),
  code: z.string(),
  msg: z.string().nullable(),
  costTime: z.number(),
  operaTime: z.coerce.date(),
})

export type OperaLogRecord = z.output<typeof OperaLogRecordSchema>

/** What the capture saw of one request. */
export interface CapturedOperation {
  traceId: string
  username: string | null
  method: string
  /** The request path (no query). */
  path: string
  /** The route's OpenAPI summary. */
  title: string
  client: ClientInfo
  /** `query_params`, `path_params`, `json`/`data`/`form-data`: the parts the request had (empty ones left out). */
  args: Record<string, unknown>
  /** The response's HTTP status. */
  httpStatus: number
  /** The response envelope's `msg` (null when the answer was not an envelope). */
  msg: string | null
  startedAt: Date
  /** Milliseconds from the request's start to its answer. */
  costMs: number
}

export interface RecordRules {
  /** Lower-case keys whose values are masked. */
  redactKeys: ReadonlySet<string>
  maxArgsBytes?: number
}

/** `value` with every value under a key in `keys` (lower case) replaced by `[REDACTED]`, at any depth. */
export function maskSecrets(value: unknown, keys: ReadonlySet<string>, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_ARGS_DEPTH) return TOO_DEEP
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, keys, depth + 1))
  // `fromEntries` defines own properties, so a body's `__proto__` key stays data and never becomes a prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      keys.has(key.toLowerCase()) ? REDACTED : maskSecrets(item, keys, depth + 1),
    ]),
  )
}

const encoder = new TextEncoder()

/** `args` itself when its JSON fits in `max` bytes, else fba's preview of it (cut on a character boundary). */
export function boundedArgs(args: Record<string, unknown>, max = MAX_ARGS_BYTES): Record<string, unknown> {
  const text = JSON.stringify(args)
  // One UTF-16 unit is at most 3 bytes of UTF-8: short text needs no encoding to be known to fit.
  if (text.length * 3 <= max) return args
  const size = encoder.encode(text).length
  if (size <= max) return args
  const { read } = encoder.encodeInto(text, new Uint8Array(max))
  return {
    _truncated: true,
    _original_size: size,
    _max_size: max,
    _message: `args of ${size} bytes truncated to ${max}`,
    data_preview: text.slice(0, read),
  }
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text)

/** The record of one captured request (columns as `sys_opera_log` declares them). */
export function operaLogRecord(op: CapturedOperation, rules: RecordRules): OperaLogRecord {
  const present = Object.keys(op.args).length > 0
  const masked = present ? (maskSecrets(op.args, rules.redactKeys) as Record<string, unknown>) : null
  const { client } = op
  return {
    traceId: op.traceId,
    username: op.username === null ? null : clip(op.username, 64),
    method: op.method,
    title: clip(op.title, 256),
    path: clip(op.path, 512),
    ip: client.ip,
    country: client.country,
    region: client.region,
    city: client.city,
    userAgent: client.userAgent,
    os: client.os,
    browser: client.browser,
    device: client.device,
    args: masked && boundedArgs(masked, rules.maxArgsBytes),
    status: op.httpStatus < 400 ? 1 : 0,
    code: String(op.httpStatus),
    msg: op.msg,
    costTime: Math.round(op.costMs * 1000) / 1000,
    operaTime: op.startedAt,
  }
}
