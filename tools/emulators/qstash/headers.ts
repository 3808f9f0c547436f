/**
 * Turns the `Upstash-*` request headers of publish/enqueue/batch/schedule requests into a validated
 * `PublishSpec`. Every malformed value is a 400 naming the header, never a crash.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { HttpError } from '../shared/http'
import { parseDuration } from './duration'
import { parseRetryDelay, RetryDelayError } from './retry-delay'
import {
  type CallbackOptions,
  type FlowControlLimits,
  type HeaderMap,
  HTTP_METHODS,
  type HttpMethod,
  type PublishSpec,
  type RedactSpec,
} from './types'

/** Lower-cased header name → value. */
export type HeaderSource = Map<string, string>

export const DEFAULT_RETRIES = 3
const MAX_RETRIES = 100

/**
 * Headers never passed to a destination even when `Upstash-Forward-` prefixed: hop-by-hop or computed
 * by the HTTP client (fetch rejects several of them outright).
 */
const UNFORWARDABLE = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

export function headersFromNode(headers: IncomingHttpHeaders): HeaderSource {
  const source: HeaderSource = new Map()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    source.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value)
  }
  return source
}

/** Batch entries carry headers as a JSON object; anything but string values is a 400. */
export function headersFromRecord(record: unknown, where: string): HeaderSource {
  const source: HeaderSource = new Map()
  if (record === undefined || record === null) return source
  if (typeof record !== 'object' || Array.isArray(record)) {
    throw badRequest(`${where}: headers must be an object of strings`)
  }
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'string') source.set(name.toLowerCase(), value)
    else if (typeof value === 'number' || typeof value === 'boolean') source.set(name.toLowerCase(), String(value))
    else throw badRequest(`${where}: header '${name}' must be a string`)
  }
  return source
}

/** Go's CanonicalMIMEHeaderKey (`content-type` → `Content-Type`): QStash is written in Go and echoes this form. */
export function canonicalHeaderName(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => (part === '' ? part : part[0]?.toUpperCase() + part.slice(1)))
    .join('-')
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, { error: message })
}

/** Accepts absolute http(s) URLs only; QStash cannot deliver anywhere else. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

function parseMethod(value: string | undefined, header: string): HttpMethod {
  if (value === undefined || value.trim() === '') return 'POST'
  const method = value.trim().toUpperCase()
  const found = HTTP_METHODS.find((m) => m === method)
  if (!found) throw badRequest(`${header} must be one of ${HTTP_METHODS.join(', ')}`)
  return found
}

function parseRetries(value: string | undefined, header: string): number {
  if (value === undefined || value.trim() === '') return DEFAULT_RETRIES
  if (!/^\d+$/.test(value.trim())) throw badRequest(`${header} must be a non-negative integer`)
  const retries = Number(value.trim())
  if (retries > MAX_RETRIES) throw badRequest(`${header} must be at most ${MAX_RETRIES}`)
  return retries
}

function parseRetryDelayHeader(value: string | undefined, header: string): string | null {
  if (value === undefined || value.trim() === '') return null
  try {
    parseRetryDelay(value)
  } catch (err) {
    throw badRequest(`${header}: ${err instanceof RetryDelayError ? err.message : 'invalid expression'}`)
  }
  return value.trim()
}

function parseTimeout(value: string | undefined, header: string): number | null {
  if (value === undefined || value.trim() === '') return null
  const ms = parseDuration(value)
  if (ms === undefined || ms === 0) throw badRequest(`${header} must be a positive duration like 30s, 2m or 1h`)
  return ms
}

/** Collects `<prefix>Name: v` headers as `Name: [v]` (canonical names), dropping hop-by-hop ones. */
function forwarded(headers: HeaderSource, prefix: string): HeaderMap {
  const out: HeaderMap = {}
  for (const [name, value] of headers) {
    if (!name.startsWith(prefix)) continue
    const target = name.slice(prefix.length)
    if (target === '' || UNFORWARDABLE.has(target)) continue
    out[canonicalHeaderName(target)] = [value]
  }
  return out
}

function parseCallback(headers: HeaderSource, base: 'upstash-callback' | 'upstash-failure-callback') {
  const url = headers.get(base)?.trim()
  if (url === undefined || url === '') return null
  const name = canonicalHeaderName(base)
  if (!isHttpUrl(url)) throw badRequest(`${name} must be an absolute http(s) URL`)
  const options: CallbackOptions = {
    url,
    method: parseMethod(headers.get(`${base}-method`), `${name}-Method`),
    headers: forwarded(headers, `${base}-forward-`),
    maxRetries: parseRetries(headers.get(`${base}-retries`), `${name}-Retries`),
    retryDelay: parseRetryDelayHeader(headers.get(`${base}-retry-delay`), `${name}-Retry-Delay`),
    timeoutMs: parseTimeout(headers.get(`${base}-timeout`), `${name}-Timeout`),
  }
  return options
}

/**
 * `Upstash-Redact-Fields`: comma list of `body`, `header` (every header) and `header[Name]`; the SDK writes `header`,
 * QStash's docs `headers`, so both spellings are accepted. Anything else is a 400.
 */
export function parseRedactFields(value: string | undefined): RedactSpec | null {
  if (value === undefined || value.trim() === '') return null
  const spec: RedactSpec = { body: false, allHeaders: false, headers: [] }
  for (const token of value.split(',').map((t) => t.trim())) {
    const named = /^headers?\[([^\]]+)\]$/i.exec(token)
    if (token.toLowerCase() === 'body') spec.body = true
    else if (/^headers?$/i.test(token)) spec.allHeaders = true
    else if (named?.[1] && named[1].trim() !== '') spec.headers.push(named[1].trim().toLowerCase())
    else throw badRequest(`Upstash-Redact-Fields: unknown field ${JSON.stringify(token)} (body, header, header[Name])`)
  }
  return spec
}

