/**
 * The QStash model: accepting messages (dedup, URL-group fan-out, queues, delays), the outcome of a
 * delivery attempt (retry / DLQ / callbacks), cancellation and schedule firing. All state changes go
 * through the SQLite store synchronously, so the HTTP layer and the delivery loop never race.
 */
import { createHash } from 'node:crypto'
import type { Clock } from './clock'
import { nextCronTime, parseCron } from './cron'
import { parseRetryAfter } from './duration'
import { FlowControls } from './flow-control'
import { badRequest, isHttpUrl, NAME_PATTERN } from './headers'
import { newId } from './ids'
import { defaultBackoffMs, parseRetryDelay, retryDelayMs } from './retry-delay'
import {
  asCallback,
  asFlowControl,
  asHeaderMap,
  asMethod,
  asRedact,
  type ScheduleRecord,
  type Store,
  type TopicEndpoint,
} from './store'
import type { CallbackOptions, HeaderMap, MessageKind, PublishResult, PublishSpec, StoredMessage } from './types'

export interface KeyRing {
  current: string
  next: string
}

export type Destination = { kind: 'url'; url: string } | { kind: 'group'; name: string; endpoints: TopicEndpoint[] }

export interface PublishContext {
  callerIp: string
  /** Set by the enqueue route; otherwise `spec.queueName` (schedules) applies. */
  queueName?: string | null
  scheduleId?: string | null
  /** Schedules and DLQ retries re-publish on purpose and must not be swallowed by dedup. */
  skipDedup?: boolean
}

export interface PublishOutcome {
  /** 200 for a new message, 202 when deduplicated (the SDK accepts any 2xx). */
  status: number
  body: PublishResult | PublishResult[]
}

/** What a delivery attempt produced. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; headers: HeaderMap; body: Buffer }
  | { kind: 'error'; error: string }

/** QStash keeps deduplication ids for 10 minutes. */
const DEDUP_WINDOW_MS = 10 * 60_000
/** Response bodies kept for DLQ entries, events and callbacks. */
const RESPONSE_BODY_LIMIT = 1024 * 1024

