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
import { lazyInstance } from './lazy'

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

/** The requester for `config` over `transport` (default: fetch), bounded by `REDIS_TIMEOUT_MS`; undefined: no Redis. */
export function redisRequester(
  config: Config,
  transport: (url: string) => UpstashTransport = fetchTransport,
): UpstashRequester | undefined {
  if (!config.UPSTASH_REDIS_REST_URL || !config.UPSTASH_REDIS_REST_TOKEN) return undefined
  const deadline = new Deadline('redis', config.REDIS_TIMEOUT_MS)
  return new UpstashRequester(config.UPSTASH_REDIS_REST_TOKEN, transport(config.UPSTASH_REDIS_REST_URL), deadline)
}

/**
 * The SDK's client (auto-pipelined) on a requester, built on first use. Building it allocates a closure per command
 * the SDK knows, twice (the client and the auto-pipeline's template pipeline): on Workers that costs more CPU than a
 * cheap request spends anywhere else, and many requests take a client they never call (a service's dependencies are
 * gathered whether or not its method needs Redis).
 */
export function redisOn(requester: Requester): Redis {
  return lazyInstance(() => PipelinedRedis.over(requester))
}

/** The Redis client for `config` over `transport` (default: fetch), bounded by `REDIS_TIMEOUT_MS`. */
export function redisOver(
  config: Config,
  transport: (url: string) => UpstashTransport = fetchTransport,
): Redis | undefined {
  const requester = redisRequester(config, transport)
  return requester && redisOn(requester)
}

/** One Redis command as the REST API takes it: `['GET', key]`, `['PEXPIRE', key, 1000, 'NX']`. */
export type RedisCommand = readonly (string | number)[]

/** Sends commands as one pipeline request and answers their results in order (a command's error throws). */
export type RedisPipeline = (commands: readonly RedisCommand[]) => Promise<unknown[]>

/**
 * A pipeline straight through the requester, without the SDK's client objects. Building `@upstash/redis`'s client
 * and a pipeline allocates a closure per command it knows (several hundred, each named by the bundle's keep_names)
 * — on Workers more CPU than the hot path it serves (docs/benchmarks.md, "The app on workerd"). Results are read as
 * the SDK reads them: a string holding JSON is parsed (values the SDK wrote as objects), anything else is kept.
 */
export function leanPipeline(requester: Requester): RedisPipeline {
  const send = leanReplies(requester)
  return async (commands) => (await send(commands)).map(replyValue)
}

/** One command's answer in a pipeline: its result, or the error Redis gave for that command alone. */
export type RedisReply = { result: unknown } | { error: Error }

/** A reply's result; throws the command's own error (or when Redis answered fewer replies than commands). */
export function replyValue(reply: RedisReply | undefined): unknown {
  if (!reply) throw new Error('Redis answered fewer replies than commands')
  if ('error' in reply) throw reply.error
  return reply.result
}

/**
 * Sends commands as one pipeline request and answers each command's reply in order: a command's error is its own
 * reply (Upstash runs the rest of a pipeline after a failed command), a failed request throws.
 */
export type RedisReplies = (commands: readonly RedisCommand[]) => Promise<RedisReply[]>

/** `leanPipeline`, keeping each command's error as its reply (infra/redis-batch.ts). */
export function leanReplies(requester: Requester): RedisReplies {
  return async (commands) => {
    const replies = (await requester.request<unknown>({ path: ['pipeline'], body: commands })) as unknown as {
      result?: unknown
      error?: string
    }[]
    return replies.map((reply) =>
      reply.error !== undefined
        ? { error: new errors.UpstashError(reply.error) }
        : { result: typeof reply.result === 'string' ? parseStored(reply.result) : reply.result },
    )
  }
}

function parseStored(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function createRedis(config: Config): Redis | undefined {
  return redisOver(config)
}

export type { Redis }
