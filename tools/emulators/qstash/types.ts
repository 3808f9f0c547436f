/** Shared shapes of the QStash emulator's internal model. */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

/** Header name (Go-canonical, e.g. `Content-Type`) → values, the shape QStash uses in API responses. */
export type HeaderMap = Record<string, string[]>

/** How to deliver one HTTP request; shared by messages, callbacks and schedules. */
export interface DeliveryOptions {
  method: HttpMethod
  /** Headers sent to the destination (forwarded ones, unprefixed, plus Content-Type). */
  headers: HeaderMap
  maxRetries: number
  /** `Upstash-Retry-Delay` expression source, validated at publish time. */
  retryDelay: string | null
  /** Per-attempt HTTP timeout (unscaled ms), null = emulator default. */
  timeoutMs: number | null
}

export interface CallbackOptions extends DeliveryOptions {
  url: string
}

/**
 * `Upstash-Redact-Fields` (`body`, `header` = all headers, `header[Name]`): what the API and event log show as
 * `REDACTED:<sha256 hex>`. Deliveries still carry the original values.
 */
export interface RedactSpec {
  body: boolean
  allHeaders: boolean
  /** Lower-cased header names. */
  headers: string[]
}

/** Everything a publish request says about a message, after header validation. */
export interface PublishSpec extends DeliveryOptions {
  body: Buffer
  /** From `Upstash-Delay` (unscaled ms). */
  delayMs: number
  /** From `Upstash-Not-Before` (unix ms); wins over delayMs. */
  notBeforeMs: number | null
  callback: CallbackOptions | null
  failureCallback: CallbackOptions | null
  deduplicationId: string | null
  contentBasedDeduplication: boolean
  labels: string[]
  /** From `Upstash-Queue-Name` (schedules) — the enqueue route sets it from the path instead. */
  queueName: string | null
  /** `Upstash-Flow-Control-Key`; its limits (`Upstash-Flow-Control-Value`) are in `flowControl`. */
  flowControlKey: string | null
  flowControl: FlowControlLimits | null
  redact: RedactSpec | null
}

/**
 * `Upstash-Flow-Control-Value: parallelism=2, rate=10, period=1m` — what one message asks of its key. The key's
 * enforced limits are the latest message's unless pinned (flow-control.ts).
 */
export interface FlowControlLimits {
  /** Deliveries in flight at once; null = unlimited. */
  parallelism: number | null
  /** Deliveries started per period; null = unlimited. */
  rate: number | null
  /** Rate period in seconds (default 1). */
  period: number
}

/** Message kinds: callbacks are messages too (signed, retried), but never get callbacks of their own. */
export type MessageKind = 'message' | 'callback' | 'failure-callback'

/** Lifecycle: pending → active → (delivered | pending for retry | failed → DLQ); cancelled from pending/active. */
export type MessageState = 'pending' | 'active' | 'delivered' | 'failed' | 'cancelled'

/** QStash log states. */
export type EventState =
  | 'CREATED'
  | 'ACTIVE'
  | 'RETRY'
  | 'ERROR'
  | 'DELIVERED'
  | 'FAILED'
  | 'CANCEL_REQUESTED'
  | 'CANCELLED'

export interface StoredMessage {
  seq: number
  id: string
  kind: MessageKind
  state: MessageState
  url: string
  topicName: string | null
  endpointName: string | null
  queueName: string | null
  scheduleId: string | null
  labels: string[]
  callerIp: string
  createdAt: number
  /** When the message first became deliverable (unix ms), reported as `notBefore`. */
  notBefore: number
  /** Next attempt time (unix ms) while pending. */
  nextAt: number
  retried: number
  method: HttpMethod
  headers: HeaderMap
  body: Buffer
  maxRetries: number
  retryDelay: string | null
  timeoutMs: number | null
  callback: CallbackOptions | null
  failureCallback: CallbackOptions | null
  flowControlKey: string | null
  flowControl: FlowControlLimits | null
  /** Fields shown redacted in the API and event log (`Upstash-Redact-Fields`); null = none. */
  redact: RedactSpec | null
}

export type PublishResult = { messageId: string; url: string; deduplicated?: boolean }
