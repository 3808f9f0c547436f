/**
 * Rate limiting on `@upstash/ratelimit` (rules, keys and limiters: `./rate-limit-rules.ts`).
 *
 * - Routes declare `rateLimit` in `defineRoute` (checked after the access check, so `by: 'user'` sees the user);
 *   every `/api/*` request also counts against the per-IP `default` rule (`RATE_LIMIT_DEFAULT`, fail open), whose
 *   counters share the request's one Redis pipeline (see `withDefaultRateLimit` below).
 * - One `limit()` per rate, all issued in the same tick: auto-pipelining sends them to Redis in one request.
 * - Every limited response carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) of the
 *   strictest rate seen so far for the request; a rejection is a 429 `TooManyRequestsError` with `Retry-After`.
 * - Redis unreachable, slower than `RATE_LIMIT_TIMEOUT_MS`, or not configured: a `failClosed` rule answers 503
 *   `ServiceUnavailableError`, any other rule lets the request through and logs a warning.
 */
import type { Context, MiddlewareHandler, Next } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ServiceUnavailableError, TooManyRequestsError } from '../../core/errors'
import { describeError } from '../../core/logging'
import { pathBelowVersion } from '../../core/versioning'
import type { RedisCommand } from '../../infra/redis'
import type { RedisBatch } from '../../infra/redis-batch'
import { background } from '../background'
import { connectingIp, UNKNOWN_IP } from '../client-info'
import type { AppEnv } from '../context'
import { defaultLimitCounter, sendFlush } from './rate-limit-local'
import {
  apiKeyDigest,
  blockedInIsolate,
  buildLimiter,
  describeRule,
  durationMs,
  formatIdentity,
  type Identity,
  identifierKey,
  ipBucket,
  type Rate,
  type RateLimitBy,
  type RateLimitResponse,
  type RateLimitRule,
  type ResolvedRate,
  type RouteRateLimit,
  ratePrefix,
  registerRateLimitRule,
  resolveRates,
} from './rate-limit-rules'

export const UNKNOWN_CLIENT = UNKNOWN_IP

/** The client IP a per-IP limit counts (requests that never went through Cloudflare share `unknown`). */
export function clientIp(c: Context<AppEnv>): string {
  const ip = connectingIp(c.req.raw)
  return ip === UNKNOWN_IP ? UNKNOWN_CLIENT : ipBucket(ip)
}

/** Who this request counts against under `by` (falls back to the client IP when `by` has nothing to offer). */
export async function identify(c: Context<AppEnv>, by: RateLimitBy = 'ip'): Promise<Identity> {
  if (by === 'user' && c.get('userId') !== undefined) return { kind: 'user', value: String(c.get('userId')) }
  if (typeof by === 'object') {
    const key = c.req.header(by.header)?.trim()
    if (key) return { kind: 'key', value: await apiKeyDigest(key) }
  }
  if (typeof by === 'function') {
    const value = await by(c)
    if (value) return { kind: 'custom', value }
  }
  return { kind: 'ip', value: clientIp(c) }
}

declare module '../context' {
  interface Variables {
    /** The default rate-limit counters not yet sent (they join the next Redis pipeline of the request). */
    defaultCount?: DefaultCount
    /** The strictest rate-limit verdict so far (its numbers are the `RateLimit-*` headers). */
    rateLimitVerdict?: Verdict
  }
}

/** The numbers behind the headers: one rate's answer. */
export interface Verdict {
  success: boolean
  limit: number
  remaining: number
  /** Epoch milliseconds. */
  reset: number
}

/** Denied beats allowed; among denials the later reset wins; among passes the fewer remaining (then later reset). */
export function stricter(a: Verdict | undefined, b: Verdict): Verdict {
  if (!a) return b
  if (a.success !== b.success) return a.success ? b : a
  if (a.success && a.remaining !== b.remaining) return b.remaining < a.remaining ? b : a
  return b.reset > a.reset ? b : a
}

const secondsUntil = (ms: number, now: number) => Math.max(0, Math.ceil((ms - now) / 1000))

export function rateLimitHeaders(v: Verdict, now = Date.now()): Record<string, string> {
  return {
    'RateLimit-Limit': String(v.limit),
    'RateLimit-Remaining': String(Math.max(0, v.remaining)),
    'RateLimit-Reset': String(secondsUntil(v.reset, now)),
  }
}

type Outcome = PromiseSettledResult<RateLimitResponse>

/**
 * Turns the settled `limit()` calls into verdicts. A rejected call or a library timeout is a failure: a fail-closed
 * rule throws 503, a fail-open one logs and drops that rate.
 */
