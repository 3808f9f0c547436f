/**
 * Rate-limit rules on `@upstash/ratelimit`: what a rule is, the registry of named rules (for the admin endpoints),
 * identifiers, Redis key layout and the limiter builder. The HTTP side (headers, 429/503, failure policy) lives in
 * `middleware/rate-limit.ts`.
 *
 * A `Ratelimit` instance holds the Redis client, which is per request, so limiters are built per request; what can
 * be shared lives here at module scope: the algorithm objects (one per rule, rate and key prefix) and the ephemeral
 * cache, which remembers identifiers that are over a limit so an isolate rejects them without asking Redis again.
 *
 * Keys: `<REDIS_KEY_PREFIX>:ratelimit:<rule>:<algorithm>:<window>:<kind>=<value>[:<window number>]`, e.g.
 * `stratum:ratelimit:auth.login:sliding:60s:ip=203.0.113.7:29384721`. Changing a rule's limit keeps its counters;
 * changing its window or algorithm starts new ones. Identifier values are percent-encoded, so they never contain
 * `:` or a glob character and resetting one identifier can never touch another's keys.
 */
import { type Duration, Ratelimit } from '@upstash/ratelimit'
import type { Context } from 'hono'
import type { Config, ConfigRate } from '../../core/config'
import { RATE_LIMIT_CONFIG_DEFAULTS } from '../../core/config'
import { sha256Hex } from '../../core/encoding'
import { ipv6Groups } from '../../core/ip'
import type { Redis } from '../../infra/redis'
import type { ScriptRunner } from '../../infra/redis-batch'
import type { AppEnv } from '../context'
import { defaultLimitCounter } from './rate-limit-local'

export type RateAlgorithm = 'slidingWindow' | 'fixedWindow' | 'tokenBucket'

/** `limit` requests per `window`; for a token bucket `limit` is the bucket size, refilled by `refillRate` per window. */
export interface Rate {
  limit: number
  window: Duration
  /** Overrides the rule's algorithm for this rate. */
  algorithm?: RateAlgorithm
  /** Token bucket only: tokens added per window (default `limit`). */
  refillRate?: number
}

/** Config keys that hold a rate list (`RATE_LIMIT_*`), usable as a rule's `rates`. */
export type RateConfigKey = {
  [K in keyof Config]-?: Config[K] extends readonly ConfigRate[] ? K : never
}[keyof Config]

/**
 * Who a request counts against:
 * - `'ip'`: the client IP from `CF-Connecting-IP` (never `X-Forwarded-For`/`X-Real-IP`); IPv6 by its /64;
 * - `'user'`: the authenticated user id (the rule runs after the access check); the IP for anonymous requests;
 * - `{ header }`: an API key header, stored as a SHA-256 prefix (never the key); the IP when the header is missing;
 * - a function returning any string (e.g. a tenant id); the IP when it returns nothing.
 */
export type RateLimitBy =
  | 'ip'
  | 'user'
  | { header: string }
  | ((c: Context<AppEnv>) => string | undefined | Promise<string | undefined>)

export interface RateLimitRule {
  /** Unique; names the rule in Redis keys, logs and the admin endpoints (`[\w.-]` recommended, e.g. `auth.login`). */
  name: string
  /** One or several rates that must all pass, or the config key that holds them. */
  rates: Rate | readonly Rate[] | RateConfigKey
  /** Default `slidingWindow`. */
  algorithm?: RateAlgorithm
  /** Default `'ip'`. */
  by?: RateLimitBy
  /**
   * What happens when Redis cannot answer (error, timeout, not configured): `true` answers 503 (auth routes: never
   * let a brute force through unchecked), `false` (default) lets the request through and logs a warning.
   */
  failClosed?: boolean
}

/** A rule as declared on a route: the name defaults to `METHOD /path`. */
export type RouteRateLimit = Omit<RateLimitRule, 'name'> & {
  name?: string
  /**
   * The handler counts the rule in a Redis pipeline of its own making (`carryRateLimit`, middleware/rate-limit.ts),
   * saving the round trip the middleware would make before it; a request whose handler never runs (a 400 from
   * validation) is counted after it. Same counters, same verdicts: only where the count travels differs.
   */
  carried?: boolean
}