export class QstashCore {
  /** Called whenever new work may be due now (publish, resume…), so delivery need not wait a tick. */
  onWork: () => void = () => undefined
  /** Deliveries in flight out of the most allowed (`GET /v2/globalParallelism`); the delivery loop answers. */
  globalParallelism: () => { parallelismMax: number; parallelismCount: number } = () => ({
    parallelismMax: 0,
    parallelismCount: 0,
  })
  readonly flow: FlowControls

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly keys: KeyRing,
  ) {
    this.flow = new FlowControls(store.db, clock)
  }

  // ---- accepting messages ----

  /**
   * A destination is an absolute http(s) URL or the name of an existing URL group. Anything else is a 400
   * (QStash itself answers 400/404; a single status keeps garbage handling simple for callers).
   */
  resolveDestination(raw: string): Destination {
    if (isHttpUrl(raw)) return { kind: 'url', url: raw }
    if (NAME_PATTERN.test(raw)) {
      const topic = this.store.getTopic(raw)
      if (topic && topic.endpoints.length > 0) return { kind: 'group', name: raw, endpoints: topic.endpoints }
    }
    throw badRequest(`invalid destination '${raw.slice(0, 200)}': not an http(s) URL or an existing URL group`)
  }

  publish(destinationRaw: string, spec: PublishSpec, ctx: PublishContext): PublishOutcome {
    const destination = this.resolveDestination(destinationRaw)
    const dedupKey = ctx.skipDedup ? null : this.dedupKey(destinationRaw, spec)
    const now = this.clock.now()
    if (dedupKey !== null) {
      const previous = this.store.getDedup(dedupKey, now)
      if (previous !== undefined) return { status: 202, body: markDeduplicated(previous) }
    }
    const queueName = ctx.queueName ?? spec.queueName
    if (queueName) this.store.ensureQueue(queueName, now)
    if (spec.flowControlKey !== null && spec.flowControl !== null) {
      this.flow.configure(spec.flowControlKey, spec.flowControl)
    }
    const targets =
      destination.kind === 'url'
        ? [{ url: destination.url, topicName: null, endpointName: null }]
        : destination.endpoints.map((e) => ({ url: e.url, topicName: destination.name, endpointName: e.name ?? null }))
    // notBefore wins over delay; either way the wait is compressed by the time scale.
    const wait = spec.notBeforeMs !== null ? Math.max(0, spec.notBeforeMs - now) : spec.delayMs
    const nextAt = now + this.clock.scale(wait)
    const results: PublishResult[] = targets.map((target) => {
      const message = this.createMessage({
        kind: 'message',
        url: target.url,
        topicName: target.topicName,
        endpointName: target.endpointName,
        queueName,
        scheduleId: ctx.scheduleId ?? null,
        labels: spec.labels,
        callerIp: ctx.callerIp,
        flowControlKey: spec.flowControlKey,
        flowControl: spec.flowControl,
        redact: spec.redact,
        nextAt,
        method: spec.method,
        headers: spec.headers,
        body: spec.body,
        maxRetries: spec.maxRetries,
        retryDelay: spec.retryDelay,
        timeoutMs: spec.timeoutMs,
        callback: spec.callback,
        failureCallback: spec.failureCallback,
      })
      return { messageId: message.id, url: target.url }
    })
    const body = destination.kind === 'url' ? (results[0] as PublishResult) : results
    if (dedupKey !== null) this.store.putDedup(dedupKey, body, now + DEDUP_WINDOW_MS)
    if (nextAt <= now) this.onWork()
    return { status: 200, body }
  }

  private dedupKey(destination: string, spec: PublishSpec): string | null {
    if (spec.deduplicationId !== null) return `id\0${destination}\0${spec.deduplicationId}`
    if (!spec.contentBasedDeduplication) return null
    // Same inputs as QStash: destination, body, content type and the forwarded headers.
    const hash = createHash('sha256').update(destination).update('\0').update(spec.body)
    for (const name of Object.keys(spec.headers).sort()) {
      hash.update(`\0${name}:${(spec.headers[name] ?? []).join(',')}`)
    }
    return `content\0${hash.digest('hex')}`
  }

  createMessage(fields: Omit<StoredMessage, 'seq' | 'id' | 'state' | 'createdAt' | 'notBefore' | 'retried'>) {
    const now = this.clock.now()
    const message: StoredMessage = {
      ...fields,
      seq: 0,
      id: newId('msg'),
      state: 'pending',
      createdAt: now,
      notBefore: fields.nextAt,
      retried: 0,
    }
    this.store.insertMessage(message)
    this.store.addEvent(message, { state: 'CREATED', time: now, nextDeliveryTime: fields.nextAt })
    return message
  }

  // ---- cancellation ----

  /** Cancels a pending or in-flight message; false when unknown or already finished. */
  cancel(id: string): boolean {
    const message = this.store.getMessage(id)
    if (!message || (message.state !== 'pending' && message.state !== 'active')) return false
    const now = this.clock.now()
    this.store.addEvent(message, { state: 'CANCEL_REQUESTED', time: now })
    // Deleting the row makes an in-flight attempt's completion a no-op (its conditional updates miss).
    this.store.deleteMessage(id)
    this.store.addEvent(message, { state: 'CANCELLED', time: now })
    return true
  }

  // ---- delivery outcomes ----

  /** Applies the result of one attempt of an `active` message. No-op if it was cancelled meanwhile. */
  completeAttempt(message: StoredMessage, outcome: AttemptOutcome): void {
    const current = this.store.getMessage(message.id)
    if (current?.state !== 'active') return
    const now = this.clock.now()
    const response = outcome.kind === 'response' ? outcome : null
    const responseBody = response ? response.body.subarray(0, RESPONSE_BODY_LIMIT) : null
    const responseText = responseBody ? responseBody.toString('utf8') : null

    // QStash calls the callback after every attempt that got an HTTP response (the callback body tells
    // whether retries are exhausted via retried == maxRetries).
    if (response && current.kind === 'message' && current.callback) {
      this.createCallback('callback', current, current.callback, this.callbackPayload(current, response, {}))
    }

    if (response && response.status >= 200 && response.status < 300) {
      this.store.deleteDeliveredIfActive(current.id)
      this.store.addEvent(current, {
        state: 'DELIVERED',
        time: now,
        responseStatus: response.status,
        responseBody: responseText,
      })
      return
    }

    const error = response ? `HTTP ${response.status}${responseText ? `: ${responseText.slice(0, 200)}` : ''}` : null
    const errorText = outcome.kind === 'error' ? outcome.error : (error ?? 'delivery failed')
    this.store.addEvent(current, {
      state: 'ERROR',
      time: now,
      responseStatus: response?.status ?? null,
      responseBody: responseText,
      error: errorText,
    })

    if (current.retried < current.maxRetries) {
      const retried = current.retried + 1
      const delay = this.retryDelay(current, response?.headers ?? {}, now)
      const nextAt = now + this.clock.scale(delay)
      if (this.store.scheduleRetry(current.id, retried, nextAt)) {
        this.store.addEvent({ ...current, retried }, { state: 'RETRY', time: now, nextDeliveryTime: nextAt })
      }
      return
    }

    if (!this.store.markFailed(current.id)) return
    const dlqId = newId('dlq')
    this.store.addDlq({
      dlqId,
      messageId: current.id,
      createdAt: now,
      responseStatus: response?.status ?? null,
      responseHeader: response?.headers ?? {},
      responseBody,
      error: errorText,
    })
    this.store.addEvent(current, {
      state: 'FAILED',
      time: now,
      responseStatus: response?.status ?? null,
      responseBody: responseText,
      error: errorText,
    })
    if (current.kind === 'message' && current.failureCallback) {
      const payload = this.callbackPayload(
        current,
        response ?? { status: 0, headers: {}, body: Buffer.from(errorText) },
        { dlqId },
      )
      this.createCallback('failure-callback', current, current.failureCallback, payload)
    }
  }

  /**
   * Next retry delay (unscaled ms): the destination's `Retry-After`/`X-RateLimit-Reset*` wins, then the
   * message's `Upstash-Retry-Delay` expression (over retries done so far), then QStash's default backoff.
   */
  private retryDelay(message: StoredMessage, headers: HeaderMap, now: number): number {
    for (const name of ['Retry-After', 'X-Ratelimit-Reset', 'X-Ratelimit-Reset-Requests', 'X-Ratelimit-Reset-Tokens']) {
      const value = headers[name]?.[0]
      const ms = parseRetryAfter(value, now)
      if (ms !== undefined) return ms
    }
    if (message.retryDelay !== null) {
      try {
        return retryDelayMs(parseRetryDelay(message.retryDelay), message.retried)
      } catch {
        // Validated at publish time; a row edited by hand falls back to the default.
      }
    }
    return defaultBackoffMs(message.retried + 1)
  }

  /** The callback body documented by QStash (also used for failure callbacks). */
  private callbackPayload(
    source: StoredMessage,
    response: { status: number; headers: HeaderMap; body: Buffer },
    extra: Record<string, unknown>,
  ): Record<string, unknown> {
    return {
      status: response.status,
      header: response.headers,
      body: response.body.subarray(0, RESPONSE_BODY_LIMIT).toString('base64'),
      retried: source.retried,
      maxRetries: source.maxRetries,
      sourceMessageId: source.id,
      ...(source.topicName ? { topicName: source.topicName } : {}),
      ...(source.endpointName ? { endpointName: source.endpointName } : {}),
      url: source.url,
      method: source.method,
      sourceHeader: source.headers,
      sourceBody: source.body.toString('base64'),
      notBefore: source.notBefore,
      createdAt: source.createdAt,
      ...(source.scheduleId ? { scheduleId: source.scheduleId } : {}),
      callerIP: source.callerIp,
      ...extra,
    }
  }

  private createCallback(
    kind: Exclude<MessageKind, 'message'>,
    source: StoredMessage,
    options: CallbackOptions,
    payload: Record<string, unknown>,
  ): void {
    this.createMessage({
      kind,
      url: options.url,
      topicName: null,
      endpointName: null,
      queueName: null,
      scheduleId: null,
      labels: source.labels,
      callerIp: source.callerIp,
      flowControlKey: null,
      flowControl: null,
      // The callback payload embeds the source's body and headers (`sourceBody`, `sourceHeader`): keep them hidden.
      redact: source.redact,
      nextAt: this.clock.now(),
      method: options.method,
      headers: { ...options.headers, 'Content-Type': ['application/json'] },
      body: Buffer.from(JSON.stringify(payload)),
      maxRetries: options.maxRetries,
      retryDelay: options.retryDelay,
      timeoutMs: options.timeoutMs,
      callback: null,
      failureCallback: null,
    })
    this.onWork()
  }

  // ---- DLQ ----

  /** Re-publishes a DLQ entry as a new message (publish headers of the retry request override) and drops it. */
  retryDlq(dlqId: string, overrides: Partial<PublishSpec>): { messageId: string } | undefined {
    const entry = this.store.getDlq(dlqId)
    if (!entry) return undefined
    const m = entry.message
    const now = this.clock.now()
    const wait =
      overrides.notBeforeMs !== undefined && overrides.notBeforeMs !== null
        ? Math.max(0, overrides.notBeforeMs - now)
        : (overrides.delayMs ?? 0)
    const created = this.createMessage({
      kind: m.kind,
      url: m.url,
      topicName: m.topicName,
      endpointName: m.endpointName,
      queueName: m.queueName,
      scheduleId: m.scheduleId,
      labels: overrides.labels ?? m.labels,
      callerIp: m.callerIp,
      flowControlKey: m.flowControlKey,
      flowControl: m.flowControl,
      // Redaction stays with the message through the DLQ and its retry (QStash: "redacted fields remain redacted").
      redact: m.redact,
      nextAt: now + this.clock.scale(wait),
      method: overrides.method ?? m.method,
      headers: overrides.headers ? { ...m.headers, ...overrides.headers } : m.headers,
      body: m.body,
      maxRetries: overrides.maxRetries ?? m.maxRetries,
      retryDelay: overrides.retryDelay ?? m.retryDelay,
      timeoutMs: overrides.timeoutMs ?? m.timeoutMs,
      callback: overrides.callback ?? m.callback,
      failureCallback: overrides.failureCallback ?? m.failureCallback,
    })
    if (m.queueName) this.store.ensureQueue(m.queueName, now)
    this.store.deleteDlq(dlqId)
    this.onWork()
    return { messageId: created.id }
  }

  // ---- schedules ----

  /** Next real fire time of a cron expression, on the (possibly accelerated) cron clock. */
  nextRunFor(cron: string, now = this.clock.now()): number | null {
    const next = nextCronTime(parseCron(cron), this.clock.cronNow(now))
    return next === undefined ? null : this.clock.cronToReal(next)
  }

  /** Fires every due schedule once (missed occurrences are skipped, like cron) and plans the next run. */
  fireDueSchedules(): void {
    const now = this.clock.now()
    for (const schedule of this.store.dueSchedules(now)) {
      let next: number | null = null
      try {
        next = this.nextRunFor(schedule.cron, now)
      } catch {
        next = null
      }
      this.store.transaction(() => {
        this.store.setScheduleRun(schedule.id, now, next)
        try {
          this.publish(schedule.destination, scheduleSpec(schedule), {
            callerIp: schedule.callerIp,
            scheduleId: schedule.id,
            skipDedup: true,
          })
        } catch {
          // The URL group may have been deleted since; the schedule stays and fires again later.
        }
      })
    }
  }

  rotateKeys(): KeyRing {
    this.keys.current = this.keys.next
    this.keys.next = newId('sig', 28)
    return { ...this.keys }
  }
}