export function settle(c: Context<AppEnv>, rule: RateLimitRule, identity: Identity, outcomes: Outcome[]): Verdict[] {
  const verdicts: Verdict[] = []
  let failure: { reason: string; cause: unknown } | undefined
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') {
      failure ??= { reason: 'error', cause: outcome.reason }
      continue
    }
    const res = outcome.value
    background(c, 'rate limit', res.pending)
    if (res.reason === 'timeout') {
      failure ??= {
        reason: 'timeout',
        cause: new Error(`rate limit check timed out after ${c.get('config').RATE_LIMIT_TIMEOUT_MS} ms`),
      }
      continue
    }
    verdicts.push({ success: res.success, limit: res.limit, remaining: res.remaining, reset: res.reset })
    if (!res.success && res.reason !== 'cacheBlock')
      c.get('logger').info('rate limit exceeded', { rule: rule.name, identifier: formatIdentity(identity) })
  }
  if (failure) redisUnavailable(c, rule, failure.reason, failure.cause)
  return verdicts
}

function redisUnavailable(c: Context<AppEnv>, rule: RateLimitRule, reason: string, cause: unknown): void {
  if (rule.failClosed) {
    throw new ServiceUnavailableError(undefined, { data: { service: 'redis', reason: `rate limit ${reason}` }, cause })
  }
  const fields = { rule: rule.name, reason, ...describeError(cause) }
  // Without Redis configured (development only: production requires it) every request would warn.
  if (reason === 'not configured') c.get('logger').debug('rate limit skipped', fields)
  else c.get('logger').warn('rate limit check failed; request let through', fields)
}

/** Counts this request against every rate of `rule`; sets the headers, throws 429 (or 503 when failing closed). */
export async function enforceRateLimit(c: Context<AppEnv>, rule: RateLimitRule): Promise<void> {
  const config = c.get('config')
  const services = c.get('services')
  const rates = resolveRates(rule, config)
  if (!rates.length) return
  const identity = await identify(c, rule.by)
  const redis = services.redis
  if (!redis) return redisUnavailable(c, rule, 'not configured', new Error('UPSTASH_REDIS_REST_URL is not set'))

  const id = identifierKey(identity)
  // Issued in one tick so the client's auto-pipelining batches them into a single HTTP request.
  const outcomes = await Promise.allSettled(rates.map((rate) => buildLimiter(redis, config, rule, rate).limit(id)))
  const verdicts = settle(c, rule, identity, outcomes)
  if (!verdicts.length) return

  applyVerdicts(c, verdicts)
}

/** Sets the headers of the strictest verdict so far for this request; throws 429 when any verdict denies. */
function applyVerdicts(c: Context<AppEnv>, verdicts: Verdict[]): void {
  // The strictest verdict so far for this request: the default rule and a route's rule both report into it.
  let strictest = c.get('rateLimitVerdict')
  for (const v of verdicts) strictest = stricter(strictest, v)
  if (!strictest) return
  c.set('rateLimitVerdict', strictest)
  const now = Date.now()
  const headers = rateLimitHeaders(strictest, now)
  for (const name in headers) c.header(name, headers[name])

  const denied = verdicts.filter((v) => !v.success)
  if (denied.length) {
    const retryAfter = Math.max(1, ...denied.map((v) => secondsUntil(v.reset, now)))
    throw new TooManyRequestsError(undefined, { headers: { ...headers, 'Retry-After': String(retryAfter) } })
  }
}

function assertValidRates(rule: RateLimitRule): void {
  if (!/^[\w.\- /{}:]{1,100}$/.test(rule.name)) throw new Error(`invalid rate-limit rule name "${rule.name}"`)
  if (typeof rule.rates === 'string') return
  const rates: readonly Rate[] = Array.isArray(rule.rates) ? rule.rates : [rule.rates as Rate]
  if (!rates.length) throw new Error(`rate-limit rule "${rule.name}" has no rates`)
  for (const rate of rates) {
    durationMs(rate.window)
    if (!(Number.isInteger(rate.limit) && rate.limit >= 1))
      throw new Error(`rate-limit rule "${rule.name}": limit must be a positive integer`)
  }
}

/** Middleware enforcing `rule` (registered for the admin endpoints; invalid declarations throw at startup). */
export function rateLimit(declared: RateLimitRule): MiddlewareHandler<AppEnv> {
  assertValidRates(declared)
  const rule = registerRateLimitRule(declared)
  return createMiddleware<AppEnv>(async (c, next) => {
    await enforceRateLimit(c, rule)
    await next()
  })
}

