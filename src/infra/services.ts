/**
 * Per-request service container. Clients are created on first use, so a request that never touches the database
 * never builds a database client. `undefined` means "not configured" (allowed outside production).
 */
import type { Config } from '../core/config'
import { ServiceUnavailableError } from '../core/errors'
import { createDb, type Db } from './db/client'
import { createQstash, type Qstash } from './qstash'
import { createRedis, type Redis } from './redis'

export interface Services {
  readonly db: Db | undefined
  readonly redis: Redis | undefined
  readonly qstash: Qstash | undefined
}

function lazy<T>(make: () => T): () => T {
  let made = false
  let value: T
  return () => {
    if (!made) {
      value = make()
      made = true
    }
    return value
  }
}

export function createServices(config: Config): Services {
  const db = lazy(() => createDb(config))
  const redis = lazy(() => createRedis(config))
  const qstash = lazy(() => createQstash(config))
  return {
    get db() {
      return db()
    },
    get redis() {
      return redis()
    },
    get qstash() {
      return qstash()
    },
  }
}

/** The configured client, or a 503: a feature that needs a service cannot run without it. */
export function required<T>(client: T | undefined, name: 'database' | 'redis' | 'qstash'): T {
  if (client === undefined)
    throw new ServiceUnavailableError(undefined, { data: { service: name, reason: 'not configured' } })
  return client
}