/** Validates every publish header; throws `HttpError(400)` on the first bad one. */
export function parsePublishSpec(headers: HeaderSource, body: Buffer): PublishSpec {
  const forwardHeaders = forwarded(headers, 'upstash-forward-')
  const contentType = headers.get('content-type')
  if (contentType !== undefined && contentType !== '') forwardHeaders['Content-Type'] = [contentType]

  let delayMs = 0
  const delay = headers.get('upstash-delay')
  if (delay !== undefined && delay.trim() !== '') {
    const parsed = parseDuration(delay)
    if (parsed === undefined) throw badRequest('Upstash-Delay must be a duration like 10s, 5m or 1d10h30m')
    delayMs = parsed
  }

  let notBeforeMs: number | null = null
  const notBefore = headers.get('upstash-not-before')
  if (notBefore !== undefined && notBefore.trim() !== '') {
    if (!/^\d+$/.test(notBefore.trim())) throw badRequest('Upstash-Not-Before must be a unix timestamp in seconds')
    notBeforeMs = Number(notBefore.trim()) * 1000
    if (!Number.isSafeInteger(notBeforeMs)) throw badRequest('Upstash-Not-Before is out of range')
  }

  const dedup = headers.get('upstash-deduplication-id')?.trim()
  const labels = (headers.get('upstash-label') ?? '')
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '')
  const queueName = headers.get('upstash-queue-name')?.trim()
  if (queueName !== undefined && queueName !== '') assertQueueName(queueName)

  return {
    method: parseMethod(headers.get('upstash-method'), 'Upstash-Method'),
    headers: forwardHeaders,
    body,
    maxRetries: parseRetries(headers.get('upstash-retries'), 'Upstash-Retries'),
    retryDelay: parseRetryDelayHeader(headers.get('upstash-retry-delay'), 'Upstash-Retry-Delay'),
    timeoutMs: parseTimeout(headers.get('upstash-timeout'), 'Upstash-Timeout'),
    delayMs,
    notBeforeMs,
    callback: parseCallback(headers, 'upstash-callback'),
    failureCallback: parseCallback(headers, 'upstash-failure-callback'),
    deduplicationId: dedup === undefined || dedup === '' ? null : dedup,
    contentBasedDeduplication: headers.get('upstash-content-based-deduplication')?.trim().toLowerCase() === 'true',
    labels,
    queueName: queueName === undefined || queueName === '' ? null : queueName,
    ...parseFlowControl(headers),
    redact: parseRedactFields(headers.get('upstash-redact-fields')),
  }
}

/** QStash caps a rate period at one week. */
const MAX_FLOW_PERIOD_S = 7 * 86_400
const MAX_FLOW_LIMIT = 1_000_000

/**
 * `Upstash-Flow-Control-Key` with `Upstash-Flow-Control-Value` (`parallelism=2, rate=10, period=1m`, as the SDK
 * writes it). One without the other, an unknown setting or a value that is not a positive integer is a 400.
 */
export function parseFlowControl(headers: HeaderSource): Pick<PublishSpec, 'flowControlKey' | 'flowControl'> {
  const key = headers.get('upstash-flow-control-key')?.trim() ?? ''
  const value = headers.get('upstash-flow-control-value')?.trim() ?? ''
  if (key === '' && value === '') return { flowControlKey: null, flowControl: null }
  if (key === '') throw badRequest('Upstash-Flow-Control-Value needs an Upstash-Flow-Control-Key')
  if (!NAME_PATTERN.test(key)) {
    throw badRequest('Upstash-Flow-Control-Key may only contain letters, digits, -, _ and . (at most 200)')
  }
  if (value === '') throw badRequest('Upstash-Flow-Control-Value must set parallelism or rate')
  const limits: FlowControlLimits = { parallelism: null, rate: null, period: 1 }
  for (const token of value.split(',').map((t) => t.trim())) {
    const [name, raw = ''] = token.split('=').map((part) => part.trim())
    if (name === 'parallelism' || name === 'rate') {
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_FLOW_LIMIT) {
        throw badRequest(`Upstash-Flow-Control-Value: ${name} must be a positive integer`)
      }
      limits[name] = Number(raw)
    } else if (name === 'period') {
      const ms = parseDuration(raw)
      if (ms === undefined || ms < 1000 || ms > MAX_FLOW_PERIOD_S * 1000) {
        throw badRequest('Upstash-Flow-Control-Value: period must be a duration from 1s to 7d (e.g. 1s, 5m, 1h)')
      }
      limits.period = Math.round(ms / 1000)
    } else {
      throw badRequest(
        `Upstash-Flow-Control-Value: unknown setting ${JSON.stringify(token)} (parallelism, rate, period)`,
      )
    }
  }
  if (limits.parallelism === null && limits.rate === null) {
    throw badRequest('Upstash-Flow-Control-Value must set parallelism or rate')
  }
  return { flowControlKey: key, flowControl: limits }
}

/** Queue, schedule and URL-group names: QStash allows letters, digits, `-`, `_`, `.`. */
export const NAME_PATTERN = /^[A-Za-z0-9._-]{1,200}$/

export function assertQueueName(name: string): void {
  if (!NAME_PATTERN.test(name)) throw badRequest('queue name may only contain letters, digits, -, _ and .')
}
