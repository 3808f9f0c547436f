/**
 * Node only (never imported by the Worker entry): @upstash/redis over a keep-alive undici `Pool`, through the
 * SDK's own `Requester` extension point — commands, pipelines, serialization and errors stay the SDK's.
 *
 * Why: in Node, WHATWG `fetch` costs ~0.4 ms of CPU per call on the 2-core dev machine — most of a warm
 * authenticated request — where undici's `request()` costs ~0.09 ms (`node:http`: ~0.15). Workers keep the SDK's
 * default client (their `fetch` is native). Same REST protocol and emulators, so only the transport differs. Used by Node hosts of the app (the
 * in-process benchmark today; a Node entry later) through `createApp({ services: nodeServices() })`.
 */
import { errors, Redis, type Requester, type UpstashRequest, type UpstashResponse } from '@upstash/redis'
import { Pool } from 'undici'
import type { Config } from '../../core/config'
import type { ServiceFactories } from '../services'

const RETRIES = 2

interface Reply {
  status: number
  body: string
  syncToken: string | undefined
}

/** A `Requester` for one Upstash REST endpoint (url + token), with read-your-writes like the SDK's own client. */
export class NodeUpstashRequester implements Requester {
  readonly readYourWrites = true
  upstashSyncToken = ''
  readonly #url: URL
  readonly #token: string
  readonly #pool: Pool

  constructor(url: string, token: string) {
    this.#url = new URL(url.endsWith('/') ? url : `${url}/`)
    this.#token = token
    this.#pool = poolFor(this.#url)
  }

  async request<TResult>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
    const body = JSON.stringify(req.body)
    let reply: Reply | undefined
    let failure: unknown
    // Network failures are retried like the SDK does (HTTP errors are answers, not failures).
    for (let attempt = 0; attempt <= RETRIES && !reply; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 200)))
      try {
        reply = await this.#post(req, body)
      } catch (err) {
        failure = err
      }
    }
    if (!reply) throw failure
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
    return parsed as UpstashResponse<TResult>
  }

  async #post(req: UpstashRequest, body: string): Promise<Reply> {
    const res = await this.#pool.request({
      method: 'POST',
      path: `${this.#url.pathname}${(req.path ?? []).join('/')}`,
      headers: {
        authorization: `Bearer ${this.#token}`,
        'content-type': 'application/json',
        'upstash-sync-token': this.upstashSyncToken,
        ...req.headers,
      },
      body,
    })
    const token = res.headers['upstash-sync-token']
    return {
      status: res.statusCode,
      body: await res.body.text(),
      syncToken: typeof token === 'string' ? token : undefined,
    }
  }
}

// One keep-alive pool per origin, shared by every request's client in the process (sockets, not state).
const pools = new Map<string, Pool>()

function poolFor(url: URL): Pool {
  let pool = pools.get(url.origin)
  if (!pool) {
    pool = new Pool(url.origin, { connections: 16 })
    pools.set(url.origin, pool)
  }
  return pool
}

/** The Redis client for `config` over the Node transport (undefined when Redis is not configured). */
export function nodeRedis(config: Config): Redis | undefined {
  if (!config.UPSTASH_REDIS_REST_URL || !config.UPSTASH_REDIS_REST_TOKEN) return undefined
  return new Redis(new NodeUpstashRequester(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN))
}

/** Service factories for a Node host: everything as in Workers, except Redis's transport. */
export function nodeServices(): ServiceFactories {
  return { redis: nodeRedis }
}