function markDeduplicated(previous: unknown): PublishResult | PublishResult[] {
  const mark = (value: unknown): PublishResult => {
    const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
    return {
      messageId: typeof record.messageId === 'string' ? record.messageId : '',
      url: typeof record.url === 'string' ? record.url : '',
      deduplicated: true,
    }
  }
  return Array.isArray(previous) ? previous.map(mark) : mark(previous)
}

/** Schedules store their PublishSpec (minus body) as JSON; this narrows it back. */
export function scheduleSpec(schedule: ScheduleRecord): PublishSpec {
  const raw =
    typeof schedule.spec === 'object' && schedule.spec !== null ? (schedule.spec as Record<string, unknown>) : {}
  const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback)
  const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null)
  return {
    method: asMethod(raw.method),
    headers: asHeaderMap(raw.headers),
    body: schedule.body,
    maxRetries: numberOr(raw.maxRetries, 3),
    retryDelay: stringOrNull(raw.retryDelay),
    timeoutMs: typeof raw.timeoutMs === 'number' ? raw.timeoutMs : null,
    delayMs: numberOr(raw.delayMs, 0),
    notBeforeMs: null,
    callback: asCallback(raw.callback),
    failureCallback: asCallback(raw.failureCallback),
    deduplicationId: null,
    contentBasedDeduplication: false,
    labels: Array.isArray(raw.labels) ? raw.labels.filter((l): l is string => typeof l === 'string') : [],
    queueName: stringOrNull(raw.queueName),
    flowControlKey: stringOrNull(raw.flowControlKey),
    flowControl: asFlowControl(raw.flowControl),
    redact: asRedact(raw.redact),
  }
}

/** What a schedule stores of its PublishSpec (the body lives in its own BLOB column). */
export function specForStorage(spec: PublishSpec): Record<string, unknown> {
  const { body: _body, ...rest } = spec
  return rest
}