// ---------------------------------------------------------------------------------------------------------------
// Registry

const registry = new Map<string, RateLimitRule>()

const sameRule = (a: RateLimitRule, b: RateLimitRule) =>
  a === b ||
  (JSON.stringify(a.rates) === JSON.stringify(b.rates) &&
    (a.algorithm ?? 'slidingWindow') === (b.algorithm ?? 'slidingWindow') &&
    (typeof a.by === 'function' || typeof b.by === 'function'
      ? a.by === b.by
      : JSON.stringify(a.by ?? 'ip') === JSON.stringify(b.by ?? 'ip')) &&
    Boolean(a.failClosed) === Boolean(b.failClosed))

/**
 * Makes a rule known to the admin endpoints and returns the registered one. Several routes may share a rule (and
 * so its counters) by declaring the same name and settings; the same name with other settings throws.
 */
export function registerRateLimitRule(rule: RateLimitRule): RateLimitRule {
  const existing = registry.get(rule.name)
  if (existing) {
    if (!sameRule(existing, rule)) throw new Error(`rate-limit rule "${rule.name}" is declared twice, differently`)
    return existing
  }
  registry.set(rule.name, rule)
  return rule
}

export const rateLimitRule = (name: string): RateLimitRule | undefined => registry.get(name)

export const rateLimitRuleNames = (): string[] => [...registry.keys()].sort()

// ---------------------------------------------------------------------------------------------------------------
// Rates

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

/** Milliseconds of a duration, with the same grammar as `@upstash/ratelimit`. */
export function durationMs(window: Duration): number {
  const match = /^(\d+(?:\.\d+)?)\s?(ms|s|m|h|d|w)$/.exec(window)
  const ms = match ? Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]) : Number.NaN
  if (!(ms >= 1)) throw new Error(`invalid rate-limit window "${window}"`)
  return ms
}

