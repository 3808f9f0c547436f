/**
 * Deadlines of outbound calls and what a failed dependency becomes: a 503 (`Retry-After` is added by the error
 * handler), never a hang and never a 500.
 *
 * A `Deadline` belongs to one client of one request (clients are built per request, ./services.ts); its length comes
 * from config (`REDIS_TIMEOUT_MS`, `DB_TIMEOUT_MS`, `QSTASH_TIMEOUT_MS`, `STORAGE_TIMEOUT_MS`). Every call gets its own
 * timeout signal.
 * Once a call of the request has missed it, later calls of the same request to that service fail at once: a request
 * waits for a stalled service once, not once per call (e.g. the fail-open rate-limit count, then the route's own
 * Redis work).
 */
import { ServiceUnavailableError } from '../core/errors'

export type Dependency = 'database' | 'redis' | 'qstash' | 'storage' | 'email' | 'oauth2' | 'codegen-writer'

/**
 * `timeout`: no answer within the deadline; `unreachable`: the call failed before any answer (refused, reset, DNS);
 * `failing`: the service answered with a server error (5xx).
 */
export type FailureReason = 'timeout' | 'unreachable' | 'failing'

/** A dependency that could not serve this request. */
export class DependencyUnavailableError extends ServiceUnavailableError {
  override readonly name = 'DependencyUnavailableError'
  constructor(
    /** Undefined when only the kind of failure is known (a deadline that fired while a client read a body). */
    readonly service: Dependency | undefined,
    readonly reason: FailureReason,
    cause: unknown,
  ) {
    super(undefined, { data: { service: service ?? 'unknown', reason }, cause })
  }
}

export class Deadline {
  #missed: DependencyUnavailableError | undefined

  constructor(
    readonly service: Dependency,
    readonly ms: number,
  ) {}

  /** The signal of one call: fires after `ms`; already fired once a call of this request missed its deadline. */
  signal(): AbortSignal {
    return this.#missed ? AbortSignal.abort(this.#missed) : AbortSignal.timeout(this.ms)
  }

  /**
   * The typed error for a call that failed without an answer: a timeout when its signal fired (remembered for the
   * rest of the request), unreachable otherwise.
   */
  failure(err: unknown, signal: AbortSignal): DependencyUnavailableError {
    if (err instanceof DependencyUnavailableError) return err
    if (!signal.aborted) return new DependencyUnavailableError(this.service, 'unreachable', err)
    this.#missed ??= new DependencyUnavailableError(
      this.service,
      'timeout',
      new Error(`${this.service} did not answer within ${this.ms} ms`, { cause: err }),
    )
    return this.#missed
  }

  /** A server error (5xx) of the service as the typed error. */
  failing(status: number, cause?: unknown): DependencyUnavailableError {
    return new DependencyUnavailableError(
      this.service,
      'failing',
      new Error(`${this.service} answered ${status}`, { cause }),
    )
  }

  /** `fetch` bounded by this deadline, its failures typed (for clients that take a custom `fetch`, e.g. libSQL). */
  fetch(fetcher: typeof fetch = fetch): typeof fetch {
    return async (input, init) => {
      const signal = this.signal()
      try {
        return await fetcher(input, { ...init, signal })
      } catch (err) {
        throw this.failure(err, signal)
      }
    }
  }

  /**
   * Runs a call of a client that takes no signal (e.g. QStash): waits at most `ms`. Errors that are the service's
   * answer (`isAnswer`, e.g. a 4xx) pass unchanged; anything else thrown is the service being unreachable. The call
   * itself is not cancelled (the client offers no way to), only no longer waited for.
   */
  async run<T>(call: () => Promise<T>, isAnswer: (err: unknown) => boolean = () => false): Promise<T> {
    const signal = this.signal()
    if (signal.aborted) throw this.failure(signal.reason, signal)
    let stop: (() => void) | undefined
    const expired = new Promise<never>((_, reject) => {
      stop = () => reject(signal.reason)
      signal.addEventListener('abort', stop, { once: true })
    })
    const work = call()
    // Lost races still settle later; nobody waits for them any more.
    work.catch(() => undefined)
    try {
      return await Promise.race([work, expired])
    } catch (err) {
      if (!signal.aborted && isAnswer(err)) throw err
      throw this.failure(err, signal)
    } finally {
      if (stop) signal.removeEventListener('abort', stop)
    }
  }
}

const isTimeout = (e: object): boolean => (e as { name?: unknown }).name === 'TimeoutError'

/**
 * The dependency failure behind `err`, down its cause chain (drivers wrap errors: Drizzle's `DrizzleQueryError`,
 * libSQL's `LibsqlError`): one of ours, or a deadline that fired while a client was reading a response body
 * (`AbortSignal.timeout` rejects with a `TimeoutError`, which only deadlines raise).
 */
export function dependencyFailure(err: unknown): DependencyUnavailableError | undefined {
  let e: unknown = err
  for (let depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    if (e instanceof DependencyUnavailableError) return e
    if (isTimeout(e)) return new DependencyUnavailableError(undefined, 'timeout', err)
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}
