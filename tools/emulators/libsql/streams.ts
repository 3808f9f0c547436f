/**
 * Streams and batons. A stream is a logical connection: its stored SQL texts, its `PRAGMA foreign_keys` value and,
 * while a transaction is open, the database lock. The baton is a random single-use handle: it is removed when a
 * request presents it and a fresh one is issued with the response, so a replayed or guessed baton finds nothing.
 * Streams idle longer than `idleMs` are closed and their transaction rolled back (clients that died mid-transaction
 * must not hold the database forever).
 */
import { randomBytes } from 'node:crypto'
import type { DatabaseHost } from './database.js'

/** Enough for any sane client; a bound so a hostile one cannot grow a stream without limit. */
export const MAX_STORED_SQL = 1_000

export class Stream {
  readonly sqls = new Map<number, string>()
  /** This stream's `PRAGMA foreign_keys`; restored on the shared connection before each of its pipelines. */
  foreignKeys = true
  closed = false
  baton: string | null = null
  timer: NodeJS.Timeout | null = null

  constructor(readonly host: DatabaseHost) {}
}

export class StreamRegistry {
  readonly #byBaton = new Map<string, Stream>()
  readonly #all = new Set<Stream>()

  constructor(private readonly idleMs: number) {}

  get size(): number {
    return this.#all.size
  }

  open(host: DatabaseHost): Stream {
    const stream = new Stream(host)
    this.#all.add(stream)
    return stream
  }

  /**
   * Takes the stream a baton names (the baton is spent), or undefined if it is unknown, expired or belongs to another
   * database (then it stays valid for its own database).
   */
  take(baton: string, host: DatabaseHost): Stream | undefined {
    const stream = this.#byBaton.get(baton)
    if (stream === undefined || stream.host !== host) return undefined
    this.#byBaton.delete(baton)
    stream.baton = null
    if (stream.timer !== null) {
      clearTimeout(stream.timer)
      stream.timer = null
    }
    return stream
  }

  /** Parks a stream between requests: issues its next baton and starts the idle clock. */
  park(stream: Stream): string {
    const baton = randomBytes(24).toString('base64url')
    stream.baton = baton
    this.#byBaton.set(baton, stream)
    stream.timer = setTimeout(() => this.close(stream), this.idleMs)
    // Idle clocks must not keep a process (or a test run) alive.
    stream.timer.unref()
    return baton
  }

  /** Closes a stream: rolls back its transaction if it holds the database, then hands the database on. */
  close(stream: Stream): void {
    if (stream.baton !== null) this.#byBaton.delete(stream.baton)
    stream.baton = null
    if (stream.timer !== null) {
      clearTimeout(stream.timer)
      stream.timer = null
    }
    stream.closed = true
    stream.sqls.clear()
    this.#all.delete(stream)
    if (stream.host.isHeldBy(stream)) {
      stream.host.rollback()
      stream.host.release(stream)
    }
  }

  closeAll(): void {
    for (const stream of [...this.#all]) this.close(stream)
  }
}
