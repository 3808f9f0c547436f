/**
 * Per-request service container. Clients are created on first use, so a request that never touches the database
 * never builds a database client. `undefined` means "not configured" (allowed outside production).
 */
import type { Config } from '../core/config'
import { ServiceUnavailableError } from '../core/errors'
import { Cache } from './cache'
import { createDb, type Db } from './db/client'
import { createQstash, type Qstash } from './qstash'
import {
  fetchTransport,
  leanPipeline,
  leanReplies,
  type Redis,
  type RedisPipeline,
  type RedisReplies,
  redisOn,
  redisRequester,
  type UpstashRequester,
  type UpstashTransport,
} from './redis'
import { type ServerProbe, workersServerProbe } from './server-probe'
import { type SmtpTransport, workersSmtpTransport } from './smtp-email'

const UNSET = Symbol('unset')

/**
 * How a host builds its clients, where it differs from Workers: a Node host passes a Redis client over `node:http`
 * (infra/node/upstash-http.ts). Plain functions of the config, no I/O until called.
 */
export interface ServiceFactories {
  /** A Redis client of the host's making (tests); otherwise the SDK's client over `redisTransport`. */
  redis?: (config: Config) => Redis | undefined
  /** How Redis requests travel (default: fetch); the SDK client and `redisPipeline` share it and its deadline. */
  redisTransport?: (url: string) => UpstashTransport
  /**
   * What the server monitor reads the machine with (./server-probe.ts); default the Workers probe. A Node host passes
   * `nodeServerProbe` (infra/node/server-probe.ts; `nodeServices()` includes it).
   */
  serverProbe?: ServerProbe
  /**
   * How SMTP mail leaves the host (./smtp-email.ts); default `worker-mailer` over `cloudflare:sockets`, which only
   * Workers have. The Node, Bun and Deno hosts pass `nodeSmtpTransport` (infra/node/smtp-email.ts).
   */
  smtpTransport?: SmtpTransport
}

export class Services {
  #db: Db | undefined | typeof UNSET = UNSET
  #redis: Redis | undefined | typeof UNSET = UNSET
  #redisRequester: UpstashRequester | undefined | typeof UNSET = UNSET
  #redisPipeline: RedisPipeline | undefined | typeof UNSET = UNSET
  #redisReplies: RedisReplies | undefined | typeof UNSET = UNSET
  #qstash: Qstash | undefined | typeof UNSET = UNSET
  #cache: Cache | undefined | typeof UNSET = UNSET

  constructor(
    private readonly config: Config,
    private readonly factories: ServiceFactories = {},
  ) {}

  get db(): Db | undefined {
    if (this.#db === UNSET) this.#db = createDb(this.config)
    return this.#db
  }

  get redis(): Redis | undefined {
    if (this.#redis === UNSET) {
      const requester = this.factories.redis ? undefined : this.#requester()
      this.#redis = this.factories.redis ? this.factories.redis(this.config) : requester && redisOn(requester)
    }
    return this.#redis
  }

  /**
   * Commands sent as one pipeline without building the SDK's client (the hot path of authentication,
   * infra/redis.ts `leanPipeline`); same endpoint, transport and deadline as `redis`.
   */
  get redisPipeline(): RedisPipeline | undefined {
    if (this.#redisPipeline === UNSET) {
      const requester = this.#requester()
      this.#redisPipeline = requester && leanPipeline(requester)
    }
    return this.#redisPipeline
  }

  /** Like `redisPipeline`, answering each command's error as its reply (infra/redis-batch.ts `RedisBatch`). */
  get redisReplies(): RedisReplies | undefined {
    if (this.#redisReplies === UNSET) {
      const requester = this.#requester()
      this.#redisReplies = requester && leanReplies(requester)
    }
    return this.#redisReplies
  }

  #requester(): UpstashRequester | undefined {
    if (this.#redisRequester === UNSET)
      this.#redisRequester = redisRequester(this.config, this.factories.redisTransport ?? fetchTransport)
    return this.#redisRequester
  }

  get qstash(): Qstash | undefined {
    if (this.#qstash === UNSET) this.#qstash = createQstash(this.config)
    return this.#qstash
  }

  /** The host's probe for the server monitor (no I/O until asked). */
  get serverProbe(): ServerProbe {
    return this.factories.serverProbe ?? workersServerProbe
  }

  /** The host's SMTP transport for the `email` plugin (no I/O until a message is sent). */
  get smtpTransport(): SmtpTransport {
    return this.factories.smtpTransport ?? workersSmtpTransport
  }

  /** Two-level cache over Redis (undefined without Redis). */
  get cache(): Cache | undefined {
    if (this.#cache === UNSET) {
      const redis = this.redis
      this.#cache = redis && new Cache(redis, { prefix: this.config.REDIS_KEY_PREFIX })
    }
    return this.#cache
  }
}

export function createServices(config: Config, factories?: ServiceFactories): Services {
  return new Services(config, factories)
}

/** The configured client, or a 503: a feature that needs a service cannot run without it. */
export function required<T>(client: T | undefined, name: 'database' | 'redis' | 'qstash' | 'storage'): T {
  if (client === undefined)
    throw new ServiceUnavailableError(undefined, { data: { service: name, reason: 'not configured' } })
  return client
}
