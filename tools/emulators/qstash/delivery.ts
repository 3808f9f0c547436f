/**
 * The delivery loop: every tick it fires due schedules, then picks due messages from the table
 * (plain messages by due time, queue messages in FIFO order within each queue's parallelism) and
 * delivers them over HTTP with a fresh `Upstash-Signature`. Flow-control keys gate both (flow-control.ts).
 *
 * The loop holds no state that is not also in SQLite: a message is marked `active` before its request
 * starts and only leaves that state once the outcome is recorded, so a stop at any point is recovered
 * by resetting `active` rows on the next start.
 */

import type { AttemptOutcome, QstashCore } from './core'
import { canonicalHeaderName } from './headers'
import { signDelivery } from './signing'
import type { HeaderMap, StoredMessage } from './types'

export interface DispatcherOptions {
  tickMs: number
  /** Upper bound on simultaneous outgoing requests. */
  maxConcurrency: number
  /** Per-attempt timeout when the message sets no `Upstash-Timeout` (real ms, not scaled). */
  defaultTimeoutMs: number
  /** Where unexpected loop errors go; the loop itself never stops on them. */
  onError: (err: unknown) => void
}

/** Largest response body read from a destination. */
const MAX_RESPONSE_BYTES = 1024 * 1024
/** Events kept in the log table. */
const EVENTS_KEPT = 100_000

export class Dispatcher {
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly inflight = new Map<string, { promise: Promise<void>; controller: AbortController }>()
  private stopping = false
  private wakeScheduled = false
  private ticks = 0

  constructor(
    private readonly core: QstashCore,
    private readonly options: DispatcherOptions,
  ) {}

  start(): void {
    // Deliveries cut off by the previous stop (or crash) are attempted again right away.
    this.core.store.resetAllActive(this.core.clock.now())
    this.timer = setInterval(() => this.tick(), this.options.tickMs)
    // The HTTP server keeps the process alive; the timer alone should not.
    this.timer.unref()
    this.wake()
  }

  parallelism(): { parallelismMax: number; parallelismCount: number } {
    return { parallelismMax: this.options.maxConcurrency, parallelismCount: this.inflight.size }
  }

  /** Runs a tick soon (coalesced), e.g. right after a publish with no delay. */
  wake(): void {
    if (this.wakeScheduled || this.stopping) return
    this.wakeScheduled = true
    setImmediate(() => {
      this.wakeScheduled = false
      this.tick()
    })
  }

  tick(): void {
    if (this.stopping) return
    try {
      this.core.fireDueSchedules()
      this.pickDue()
      if (++this.ticks % 500 === 0) {
        this.core.store.pruneDedup(this.core.clock.now())
        this.core.store.pruneEvents(EVENTS_KEPT)
      }
    } catch (err) {
      this.options.onError(err)
    }
  }

  private pickDue(): void {
    const store = this.core.store
    const now = this.core.clock.now()
    let capacity = this.options.maxConcurrency - this.inflight.size
    if (capacity <= 0) return
    // Keys held back by flow control are left out of the query, so their wait lists cannot fill the page and starve
    // other messages; a key that fills up during the pass is skipped and the page read again (a few times at most).
    for (let pass = 0; pass < 4 && capacity > 0; pass++) {
      let skipped = false
      for (const message of store.dueMessages(now, capacity, this.core.flow.blockedKeys(now))) {
        if (this.begin(message, now)) capacity--
        else skipped = true
      }
      if (!skipped) break
    }
    for (const queueName of store.queuesWithWork()) {
      if (capacity <= 0) return
      const queue = store.getQueue(queueName)
      if (queue?.paused) continue
      const heads = store.queueHeads(queueName, Math.max(1, queue?.parallelism ?? 1))
      for (const message of heads) {
        if (capacity <= 0) return
        if (message.state !== 'pending' || message.nextAt > now) continue
        if (this.begin(message, now)) capacity--
      }
    }
  }

  private begin(message: StoredMessage, now: number): boolean {
    if (this.inflight.has(message.id)) return false
    if (!this.core.flow.admit(message, now)) return false
    if (!this.core.store.markActive(message.id)) return false
    const active: StoredMessage = { ...message, state: 'active' }
    this.core.store.addEvent(active, { state: 'ACTIVE', time: this.core.clock.now() })
    const controller = new AbortController()
    const promise = this.deliver(active, controller.signal)
      .catch((err: unknown) => this.options.onError(err))
      .finally(() => {
        this.inflight.delete(message.id)
        // A finished attempt may unblock the next message of its queue.
        this.wake()
      })
    this.inflight.set(message.id, { promise, controller })
    return true
  }

  private async deliver(message: StoredMessage, stopSignal: AbortSignal): Promise<void> {
    const hasBody = message.method !== 'GET' && message.method !== 'HEAD'
    const body = hasBody ? message.body : Buffer.alloc(0)
    const headers = new Headers()
    for (const [name, values] of Object.entries(message.headers)) {
      for (const value of values) {
        try {
          headers.append(name, value)
        } catch {
          // A header value fetch refuses (e.g. control characters) is dropped rather than failing delivery.
        }
      }
    }
    headers.set('User-Agent', 'Upstash-QStash')
    headers.set('Upstash-Message-Id', message.id)
    headers.set('Upstash-Retried', String(message.retried))
    if (message.scheduleId) headers.set('Upstash-Schedule-Id', message.scheduleId)
    if (message.topicName) headers.set('Upstash-Topic-Name', message.topicName)
    if (message.callerIp) headers.set('Upstash-Caller-Ip', message.callerIp)
    headers.set('Upstash-Signature', await signDelivery({ signingKey: this.core.keys.current, url: message.url, body }))

    const timeoutMs = message.timeoutMs ?? this.options.defaultTimeoutMs
    const signal = AbortSignal.any([stopSignal, AbortSignal.timeout(timeoutMs)])
    let outcome: AttemptOutcome
    try {
      const response = await fetch(message.url, {
        method: message.method,
        headers,
        body: hasBody ? new Uint8Array(body) : undefined,
        signal,
      })
      outcome = {
        kind: 'response',
        status: response.status,
        headers: responseHeaders(response.headers),
        body: await readLimited(response),
      }
    } catch (err) {
      // Stopping: leave the row `active`; stop() / the next start puts it back in line.
      if (stopSignal.aborted) return
      outcome = {
        kind: 'error',
        error: signal.aborted ? `timeout after ${timeoutMs} ms` : describeFetchError(err),
      }
    }
    if (this.stopping && stopSignal.aborted) return
    this.core.completeAttempt(message, outcome)
  }

  /** Stops ticking, aborts in-flight requests and puts them back to `pending` (they resume on the next start). */
  async stop(): Promise<void> {
    this.stopping = true
    if (this.timer) clearInterval(this.timer)
    for (const { controller } of this.inflight.values()) controller.abort()
    await Promise.allSettled([...this.inflight.values()].map((entry) => entry.promise))
    this.core.store.resetAllActive(this.core.clock.now())
  }
}

function responseHeaders(headers: Headers): HeaderMap {
  const out: HeaderMap = {}
  headers.forEach((value, name) => {
    const key = canonicalHeaderName(name)
    out[key] = [...(out[key] ?? []), value]
  })
  return out
}

async function readLimited(response: Response): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.length
    if (size >= MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined)
      break
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES)
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : ''
    return `${err.message}${cause}`
  }
  return String(err)
}
