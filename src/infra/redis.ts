/**
 * Upstash Redis over REST: the official `@upstash/redis` client (commands, pipelines, auto-pipelining, serialization)
 * on a transport of our own, plugged in through the SDK's `Requester` extension point — the same client in dev,
 * tests and production, and on Node hosts (infra/node/upstash-http.ts supplies an undici transport instead of fetch).
 *
 * Why our own transport: every request must have a deadline (`REDIS_TIMEOUT_MS`) and every way Redis can fail must
 * become a typed 503 (./deadline.ts) — the SDK's client throws its transport's raw errors (on Workers a plain
 * `Error: Network connection lost.`) and hides the status of a server error. Command errors stay the SDK's
 * `UpstashError`s.
 */
import { errors, Redis, type Requester, type UpstashRequest } from '@upstash/redis'
import type { Config } from '../core/config'
import { Deadline } from './deadline'

/** One answer of the REST endpoint, read whole. */
export interface UpstashReply {
  status: number
  body: string
  syncToken: string | undefined
}

/** Sends one JSON body to `path` (below the endpoint's URL) and reads the whole answer; honours `signal`. */
export type UpstashTransport = (
  path: readonly string[],
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
) => Promise<UpstashReply>

// The SDK default (5 retries, exponential) can hold a request for seconds; on a request path, fail fast.
const RETRIES = 2
const backoffMs = (attempt: number) => Math.min(50 * 2 ** attempt, 200)

/** Waits `ms`, or less when `signal` fires first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

/**
 * A `Requester` for one Upstash REST endpoint with read-your-writes like the SDK's own client. Each request (a command
 * or a pipeline, retries included) runs under one deadline signal. Failures: no answer in time → a `timeout`, a
 * transport error → `unreachable`, a 5xx → `failing` (all `DependencyUnavailableError`, a 503); another non-2xx is the
 * SDK's `UpstashError`, as the SDK raises it.
 */
export class UpstashRequester implements Requester {
  readonly readYourWrites = true
  upstashSyncToken = ''
  readonly #token: string
  readonly #transport: UpstashTransport
  readonly #deadline: Deadline

  constructor(token: string, transport: UpstashTransport, deadline: Deadline) {
    this.#token = token
    this.#transport = transport
    this.#deadline = deadline
  }

  async request<TResult>(req: UpstashRequest): Promise<{ result?: TResult; error?: string }> {
    const body = JSON.stringify(req.body)
    const headers = {
      authorization: `Bearer ${this.#token}`,
      'content-type': 'application/json',
      'upstash-sync-token': this.upstashSyncToken,
      ...req.headers,
    }
    const signal = this.#deadline.signal()
    let reply: UpstashReply | undefined
    let failure: unknown = signal.reason
    // Transport failures are retried like the SDK does, within the one deadline (HTTP errors are answers).
    for (let attempt = 0; attempt <= RETRIES && !reply && !signal.aborted; attempt++) {
      if (attempt > 0) await pause(backoffMs(attempt), signal)
      if (signal.aborted) break
      try {
        reply = await this.#transport(req.path ?? [], headers, body, signal)
      } catch (err) {
        failure = err
      }
    }
    if (!reply) throw this.#deadline.failure(failure, signal)
    if (reply.status >= 500) throw this.#deadline.failing(reply.status, reply.body.slice(0, 200))
    if (reply.syncToken !== undefined) this.upstashSyncToken = reply.syncToken
    let parsed: unknown
    try {
      parsed = JSON.parse(reply.body)
    } catch (err) {
      throw new errors.UpstashJSONParseError(reply.body, { cause: err })
    }
    if (reply.status < 200 || reply.status >= 300) {
      throw new errors.UpstashError(`${(parsed as { error?: string }).error}, command was: ${body}`)
    }
    return parsed as { result?: TResult; error?: string }
  }
}

/** The Workers transport: `fetch`, native there. */
export function fetchTransport(url: string): UpstashTransport {
  const base = url.replace(/\/$/, '')
  return async (path, headers, body, signal) => {
    const res = await fetch([base, ...path].join('/'), { method: 'POST', headers, body, signal })
    return { status: res.status, body: await res.text(), syncToken: res.headers.get('upstash-sync-token') ?? undefined }
  }
}

/** The SDK's client on a requester, auto-pipelined as the SDK's own clients are by default. */
class PipelinedRedis extends Redis {
  static over(requester: Requester): Redis {
    return new PipelinedRedis(requester).autoPipeline()
  }
}

/** The Redis client for `config` over `transport` (default: fetch), bounded by `REDIS_TIMEOUT_MS`. */
export function redisOver(
  config: Config,
  transport: (url: string) => UpstashTransport = fetchTransport,
): Redis | undefined {
  if (!config.UPSTASH_REDIS_REST_URL || !config.UPSTASH_REDIS_REST_TOKEN) return undefined
  const deadline = new Deadline('redis', config.REDIS_TIMEOUT_MS)
  return PipelinedRedis.over(
    new UpstashRequester(config.UPSTASH_REDIS_REST_TOKEN, transport(config.UPSTASH_REDIS_REST_URL), deadline),
  )
}

export function createRedis(config: Config): Redis | undefined {
  return redisOver(config)
}

export type { Redis }
