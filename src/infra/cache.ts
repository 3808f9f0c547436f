/**
 * Two-level cache for read-mostly lookups: L1 in isolate memory (bounded, short TTL) in front of Redis (L2).
 *
 * Consistency without pub/sub (isolates are many and short-lived): every namespace has a generation counter in
 * Redis, and every L2 entry records the generation it was written at. A read that reaches Redis fetches the entry
 * and the current generation in one pipeline, so an invalidated namespace is never served from Redis. L1 entries
 * are trusted for `l1Seconds` only, which bounds how long another isolate can serve a value after a write; the
 * writing isolate drops its own L1 at once. Concurrent misses for one key in an isolate share one load.
 */

import { decodeCacheValue, encodeCacheValue } from './cache-codec'
import type { Redis } from './redis'

export interface CacheOptions {
  /** Redis key prefix (app + environment), e.g. `REDIS_KEY_PREFIX`. */
  prefix: string
  /** Default L2 (Redis) TTL in seconds. */
  ttlSeconds?: number
  /** L1 (isolate memory) TTL in seconds: the staleness bound across isolates. 0 disables L1. */
  l1Seconds?: number
  /** Most entries kept in L1 per isolate. */
  l1MaxEntries?: number
  /** The isolate's memory (default: this isolate's); tests pass their own to play two isolates. */
  local?: LocalStore
}

interface L1Entry {
  value: unknown
  expiresAt: number
}

interface L2Entry {
  g: number
  v: unknown
}

export interface CacheStats {
  hits: number
  l1Hits: number
  misses: number
}

/** What one isolate keeps in memory: L1 entries, loads in flight, hit/miss counters. Plain data, no I/O. */
export class LocalStore {
  readonly l1 = new Map<string, L1Entry>()
  readonly inflight = new Map<string, Promise<unknown>>()
  readonly stats = new Map<string, CacheStats>()

  statsFor(name: string): CacheStats {
    let s = this.stats.get(name)
    if (!s) {
      s = { hits: 0, l1Hits: 0, misses: 0 }
      this.stats.set(name, s)
    }
    return s
  }

  /** Hit/miss counters per namespace (monitoring). */
  snapshot(): Record<string, CacheStats> {
    return Object.fromEntries([...this.stats].map(([name, s]) => [name, { ...s }]))
  }

  clear(): void {
    this.l1.clear()
    this.inflight.clear()
    this.stats.clear()
  }
}

/** This isolate's store, shared by every request it serves. */
export const isolateStore = new LocalStore()

export class Cache {
  readonly #prefix: string
  readonly #ttl: number
  readonly #l1Ms: number
  readonly #l1Max: number
  readonly #local: LocalStore

  constructor(
    private readonly redis: Redis,
    options: CacheOptions,
  ) {
    this.#prefix = `${options.prefix}:cache`
    this.#ttl = options.ttlSeconds ?? 3600
    this.#l1Ms = (options.l1Seconds ?? 5) * 1000
    this.#l1Max = options.l1MaxEntries ?? 1000
    this.#local = options.local ?? isolateStore
  }

  #key(name: string, key: string) {
    return `${this.#prefix}:${name}:${key}`
  }

  #genKey(name: string) {
    return `${this.#prefix}:${name}:generation`
  }

  #remember(fullKey: string, value: unknown) {
    const { l1 } = this.#local
    if (this.#l1Ms <= 0) return
    if (l1.size >= this.#l1Max) {
      // Maps iterate in insertion order: dropping the first entry evicts the oldest.
      const oldest = l1.keys().next().value
      if (oldest !== undefined) l1.delete(oldest)
    }
    l1.set(fullKey, { value, expiresAt: Date.now() + this.#l1Ms })
  }

  /**
   * The cached value for `name`/`key`, or `load()`'s result (stored for `ttlSeconds`). `undefined` from the loader is
   * not cached; `null` is.
   */
  async getOrLoad<T>(name: string, key: string, load: () => Promise<T>, ttlSeconds = this.#ttl): Promise<T> {
    const fullKey = this.#key(name, key)
    const { l1, inflight } = this.#local
    const s = this.#local.statsFor(name)
    const local = l1.get(fullKey)
    if (local && local.expiresAt > Date.now()) {
      s.hits++
      s.l1Hits++
      return local.value as T
    }
    const pending = inflight.get(fullKey)
    if (pending) return pending as Promise<T>
    const work = (async () => {
      const [entry, generation] = await this.redis
        .pipeline()
        .get<string>(fullKey)
        .get<number>(this.#genKey(name))
        .exec<[string | null, number | null]>()
      const gen = generation ?? 0
      const stored = entry === null ? null : (decodeCacheValue(entry) as L2Entry)
      if (stored && stored.g === gen) {
        s.hits++
        this.#remember(fullKey, stored.v)
        return stored.v as T
      }
      s.misses++
      const value = await load()
      if (value !== undefined) {
        await this.redis.set(fullKey, encodeCacheValue({ g: gen, v: value }), { ex: ttlSeconds })
        this.#remember(fullKey, value)
      }
      return value
    })()
    inflight.set(fullKey, work)
    try {
      return await work
    } finally {
      inflight.delete(fullKey)
    }
  }

  /** Drops one key everywhere: Redis now, this isolate's L1 now, other isolates' L1 within `l1Seconds`. */
  async invalidate(name: string, key: string): Promise<void> {
    const fullKey = this.#key(name, key)
    this.#local.l1.delete(fullKey)
    await this.redis.del(fullKey)
  }

  /** Drops every key of a namespace (one INCR: old entries stop matching the generation). */
  async invalidateAll(name: string): Promise<void> {
    const prefix = `${this.#prefix}:${name}:`
    const { l1 } = this.#local
    for (const key of l1.keys()) if (key.startsWith(prefix)) l1.delete(key)
    await this.redis.incr(this.#genKey(name))
  }

  /** Programmatic access: JSON get/set/delete with TTL, same encoding (Dates, bigints, null survive). */
  async get<T>(name: string, key: string): Promise<T | null> {
    const raw = await this.redis.get<string>(this.#key(name, key))
    return raw === null ? null : ((decodeCacheValue(raw) as L2Entry).v as T)
  }

  async set(name: string, key: string, value: unknown, ttlSeconds = this.#ttl): Promise<void> {
    const gen = (await this.redis.get<number>(this.#genKey(name))) ?? 0
    this.#local.l1.delete(this.#key(name, key))
    await this.redis.set(this.#key(name, key), encodeCacheValue({ g: gen, v: value }), { ex: ttlSeconds })
  }
}

/**
 * Declarative wrappers for service methods:
 *   const getDict = cached({ name: 'dict', key: (code: string) => code, ttl: 600 }, (code) => repo.byCode(code))
 *   const saveDict = invalidates({ name: 'dict', key: (d: Dict) => d.code }, (d) => repo.save(d))
 * The cache instance comes from the caller (per request), never from a module global.
 */
export function cached<A extends unknown[], T>(
  spec: { name: string; key: (...args: A) => string; ttl?: number },
  load: (...args: A) => Promise<T>,
) {
  return (cache: Cache, ...args: A): Promise<T> =>
    cache.getOrLoad(spec.name, spec.key(...args), () => load(...args), spec.ttl)
}

export function invalidates<A extends unknown[], T>(
  spec: { name: string; key?: (...args: A) => string },
  write: (...args: A) => Promise<T>,
) {
  return async (cache: Cache, ...args: A): Promise<T> => {
    const result = await write(...args)
    if (spec.key) await cache.invalidate(spec.name, spec.key(...args))
    else await cache.invalidateAll(spec.name)
    return result
  }
}