const windowLabel = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`)

export interface ResolvedRate {
  limit: number
  window: Duration
  windowMs: number
  algorithm: RateAlgorithm
  refillRate: number
}

/** Resolved per rule and declared rates (a config's rate list is one object per parsed config): plain data. */
const resolvedCache = new WeakMap<RateLimitRule, WeakMap<object, ResolvedRate[]>>()

/** The rule's rates under this config; rates sharing an algorithm and window keep the stricter limit. */
export function resolveRates(rule: RateLimitRule, config: Config): ResolvedRate[] {
  const source: Rate | readonly Rate[] = typeof rule.rates === 'string' ? config[rule.rates] : rule.rates
  let perRule = resolvedCache.get(rule)
  if (!perRule) {
    perRule = new WeakMap()
    resolvedCache.set(rule, perRule)
  }
  let resolved = perRule.get(source)
  if (!resolved) {
    resolved = resolve(rule, Array.isArray(source) ? source : [source as Rate])
    perRule.set(source, resolved)
  }
  return resolved
}

function resolve(rule: RateLimitRule, declared: readonly Rate[]): ResolvedRate[] {
  const byKey = new Map<string, ResolvedRate>()
  for (const rate of declared) {
    const algorithm = rate.algorithm ?? rule.algorithm ?? 'slidingWindow'
    const windowMs = durationMs(rate.window)
    const resolved = {
      limit: rate.limit,
      window: rate.window,
      windowMs,
      algorithm,
      refillRate: rate.refillRate ?? rate.limit,
    }
    const key = `${algorithm}:${windowMs}`
    const other = byKey.get(key)
    if (!other || other.limit > resolved.limit) byKey.set(key, resolved)
  }
  return [...byKey.values()]
}

// ---------------------------------------------------------------------------------------------------------------
// Identifiers

export const IDENTIFIER_KINDS = ['ip', 'user', 'key', 'custom'] as const
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number]

/** Who a request counts against, e.g. `{ kind: 'ip', value: '203.0.113.7' }`; shown as `ip:203.0.113.7`. */
export interface Identity {
  kind: IdentifierKind
  value: string
}

export const formatIdentity = (id: Identity): string => `${id.kind}:${id.value}`

/**
 * The public form back to an identity: `ip:…`, `user:…`, `key:…`, `custom:…`; anything else is taken as an IP.
 * IPs are normalized as they are when counted (IPv6 → its /64).
 */
export function parseIdentity(text: string): Identity {
  const match = /^(ip|user|key|custom):(.+)$/s.exec(text.trim())
  const kind = (match?.[1] ?? 'ip') as IdentifierKind
  const value = match?.[2] ?? text.trim()
  return kind === 'ip' ? { kind, value: ipBucket(value) } : { kind, value }
}

/**
 * The address a per-IP limit counts: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 by its /64 (a single client
 * usually holds a whole /64, so counting single addresses would let it rotate through 2^64 of them).
 */
export function ipBucket(ip: string): string {
  const addr = ip.trim().toLowerCase()
  if (!addr.includes(':')) return addr
  const groups = ipv6Groups(addr)
  if (!groups) return addr
  const [, , , , , g5 = 0, g6 = 0, g7 = 0] = groups
  if (groups.slice(0, 5).every((g) => g === 0) && g5 === 0xffff) return `${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}`
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}

/** Percent-encoding down to `[A-Za-z0-9_.%-]`: no `:` (key separator) and no glob character (`*?[]\`). */
export function keySegment(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** The identifier `@upstash/ratelimit` is given (after the rule's prefix): `ip=203.0.113.7`. */
export const identifierKey = (id: Identity): string => `${id.kind}=${keySegment(id.value)}`

/** An API key is counted by a SHA-256 prefix: long enough never to collide, useless to someone reading Redis. */
export const apiKeyDigest = (key: string): Promise<string> => sha256Hex(key)

// ---------------------------------------------------------------------------------------------------------------
// Limiters

/** Identifiers currently over a limit → when they may retry (ms). One per isolate, shared by every limiter. */
const ephemeralCache = new Map<string, number>()

type Algorithm = ConstructorParameters<typeof Ratelimit>[0]['limiter']

/** Algorithm objects are plain config (no I/O): built once per prefix and rate, reused by every request. */
const algorithms = new Map<string, Algorithm>()

const ALGORITHM_KEY: Record<RateAlgorithm, string> = {
  slidingWindow: 'sliding',
  fixedWindow: 'fixed',
  tokenBucket: 'bucket',
}

/** The Redis key prefix of one rate of a rule (before the identifier). */
// Built once per (rate, key prefix): the default rule asks on every request. Resolved rates are cached objects.
const prefixes = new WeakMap<ResolvedRate, Map<string, string>>()

export function ratePrefix(config: Pick<Config, 'REDIS_KEY_PREFIX'>, rule: RateLimitRule, rate: ResolvedRate): string {
  let byPrefix = prefixes.get(rate)
  if (!byPrefix) {
    byPrefix = new Map()
    prefixes.set(rate, byPrefix)
  }
  const cacheKey = `${config.REDIS_KEY_PREFIX}\u0000${rule.name}`
  let prefix = byPrefix.get(cacheKey)
  if (prefix === undefined) {
    prefix = [
      config.REDIS_KEY_PREFIX,
      'ratelimit',
      keySegment(rule.name),
      ALGORITHM_KEY[rate.algorithm],
      windowLabel(rate.windowMs),
    ].join(':')
    byPrefix.set(cacheKey, prefix)
  }
  return prefix
}

function algorithmFor(prefix: string, rate: ResolvedRate): Algorithm {
  const id = `${prefix}|${rate.limit}|${rate.refillRate}`
  let algorithm = algorithms.get(id)
  if (!algorithm) {
    algorithm =
      rate.algorithm === 'fixedWindow'
        ? Ratelimit.fixedWindow(rate.limit, rate.window)
        : rate.algorithm === 'tokenBucket'
          ? Ratelimit.tokenBucket(rate.refillRate, rate.window, rate.limit)
          : Ratelimit.slidingWindow(rate.limit, rate.window)
    algorithms.set(id, algorithm)
  }
  return algorithm
}

/**
 * A limiter for one rate of a rule, bound to this request's Redis client — or to a batch's `ScriptRunner`
 * (infra/redis-batch.ts), whose pipeline then carries the limiter's script (`limit()` calls nothing else).
 */
export function buildLimiter(
  redis: Redis | ScriptRunner,
  config: Pick<Config, 'REDIS_KEY_PREFIX' | 'RATE_LIMIT_TIMEOUT_MS'>,
  rule: RateLimitRule,
  rate: ResolvedRate,
): Ratelimit {
  const prefix = ratePrefix(config, rule, rate)
  return new Ratelimit({
    // A ScriptRunner has the two methods `limit()` uses (evalsha, and eval after NOSCRIPT), not the SDK's whole type.
    redis: redis as Redis,
    prefix,
    limiter: algorithmFor(prefix, rate),
    ephemeralCache,
    timeout: config.RATE_LIMIT_TIMEOUT_MS,
    analytics: false,
    enableTelemetry: false,
  })
}

export type RateLimitResponse = Awaited<ReturnType<Ratelimit['limit']>>

/**
 * Whether this isolate already knows `id` is over one of the rates (the limiters' ephemeral cache): such a request is
 * answered 429 without asking Redis, so a caller about to put other commands in the limiter's pipeline asks first.
 */
export function blockedInIsolate(
  config: Pick<Config, 'REDIS_KEY_PREFIX'>,
  rule: RateLimitRule,
  rates: readonly ResolvedRate[],
  id: string,
  now = Date.now(),
): boolean {
  return rates.some((rate) => (ephemeralCache.get(`${ratePrefix(config, rule, rate)}:${id}`) ?? 0) >= now)
}

// ---------------------------------------------------------------------------------------------------------------
// Admin: inspect and reset one identifier

export interface RateState {
  algorithm: RateAlgorithm
  limit: number
  window: string
  remaining: number
  /** Epoch milliseconds. */
  reset: number
}

/** Remaining tokens per rate, without consuming any (one round trip: the calls are auto-pipelined). */
export async function inspectIdentity(
  redis: Redis,
  config: Config,
  rule: RateLimitRule,
  identity: Identity,
): Promise<RateState[]> {
  const rates = resolveRates(rule, config)
  const id = identifierKey(identity)
  const states = await Promise.all(rates.map((rate) => buildLimiter(redis, config, rule, rate).getRemaining(id)))
  return rates.map((rate, i) => ({
    algorithm: rate.algorithm,
    limit: states[i]?.limit ?? rate.limit,
    window: rate.window,
    remaining: states[i]?.remaining ?? rate.limit,
    reset: states[i]?.reset ?? 0,
  }))
}

/**
 * Forgets what an identifier has used under every rate of a rule (and unblocks it in this isolate's ephemeral cache;
 * other isolates that cached it as blocked keep rejecting it until their cached reset time).
 */
export async function resetIdentity(redis: Redis, config: Config, rule: RateLimitRule, identity: Identity) {
  const id = identifierKey(identity)
  await Promise.all(
    resolveRates(rule, config).map((rate) => buildLimiter(redis, config, rule, rate).resetUsedTokens(id)),
  )
  // The default rule's totals this isolate remembers (rate-limit-local.ts); other isolates relearn at their next flush.
  defaultLimitCounter.forget(`:${id}:`)
}

// ---------------------------------------------------------------------------------------------------------------
// OpenAPI

/** The `x-rate-limit` extension of a limited operation. */
export function describeRule(rule: RateLimitRule) {
  const by = rule.by ?? 'ip'
  const rates =
    typeof rule.rates === 'string'
      ? {
          config: rule.rates,
          default: (RATE_LIMIT_CONFIG_DEFAULTS as Record<string, string | undefined>)[rule.rates] ?? null,
        }
      : (Array.isArray(rule.rates) ? rule.rates : [rule.rates as Rate]).map((r) => ({
          limit: r.limit,
          window: r.window,
          algorithm: r.algorithm ?? rule.algorithm ?? 'slidingWindow',
        }))
  return {
    rule: rule.name,
    by: typeof by === 'string' ? by : typeof by === 'function' ? 'custom' : `header:${by.header}`,
    algorithm: rule.algorithm ?? 'slidingWindow',
    rates,
    on_redis_failure: rule.failClosed ? 'reject (503)' : 'allow',
  }
}
