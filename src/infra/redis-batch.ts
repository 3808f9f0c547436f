/**
 * Commands from several parts of one request gathered into one Redis pipeline request: each part queues its commands
 * and keeps the promises of their replies, one `send()` makes the round trip. The login puts its rate limits, captcha
 * and lockout reads in one request this way (domains/auth/service.ts; docs/benchmarks.md, "Login").
 *
 * Scripts: a `@upstash/ratelimit` limiter given `scripts` as its Redis client queues its EVALSHA here like any other
 * command. After a `NOSCRIPT` reply it retries with EVAL, which — the batch being sent by then — goes out on its own.
 */
import { type RedisCommand, type RedisReplies, type RedisReply, replyValue } from './redis'

interface Queued {
  command: RedisCommand
  resolve: (result: unknown) => void
  reject: (error: unknown) => void
}

/** The two methods of the SDK's client that `@upstash/ratelimit`'s `limit()` calls (with dynamic limits off). */
export interface ScriptRunner {
  evalsha(sha: string, keys: readonly string[], args: readonly unknown[]): Promise<unknown>
  eval(script: string, keys: readonly string[], args: readonly unknown[]): Promise<unknown>
}

/** A script argument as the SDK sends it: numbers and strings as they are, anything else as JSON. */
const argument = (value: unknown): string | number =>
  typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value)

export class RedisBatch {
  #queued: Queued[] = []
  #sent = false

  constructor(private readonly replies: RedisReplies) {}

  /**
   * Queues `command` and answers its reply once the batch is sent (a command's own error rejects, as does a failed
   * request). After `send()`, a command goes out alone.
   */
  add(command: RedisCommand): Promise<unknown> {
    if (this.#sent) return this.replies([command]).then(([reply]) => replyValue(reply))
    const reply = new Promise<unknown>((resolve, reject) => this.#queued.push({ command, resolve, reject }))
    // A part may stop reading once another part's reply decided the request (a 429 comes first): an unread failure
    // is no unhandled rejection. Whoever reads the reply still gets the error.
    reply.catch(() => undefined)
    return reply
  }

  /** Sends what is queued as one request; every queued reply settles. Never throws: the replies carry the failure. */
  async send(): Promise<void> {
    this.#sent = true
    const queued = this.#queued
    this.#queued = []
    if (!queued.length) return
    let replies: RedisReply[]
    try {
      replies = await this.replies(queued.map((q) => q.command))
    } catch (err) {
      for (const q of queued) q.reject(err)
      return
    }
    queued.forEach((q, i) => {
      try {
        q.resolve(replyValue(replies[i]))
      } catch (err) {
        q.reject(err)
      }
    })
  }

  /** The scripts of a rate limiter, queued in this batch. */
  readonly scripts: ScriptRunner = {
    evalsha: (sha, keys, args) => this.add(['EVALSHA', sha, keys.length, ...keys, ...args.map(argument)]),
    eval: (script, keys, args) => this.add(['EVAL', script, keys.length, ...keys, ...args.map(argument)]),
  }
}
