/**
 * Per-request service container. Clients are created on first use, so a request that never touches the database
 * never builds a database client. `undefined` means "not configured" (allowed outside production).
 */
import type { Config } from '../core/config'
import { ServiceUnavailableError } from '../core/errors'
import { Cache } from './cache'
import { createDb, type Db } from './db/client'
import { createQstash, type Qstash } from './qstash'
import { createRedis, type Redis } from './redis'

const UNSET = Symbol('unset')

/**
 * How a host builds its clients, where it differs from Workers: a Node host passes a Redis client over `node:http`
 * (infra/node/upstash-http.ts). Plain functions of the config, no I/O until called.
 */
export interface ServiceFactories {
  redis?: (config: Config) => Redis | undefined
}

export class Services {
  #db: Db | undefined | typeof UNSET = UNSET
  #redis: Redis | undefined | typeof UNSET = UNSET
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
    if (this.#redis === UNSET) this.#redis = (this.factories.redis ?? createRedis)(this.config)
    return this.#redis
  }

  get qstash(): Qstash | undefined {
    if (this.#qstash === UNSET) this.#qstash = createQstash(this.config)
    return this.#qstash
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
export function required<T>(client: T | undefined, name: 'database' | 'redis' | 'qstash'): T {
  if (client === undefined)
    throw new ServiceUnavailableError(undefined, { data: { service: name, reason: 'not configured' } })
  return client
}