/**
 * The `rateLimit` of a `defineRoute` config: its rule (named `METHOD /path` unless named; routes declaring the same
 * name and settings share one rule and its counters), middleware and `x-rate-limit` document.
 */
export function routeRateLimit(limit: RouteRateLimit, method: string, path: string) {
  const { carried, ...declared } = limit
  if (carried) declareCarriedRateLimit(path)
  const rule: RateLimitRule = { ...declared, name: limit.name ?? `${method.toUpperCase()} ${path}` }
  return { rule, middleware: carried ? carriedRateLimit(rule) : rateLimit(rule), extension: describeRule(rule) }
}

/** A rule the handler counts in its own pipeline (`RouteRateLimit.carried`), with who the request counts against. */
interface CarriedRateLimit {
  rule: RateLimitRule
  identity: Identity
}

declare module '../context' {
  interface Variables {
    /** The route's carried rule, until the handler takes it into its pipeline (`carryRateLimit`). */
    carriedRateLimit?: CarriedRateLimit
  }
}

/** The middleware of a carried rule: hands the rule to the handler, counts it afterwards if the handler did not. */
function carriedRateLimit(declared: RateLimitRule): MiddlewareHandler<AppEnv> {
  assertValidRates(declared)
  const rule = registerRateLimitRule(declared)
  return createMiddleware<AppEnv>(async (c, next) => {
    const carried: CarriedRateLimit = { rule, identity: await identify(c, rule.by) }
    c.set('carriedRateLimit', carried)
    await next()
    // No handler took it (validation answered 400, a gate 404): every request counts, so it is counted now.
    if (c.get('carriedRateLimit') !== carried) return
    c.set('carriedRateLimit', undefined)
    await enforceRateLimit(c, rule)
  })
}

/**
 * Puts the route's carried rule in `batch` (its limiters' scripts join the handler's pipeline), and the default rule's
 * pending counters if no pipeline took them yet; answers the judge to await once the batch is sent. The judge sets the
 * `RateLimit-*` headers and throws 429 (503 when a fail-closed rule could not be counted) as the middleware would
 * have, so the handler acts on nothing else the batch read before it passed. A client this isolate already knows to be
 * over the carried rule gets its 429 here, before anything is queued or sent.
 */
export async function carryRateLimit(c: Context<AppEnv>, batch: RedisBatch): Promise<() => Promise<void>> {
  // The route's rule first: a 429 decided in the isolate leaves the default count pending, counted after routing.
  const judgeRule = await carryRule(c, batch)
  const judgeDefault = carryDefaultLimit(c, batch)
  return async () => {
    await judgeDefault?.()
    await judgeRule?.()
  }
}

async function carryRule(c: Context<AppEnv>, batch: RedisBatch): Promise<(() => Promise<void>) | undefined> {
  const carried = c.get('carriedRateLimit')
  if (!carried) return undefined
  c.set('carriedRateLimit', undefined)
  const { rule, identity } = carried
  const config = c.get('config')
  const rates = resolveRates(rule, config)
  if (!rates.length) return undefined
  const id = identifierKey(identity)
  if (blockedInIsolate(config, rule, rates, id)) {
    await enforceRateLimit(c, rule)
    return undefined
  }
  // `limit()` queues its script in the batch at once (before its first await); the outcomes come after the send.
  const outcomes = Promise.allSettled(rates.map((rate) => buildLimiter(batch.scripts, config, rule, rate).limit(id)))
  return async () => {
    const verdicts = settle(c, rule, identity, await outcomes)
    if (verdicts.length) applyVerdicts(c, verdicts)
  }
}

/** The default rule's pending counters in `batch` (fail open, like `flushDefaultLimit`). */
function carryDefaultLimit(c: Context<AppEnv>, batch: RedisBatch): (() => Promise<void>) | undefined {
  const commands: RedisCommand[] = []
  const judge = countDefaultLimit(c, commands)
  if (!judge) return undefined
  const replies = Promise.all(commands.map((command) => batch.add(command)))
  replies.catch(() => undefined)
  return async () => {
    let results: unknown[]
    try {
      results = await replies
    } catch (err) {
      return redisUnavailable(c, DEFAULT_RATE_LIMIT_RULE, 'error', err)
    }
    judge(results)
  }
}

/**
 * The default rule: every `/api/*` request, per client IP, in fixed windows (the same keys as @upstash/ratelimit's
 * fixed window, so the admin endpoints inspect and reset it like any rule).
 *
 * It is counted in the isolate (rate-limit-local.ts): no Redis round trip on the request path once the isolate knows
 * the client's window. The first request of a client in a window counts in Redis (`INCR` + `PEXPIRE NX` per window),
 * riding in the pipeline the request makes anyway — authentication's for requests with a Bearer token (see
 * `domains/auth/authenticate.ts`); a request without credentials counts alone before routing (public routes have no
 * middleware layer for it); counters nothing took (a public route reached with a token, a 404) are counted after
 * routing. Later requests are judged locally and their counts sent in batches after the response.
 */
