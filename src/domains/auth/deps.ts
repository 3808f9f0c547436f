/**
 * What the auth flows need, built from the request context: clients, key names, the session store, the password
 * hasher and the caller's client info. Nothing here outlives the request except the hasher (plain key material,
 * cached per pepper so the pepper key is imported once per isolate; it is created lazily inside a request because
 * Workers forbid random bytes at module scope).
 */
import type { Context } from 'hono'
import type { Config } from '../../core/config'
import { InternalError } from '../../core/errors'
import type { Settings } from '../../core/settings'
import { background } from '../../http/background'
import { clientInfo } from '../../http/client-info'
import type { AppEnv } from '../../http/context'
import { carryRateLimit, clientIp } from '../../http/middleware/rate-limit'
import { realtimeOf } from '../../http/realtime'
import { requestSettings } from '../../http/settings'
import { RedisBatch } from '../../infra/redis-batch'
import { redisKeys } from '../../infra/redis-keys'
import { required } from '../../infra/services'
import { eventsOf } from '../events/outbox'
import { createPasswordHasher, type PasswordHasher } from './password'
import { SessionStore } from './sessions'

const hashers = new Map<string, PasswordHasher>()

/** The hasher of the configured pepper and iteration count (one per isolate and pair). */
export function passwordHasher(config: Pick<Config, 'PASSWORD_PEPPER' | 'PASSWORD_HASH_ITERATIONS'>): PasswordHasher {
  const { PASSWORD_PEPPER: pepper, PASSWORD_HASH_ITERATIONS: iterations } = config
  if (!pepper) throw new InternalError('error.config_invalid', { params: { detail: 'PASSWORD_PEPPER is not set' } })
  const key = `${iterations}:${pepper}`
  let hasher = hashers.get(key)
  if (!hasher) {
    hasher = createPasswordHasher({ pepper, iterations })
    hashers.set(key, hasher)
  }
  return hasher
}

/** The stores every account flow needs: database, Redis, key names and the session store (503 when missing). */
export function accountStores(c: Context<AppEnv>) {
  const config = c.get('config')
  const services = c.get('services')
  const redis = required(services.redis, 'redis')
  const keys = redisKeys(config)
  return {
    config,
    db: required(services.db, 'database'),
    redis,
    keys,
    // Revoking a session closes its sockets (src/domains/auth/sessions.ts).
    sessions: new SessionStore(redis, keys, realtimeOf(c)),
    lang: c.get('lang'),
  }
}

export function authDeps(c: Context<AppEnv>) {
  let settings: Promise<Settings> | undefined
  return {
    ...accountStores(c),
    /** Read on first use only: refresh and logout never need them (with the config plugin they cost a cache read). */
    settings: () => {
      settings ??= requestSettings(c)
      return settings
    },
    client: clientInfo(c.req.raw),
    /** The client as login throttling counts it: the IP as rate limits see it (IPv6 by its /64). */
    clientKey: clientIp(c),
    logger: c.get('logger'),
    /** The request's outbox (`login.failed` goes in the same batch as the attempt's login-log row). */
    events: eventsOf(c),
    /** Work that may finish after the answer (waitUntil; a failure is logged). */
    later: (what: string, work: Promise<unknown>) => background(c, what, work),
    /** A batch of commands that several steps fill and one Redis request sends (infra/redis-batch.ts). */
    redisBatch: () => new RedisBatch(required(c.get('services').redisReplies, 'redis')),
    /** Commands as one lean pipeline request (no SDK client built). */
    redisPipeline: () => required(c.get('services').redisPipeline, 'redis'),
    /** The route's carried rate limit (`rateLimit.carried`) queued in a batch; answers its judge (rate-limit.ts). */
    carryRateLimit: (batch: RedisBatch) => carryRateLimit(c, batch),
  }
}

export type AuthDeps = ReturnType<typeof authDeps>
