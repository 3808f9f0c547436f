/**
 * The default rule's counting in the isolate (docs/rate-limiting.md, "The default limit: counted in the isolate").
 *
 * One HTTP subrequest costs a Worker 0.2–0.5 ms of CPU, several times the rest of a public request, so the coarse
 * per-IP default does not ask Redis on every request. Per isolate and per (key, window) it keeps:
 * - `known`: the window's total as Redis last reported it (every isolate's flushed counts), and
 * - `pending`: requests admitted here and not yet sent to Redis.
 * A request is judged on `known + pending + 1` with no I/O. The first request of a key in a window has nothing
 * `known` and is counted in Redis on the critical path (`needsSync`); after that the pending count is sent with
 * `INCRBY` after the response (`waitUntil`) once it reaches a tenth of the limit or a tenth of the window has passed
 * since the last flush (never more than one flush in flight per key), and the reply refreshes `known`.
 * A key judged over its limit is denied locally until its window ends (the deny cache), without counting further.
 *
 * Accuracy: one isolate alone never admits more than the limit. Across N isolates each may admit up to
 * `flushThreshold(limit)` requests on a stale view before its flush shows them to the others, so a client gets at
 * most `limit + (N − 1) × flushThreshold(limit)` requests through per window (more only while flushes fail), and is
 * never denied before the window's real total has reached the limit (a local view never exceeds the real total).
 */

import type { RedisPipeline } from '../../infra/redis'

/** Flush once a tenth of the limit is pending (the accuracy given up per isolate). */
export function flushThreshold(limit: number): number {
  return Math.max(1, Math.ceil(limit / 10))
}

/** Flush at least this often while requests come (a tenth of the window, 100 ms–5 s): how stale `known` may get. */
export function flushIntervalMs(windowMs: number): number {
  return Math.min(5000, Math.max(100, Math.floor(windowMs / 10)))
}

interface Slot {
  /** The window's total in Redis as last reported. */
  known: number
  /** Admitted here, not yet flushed (includes a flush in flight until it settles). */
  pending: number
  /** Part of `pending` a flush is sending right now (0: none in flight). */
  inFlight: number
  lastFlush: number
  /** End of the window (epoch ms): the slot may be dropped after it. */
  reset: number
}

export type LocalDecision =
  /** Nothing known for this window here: count in Redis now (then `record`). */
  | { kind: 'sync' }
  /** Judged locally; `used` includes this request; `flush` is set when the pending count should be sent now. */
  | { kind: 'local'; success: boolean; used: number; flush?: { key: string; delta: number } }

/** Slots above this are swept of ended windows; a flood of distinct keys clears the map rather than grow it. */
const MAX_SLOTS = 10_000

export class LocalCounter {
  readonly #slots = new Map<string, Slot>()

  /** Whether this isolate knows the window's total for `key` (otherwise `check` answers `sync`). */
  knows(key: string): boolean {
    return this.#slots.has(key)
  }

  /** Judges one request against `limit` per window for `key` (the window's Redis key), without I/O. */
  check(key: string, limit: number, windowMs: number, now: number): LocalDecision {
    const slot = this.#slots.get(key)
    if (!slot) return { kind: 'sync' }
    const used = slot.known + slot.pending + 1
    if (used > limit) return { kind: 'local', success: false, used }
    slot.pending += 1
    const due = slot.pending >= flushThreshold(limit) || now - slot.lastFlush >= flushIntervalMs(windowMs)
    if (!due || slot.inFlight) return { kind: 'local', success: true, used }
    slot.inFlight = slot.pending
    slot.lastFlush = now
    return { kind: 'local', success: true, used, flush: { key, delta: slot.inFlight } }
  }

  /** Remembers a window's total after this request was counted in Redis on the critical path. */
  record(key: string, total: number, reset: number, now: number): void {
    if (this.#slots.size >= MAX_SLOTS) this.#sweep(now)
    const slot = this.#slots.get(key)
    if (slot) {
      slot.known = Math.max(slot.known, total)
      return
    }
    this.#slots.set(key, { known: total, pending: 0, inFlight: 0, lastFlush: now, reset })
  }

  /** A flush answered: Redis now holds `total` for the window, our sent part included. */
  flushed(key: string, total: number): void {
    const slot = this.#slots.get(key)
    if (!slot) return
    slot.pending -= slot.inFlight
    slot.inFlight = 0
    // Authoritative (every isolate's flushed counts, ours included); lower only after an admin reset.
    slot.known = total
  }

  /** A flush failed: its part stays pending and goes with the next flush. */
  failed(key: string): void {
    const slot = this.#slots.get(key)
    if (slot) slot.inFlight = 0
  }

  /** Drops every slot whose key contains `part` (an identifier reset by an admin). */
  forget(part: string): void {
    for (const key of this.#slots.keys()) if (key.includes(part)) this.#slots.delete(key)
  }

  #sweep(now: number): void {
    for (const [key, slot] of this.#slots) if (slot.reset <= now) this.#slots.delete(key)
    if (this.#slots.size >= MAX_SLOTS) this.#slots.clear()
  }
}

/** The isolate's counter for the default rule. */
export const defaultLimitCounter = new LocalCounter()

/**
 * Sends one flush — `INCRBY` the window's key by the pending count, set its expiry if it has none — and settles the
 * slot with the total Redis answers; rejects (after putting the part back) when Redis fails.
 */
export async function sendFlush(
  counter: LocalCounter,
  send: RedisPipeline,
  flush: { key: string; delta: number },
  windowMs: number,
): Promise<void> {
  try {
    const [total] = await send([
      ['INCRBY', flush.key, flush.delta],
      ['PEXPIRE', flush.key, windowMs, 'NX'],
    ])
    counter.flushed(flush.key, Number(total ?? 0))
  } catch (err) {
    counter.failed(flush.key)
    throw err
  }
}