export const DEFAULT_RATE_LIMIT_RULE: RateLimitRule = registerRateLimitRule({
  name: 'default',
  rates: 'RATE_LIMIT_DEFAULT',
  by: 'ip',
  algorithm: 'fixedWindow',
})

/** The default rule's counters for one request, prepared without I/O. */
export interface DefaultCount {
  keys: string[]
  rates: ResolvedRate[]
  resets: number[]
}

function prepareDefaultCount(c: Context<AppEnv>): DefaultCount | undefined {
  const config = c.get('config')
  const rates = resolveRates(DEFAULT_RATE_LIMIT_RULE, config)
  if (!rates.length) return undefined
  const id = identifierKey({ kind: 'ip', value: clientIp(c) })
  const now = Date.now()
  const buckets = rates.map((rate) => Math.floor(now / rate.windowMs))
  return {
    rates,
    keys: rates.map((rate, i) => `${ratePrefix(config, DEFAULT_RATE_LIMIT_RULE, rate)}:${id}:${buckets[i]}`),
    resets: rates.map((rate, i) => ((buckets[i] ?? 0) + 1) * rate.windowMs),
  }
}

/**
 * Adds this request's pending default-rule counters to `commands` (once per request; a lean pipeline request or a
 * batch sends them) and returns how to judge the results — call it with the results that follow the caller's own
 * commands. Undefined: nothing to count.
 */
export function countDefaultLimit(
  c: Context<AppEnv>,
  commands: RedisCommand[],
): ((results: readonly unknown[]) => void) | undefined {
  const pending = c.get('defaultCount')
  if (!pending) return undefined
  c.set('defaultCount', undefined)
  pending.keys.forEach((key, i) => {
    commands.push(['INCR', key], ['PEXPIRE', key, pending.rates[i]?.windowMs ?? 1000, 'NX'])
  })
  return (results) => {
    const now = Date.now()
    const verdicts = pending.rates.map((rate, i) => {
      const used = Number(results[i * 2] ?? 0)
      // From now on this isolate judges the window locally (rate-limit-local.ts).
      defaultLimitCounter.record(pending.keys[i] ?? '', used, pending.resets[i] ?? 0, now)
      return {
        success: used <= rate.limit,
        limit: rate.limit,
        remaining: rate.limit - used,
        reset: pending.resets[i] ?? 0,
      }
    })
    if (verdicts.some((v) => !v.success)) {
      c.get('logger').info('rate limit exceeded', {
        rule: DEFAULT_RATE_LIMIT_RULE.name,
        identifier: `ip:${clientIp(c)}`,
      })
    }
    applyVerdicts(c, verdicts)
  }
}

/**
 * Counts the pending default rule in a pipeline of its own (public routes, unmatched requests); fails open, also when
 * Redis is slower than `RATE_LIMIT_TIMEOUT_MS` (like every other rule; the Redis client's own deadline,
 * `REDIS_TIMEOUT_MS`, bounds the call itself).
 */
export async function flushDefaultLimit(c: Context<AppEnv>): Promise<void> {
  // The pending count first: reading `services.redis` builds a client, which a request with nothing to count skips.
  if (!c.get('defaultCount')) return
  const send = c.get('services').redisPipeline
  if (!send) return
  const commands: RedisCommand[] = []
  const judge = countDefaultLimit(c, commands)
  if (!judge) return
  const outcome = await withinRateLimitTimeout(c, send(commands))
  if (outcome.status === 'rejected') return redisUnavailable(c, DEFAULT_RATE_LIMIT_RULE, 'error', outcome.reason)
  if (outcome.status === 'timeout') {
    const ms = c.get('config').RATE_LIMIT_TIMEOUT_MS
    return redisUnavailable(c, DEFAULT_RATE_LIMIT_RULE, 'timeout', new Error(`rate limit count took over ${ms} ms`))
  }
  judge(outcome.value)
}

type Bounded<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown } | { status: 'timeout' }

/** `work`'s outcome, or `timeout` after `RATE_LIMIT_TIMEOUT_MS` (0: no limit of its own). */
async function withinRateLimitTimeout<T>(c: Context<AppEnv>, work: Promise<T>): Promise<Bounded<T>> {
  const settled = work.then(
    (value): Bounded<T> => ({ status: 'fulfilled', value }),
    (reason: unknown): Bounded<T> => ({ status: 'rejected', reason }),
  )
  const ms = c.get('config').RATE_LIMIT_TIMEOUT_MS
  if (ms <= 0) return settled
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<Bounded<T>>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'timeout' }), ms)
  })
  try {
    return await Promise.race([settled, expired])
  } finally {
    clearTimeout(timer)
  }
}

/** Paths (below `/api/<version>`) of routes that touch no dependency (`defineRoute({ dependencies: 'none' })`). */
const independentPaths = new Set<string>()

/**
 * Exempts a route that touches no dependency — the liveness probe `GET /health/ping` — from the default rule: a
 * counter is a Redis call, and a stalled Redis must not stall a request that needs nothing from it. Static paths
 * only (the check runs before routing, on the request path).
 */
export function skipDefaultRateLimit(path: string): void {
  independentPaths.add(path)
}

/** Whether `paths` (below `/api/<version>`) holds the request path `path` (`/api/v1/x` or `/api/x` → `/x`). */
function listedBelowVersion(paths: ReadonlySet<string>, path: string): boolean {
  const below = pathBelowVersion(path)
  return below !== undefined && paths.has(below)
}

/**
 * Paths (below `/api/<version>`) of routes that carry their limit (`carried`, static paths only): their handler's
 * Redis request takes the default rule's first count too, so it is not counted on its own before routing.
 */
const carryingPaths = new Set<string>()

/** Records a route whose handler counts its limit (`carried`; a lazy route's declaration, http/lazy-routes.ts). */
export function declareCarriedRateLimit(path: string): void {
  if (!path.includes('{')) carryingPaths.add(path)
}

/** What the default rule knows of a route before routing (the route index records it, http/lazy-routes.ts). */
export function defaultLimitDeclarations(path: string): { independent: boolean; carried: boolean } {
  return { independent: independentPaths.has(path), carried: carryingPaths.has(path) }
}

/** The default rule around the rest of an `/api` request (a step of the request pipeline, middleware/pipeline.ts). */
export function withDefaultRateLimit(c: Context<AppEnv>, next: Next): Promise<void> {
  if (independentPaths.size && listedBelowVersion(independentPaths, c.req.path)) return next()
  const pending = prepareDefaultCount(c)
  if (!pending) return next()
  if (pending.keys.every((key) => defaultLimitCounter.knows(key))) {
    judgeLocally(c, pending)
    return next()
  }
  c.set('defaultCount', pending)
  return countAround(c, next)
}

/**
 * The default rule judged in the isolate, no I/O (rate-limit-local.ts): the window's total is known here from an
 * earlier request. A due flush of the pending count goes after the response; when it fails the count stays pending
 * and the request has passed anyway (fail open, like every default-rule failure).
 */
function judgeLocally(c: Context<AppEnv>, pending: DefaultCount): void {
  const now = Date.now()
  const verdicts: Verdict[] = []
  pending.rates.forEach((rate, i) => {
    const key = pending.keys[i] ?? ''
    const decision = defaultLimitCounter.check(key, rate.limit, rate.windowMs, now)
    if (decision.kind !== 'local') return
    const { success, used, flush } = decision
    verdicts.push({ success, limit: rate.limit, remaining: rate.limit - used, reset: pending.resets[i] ?? 0 })
    const send = flush && c.get('services').redisPipeline
    if (flush && send) {
      const sent = sendFlush(defaultLimitCounter, send, flush, rate.windowMs).catch((err: unknown) =>
        redisUnavailable(c, DEFAULT_RATE_LIMIT_RULE, 'error', err),
      )
      background(c, 'rate limit flush', sent)
    }
  })
  if (verdicts.some((v) => !v.success)) {
    c.get('logger').info('rate limit exceeded', { rule: DEFAULT_RATE_LIMIT_RULE.name, identifier: `ip:${clientIp(c)}` })
  }
  applyVerdicts(c, verdicts)
}

async function countAround(c: Context<AppEnv>, next: Next): Promise<void> {
  // Without credentials no authentication pipeline will carry the counters: count them before routing, so a public
  // route (or a 401) is judged before its handler runs.
  // Nor on a route that carries its limit: its handler's first Redis request takes them (`carryRateLimit`).
  if (!c.req.raw.headers.has('Authorization') && !listedBelowVersion(carryingPaths, c.req.path))
    await flushDefaultLimit(c)
  await next()
  // Counters no pipeline took (a public route reached with a token, a bad token, 404/405): count them now.
  await flushDefaultLimit(c)
}

export type { RateLimitRule, RouteRateLimit } from './rate-limit-rules'
