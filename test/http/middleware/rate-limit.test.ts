/**
 * Rate limiting against the real emulator Redis: the auth limits (fail closed), the global per-IP default (fail
 * open), identity from `CF-Connecting-IP` only, headers, windows, several rates per rule, identifiers by user and
 * API key, and the round-trip budget (one Redis request per rule).
 *
 * Every test uses its own client IP, so tests do not share counters; limits are set through config overrides so
 * the file does not depend on the suite's bindings.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { configSchema } from '../../../src/core/config'
import { createLogger } from '../../../src/core/logging'
import type { authRoutes } from '../../../src/domains/auth/routes.v1'
import type { healthRoutes } from '../../../src/domains/health/routes'
import { sysLoginLog } from '../../../src/domains/logs/schema'
import type { AppEnv } from '../../../src/http/context'
import { handleError } from '../../../src/http/error-handler'
import { settle, stricter } from '../../../src/http/middleware/rate-limit'
import {
  identifierKey,
  ipBucket,
  keySegment,
  parseIdentity,
  type RateLimitResponse,
  type RateLimitRule,
} from '../../../src/http/middleware/rate-limit-rules'
import { defineRoute, jsonEnvelope, z } from '../../../src/http/openapi'
import { ok } from '../../../src/http/respond'
import { createRouter } from '../../../src/http/router'
import { app, type Overrides } from '../../helpers/app'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { sleep } from '../../helpers/fixtures'
import { api, failure, send } from '../../helpers/harness'
import { FILE_ID, fileRedis } from '../../helpers/isolation'
import { type CapturedLogs, expectLogs } from '../../helpers/logs'
import { redisStats } from '../../infra/redis-stats'
import { openApiDocument } from '../openapi-document'

beforeAll(seedFileDatabase)
// Some tests first wait for a window edge to pass (up to 5 s) so their requests share one window.
vi.setConfig({ testTimeout: 20_000 })

/** Window-based limits count per window: make sure the next `needMs` stay inside one window of `windowMs`. */
async function clearOfWindowEdge(windowMs: number, needMs: number): Promise<void> {
  const into = Date.now() % windowMs
  if (into + needMs > windowMs) await sleep(windowMs - into + 50)
}

let ipCounter = 0
/** A fresh client IP per test (TEST-NET-3, plus the file id so parallel files never meet). */
function freshIp(): string {
  ipCounter += 1
  const n = Number.parseInt(FILE_ID.slice(0, 4), 16)
  return `203.${n % 256}.${Math.floor(n / 256)}.${ipCounter}`
}

const LOGIN = { RATE_LIMIT_LOGIN: '5/60s' }

/** The auth routes as called from `ip` (the only address the limits trust), with these limits. */
const authFrom = (ip: string, overrides: Overrides, headers: Record<string, string> = {}) =>
  api<typeof authRoutes>(undefined, { overrides, headers: { 'CF-Connecting-IP': ip, ...headers } }).auth

function attemptLogin(
  ip: string,
  overrides: Overrides = LOGIN,
  headers: Record<string, string> = {},
  username = 'nobody',
) {
  return authFrom(ip, overrides, headers).login.$post({ json: { username, password: 'wrong-password' } })
}

/** `GET /health/ping` from `ip` with these bindings (the liveness probe: never counted). */
const pingFrom = (ip: string, overrides: Overrides = {}) =>
  api<typeof healthRoutes>(undefined, { overrides, headers: { 'CF-Connecting-IP': ip } }).health.ping.$get()

/** A public `/api` read that only the default rule counts (`GET /openapi.json`), from `ip` with these bindings. */
const readFrom = (ip: string, overrides: Overrides = {}) =>
  send('GET', '/api/v1/openapi.json', { overrides, headers: { 'CF-Connecting-IP': ip } })

/** Got past the limiter: whatever the handler answered (wrong password, captcha), it was not a 429 or a 5xx. */
function passes(res: { status: number }): void {
  expect(res.status).not.toBe(429)
  expect(res.status).toBeLessThan(500)
}

const rateHeaders = (res: { headers: Headers }) => ({
  limit: res.headers.get('RateLimit-Limit'),
  remaining: res.headers.get('RateLimit-Remaining'),
  reset: res.headers.get('RateLimit-Reset'),
})

describe('POST /auth/login limit (5 per minute per IP, fail closed)', () => {
  it('answers the 6th attempt in a minute with 429, Retry-After and the envelope, without running the handler', async () => {
    await clearOfWindowEdge(60_000, 5000)
    const ip = freshIp()
    const username = `rl-${ip}`
    const attempt = () => attemptLogin(ip, LOGIN, {}, username)
    for (let i = 0; i < 5; i++) passes(await attempt())
    const logRows = async () =>
      (await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.username, username))).length
    const logsBefore = await logRows()
    const limited = attempt()
    const { status, body } = await failure(limited)
    const res = await limited
    expect(status).toBe(429)
    expect(body).toMatchObject({ code: 429, msg: 'Too many requests, please try again later', data: null })
    expect(body.trace_id).toMatch(/^[0-9a-f]{32}$/)
    const retryAfter = Number(res.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(rateHeaders(res)).toMatchObject({ limit: '5', remaining: '0' })
    // Refused before the handler: no login-log row for the 6th attempt.
    expect(await logRows()).toBe(logsBefore)

    const zh = await failure(attemptLogin(ip, LOGIN, { 'Accept-Language': 'zh-CN' }))
    expect(zh.status).toBe(429)
    expect(zh.body.msg).toBe('请求过于频繁，请稍后重试')
  })

  it('sends RateLimit headers on every limited response, remaining going down', async () => {
    await clearOfWindowEdge(60_000, 5000)
    const ip = freshIp()
    const seen: (string | null)[] = []
    for (let i = 0; i < 5; i++) {
      const res = await attemptLogin(ip)
      passes(res) // the handler ran (wrong password), the headers are still there
      const h = rateHeaders(res)
      expect(h.limit).toBe('5')
      expect(Number(h.reset)).toBeGreaterThanOrEqual(0)
      expect(Number(h.reset)).toBeLessThanOrEqual(60)
      seen.push(h.remaining)
    }
    expect(seen).toEqual(['4', '3', '2', '1', '0'])
    expect((await attemptLogin(ip)).status).toBe(429)
  })

  it('takes the IP from CF-Connecting-IP only: X-Forwarded-For and X-Real-IP change nothing', async () => {
    await clearOfWindowEdge(60_000, 5000)
    const ip = freshIp()
    for (let i = 0; i < 5; i++) {
      const spoof = { 'X-Forwarded-For': `198.51.100.${i}`, 'X-Real-IP': `198.51.100.${i + 100}` }
      passes(await attemptLogin(ip, LOGIN, spoof))
    }
    const spoofed = await attemptLogin(ip, LOGIN, { 'X-Forwarded-For': '192.0.2.77', 'X-Real-IP': '192.0.2.78' })
    expect(spoofed.status).toBe(429)
    const other = await attemptLogin(freshIp(), LOGIN, { 'X-Forwarded-For': ip })
    passes(other)
    expect(rateHeaders(other).remaining).toBe('4')
  })

  it('lets the identifier in again once the window has passed', async () => {
    const short = { RATE_LIMIT_LOGIN: '2/2s' }
    await clearOfWindowEdge(2000, 700)
    const ip = freshIp()
    passes(await attemptLogin(ip, short))
    passes(await attemptLogin(ip, short))
    const limited = await attemptLogin(ip, short)
    expect(limited.status).toBe(429)
    const retryAfter = Number(limited.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(2)
    await sleep(retryAfter * 1000 + 100)
    passes(await attemptLogin(ip, short))
  })

  it('also limits the docs-UI login, sharing the counters of POST /auth/login', async () => {
    await clearOfWindowEdge(60_000, 5000)
    const ip = freshIp()
    const short = { RATE_LIMIT_LOGIN: '2/60s' }
    passes(await attemptLogin(ip, short))
    const swagger = () =>
      authFrom(ip, short).login.swagger.$post({ query: { username: 'nobody', password: 'wrong-password' } })
    passes(await swagger())
    expect((await swagger()).status).toBe(429)
    expect((await attemptLogin(ip, short)).status).toBe(429)
  })

  it("judges the default limit in the login's own Redis request: a client counted full elsewhere gets its 429", async () => {
    await clearOfWindowEdge(60_000, 5000)
    const ip = freshIp()
    // Another isolate has already counted this client's window full; this isolate has not seen the client yet.
    const window = Math.floor(Date.now() / 60_000)
    await fileRedis().set(`stratum:ratelimit:default:fixed:60s:ip=${ip}:${window}`, 3, { px: 60_000 })
    const res = await attemptLogin(ip, { ...LOGIN, RATE_LIMIT_DEFAULT: '3/60s' })
    expect(res.status).toBe(429)
    expect(res.headers.get('RateLimit-Limit')).toBe('3')
  })

  it('counts attempts no handler sees (a body failing validation) like the others', async () => {
    // The login counts its limit in its own first Redis request; a request that never reaches it is counted after.
    await clearOfWindowEdge(60_000, 5000)
    const ip = freshIp()
    const short = { RATE_LIMIT_LOGIN: '2/60s' }
    const invalid = () =>
      send('POST', '/api/v1/auth/login', {
        json: { username: '' },
        overrides: short,
        headers: { 'CF-Connecting-IP': ip },
      })
    expect((await invalid()).status).toBe(422)
    expect((await invalid()).status).toBe(422)
    expect((await attemptLogin(ip, short)).status).toBe(429)
    expect((await invalid()).status).toBe(429)
  })
})

describe('GET /auth/captcha limit', () => {
  it('allows 5 per 30 s per IP by default', async () => {
    await clearOfWindowEdge(30_000, 3000)
    const ip = freshIp()
    const get = () => authFrom(ip, { RATE_LIMIT_CAPTCHA: '5/30s' }).captcha.$get()
    for (let i = 0; i < 5; i++) expect((await get()).status).toBe(200)
    const limited = await get()
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeLessThanOrEqual(30)
  })
})

describe('Redis unavailable', () => {
  const down = { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9' }
  const failedOpen = { msg: 'rate limit check failed; request let through' }
  // Redis is down on purpose: the 503s and the fail-open warnings are what these tests provoke.
  let logs: CapturedLogs
  beforeEach(() => {
    logs = expectLogs({ msg: 'request failed', status: 503 }, failedOpen)
  })

  it('fails closed on login and captcha: 503 in the envelope', async () => {
    const { status, body } = await failure(attemptLogin(freshIp(), { ...LOGIN, ...down }))
    expect(status).toBe(503)
    expect(body).toMatchObject({ code: 503, msg: 'Service temporarily unavailable' })
    expect(body.data).toMatchObject({ service: 'redis' })
    expect((await api<typeof authRoutes>(undefined, { overrides: down }).auth.captcha.$get()).status).toBe(503)
  })

  it('fails open on reads: the global default lets a public read through', async () => {
    const res = await readFrom(freshIp(), down)
    expect(res.status).toBe(200)
    expect(res.headers.get('RateLimit-Limit')).toBeNull()
    expect(logs.entries).toMatchObject([{ ...failedOpen, rule: 'default' }])
  })
})

describe('global per-IP default (RATE_LIMIT_DEFAULT)', () => {
  it('limits every /api request per IP and reports it in the headers', async () => {
    await clearOfWindowEdge(60_000, 3000)
    const overrides = { RATE_LIMIT_DEFAULT: '3/60s' }
    const ip = freshIp()
    const read = (clientIp = ip) => readFrom(clientIp, overrides)
    const remaining: (string | null)[] = []
    for (let i = 0; i < 3; i++) {
      const res = await read()
      expect(res.status).toBe(200)
      expect(res.headers.get('RateLimit-Limit')).toBe('3')
      remaining.push(res.headers.get('RateLimit-Remaining'))
    }
    expect(remaining).toEqual(['2', '1', '0'])
    const limited = await read()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/)
    expect((await read(freshIp())).status).toBe(200)
    // The liveness probe touches no dependency, so it is not counted (and passes an exhausted address).
    const ping = await pingFrom(ip, overrides)
    expect(ping.status).toBe(200)
    expect(ping.headers.get('RateLimit-Limit')).toBeNull()
    // So is the probe with its version in the header rather than the URL.
    const headerPing = await send('GET', '/api/health/ping', {
      overrides,
      headers: { 'CF-Connecting-IP': ip, 'X-API-Version': 'v1' },
    })
    expect(headerPing.status).toBe(200)
    expect(headerPing.headers.get('RateLimit-Limit')).toBeNull()
    // Outside /api nothing is limited.
    expect(
      (await send('GET', '/', { headers: { 'CF-Connecting-IP': ip }, overrides })).headers.get('RateLimit-Limit'),
    ).toBeNull()
  })

  it('can be switched off with an empty value', async () => {
    const res = await readFrom(freshIp(), { RATE_LIMIT_DEFAULT: '' })
    expect(res.status).toBe(200)
    expect(res.headers.get('RateLimit-Limit')).toBeNull()
  })

  it('reports the strictest rule when a route has its own', async () => {
    await clearOfWindowEdge(60_000, 3000)
    const res = await attemptLogin(freshIp(), { RATE_LIMIT_DEFAULT: '100/60s', RATE_LIMIT_LOGIN: '5/60s' })
    expect(rateHeaders(res)).toMatchObject({ limit: '5', remaining: '4' })
    const loose = await attemptLogin(freshIp(), { RATE_LIMIT_DEFAULT: '3/60s', RATE_LIMIT_LOGIN: '50/60s' })
    expect(rateHeaders(loose)).toMatchObject({ limit: '3', remaining: '2' })
  })
})

// ----------------------------------------------------------------------------------------------------------------
// Routes that exist only in this file: several rates, token bucket, by user, by API key.

const multi = defineRoute({
  method: 'get',
  path: '/multi',
  access: 'public',
  rateLimit: {
    name: 'test.multi',
    rates: [
      { limit: 5, window: '60 s', algorithm: 'fixedWindow' },
      { limit: 2, window: '10 s' },
    ],
  },
  responses: { 200: jsonEnvelope(z.null(), 'ok') },
})

const bucket = defineRoute({
  method: 'get',
  path: '/bucket',
  access: 'public',
  rateLimit: { name: 'test.bucket', algorithm: 'tokenBucket', rates: { limit: 2, window: '60 s' } },
  responses: { 200: jsonEnvelope(z.null(), 'ok') },
})

const byUser = defineRoute({
  method: 'get',
  path: '/by-user',
  access: 'authenticated',
  rateLimit: { name: 'test.user', by: 'user', rates: { limit: 2, window: '60 s' } },
  responses: { 200: jsonEnvelope(z.null(), 'ok') },
})

const byKey = defineRoute({
  method: 'get',
  path: '/by-key',
  access: 'public',
  rateLimit: { name: 'test.key', by: { header: 'X-API-Key' }, rates: { limit: 1, window: '60 s' } },
  responses: { 200: jsonEnvelope(z.null(), 'ok') },
})

const byTenant = defineRoute({
  method: 'get',
  path: '/by-tenant',
  access: 'public',
  rateLimit: { name: 'test.tenant', by: (c) => c.req.query('tenant'), rates: { limit: 1, window: '60 s' } },
  responses: { 200: jsonEnvelope(z.null(), 'ok') },
})

// Mounted while the module loads: the app's router is built on the first request, later routes could not be added.
app.route(
  '/rl-test',
  createRouter()
    .openapi(multi, (c) => ok(c, null))
    .openapi(bucket, (c) => ok(c, null))
    .openapi(byUser, (c) => ok(c, null))
    .openapi(byKey, (c) => ok(c, null))
    .openapi(byTenant, (c) => ok(c, null)),
)

/** A test-only route (outside `/api`, so only its own rule counts) as called from `ip`. */
const fromIp = (path: string, ip: string, headers: Record<string, string> = {}) =>
  send('GET', path, { headers: { 'CF-Connecting-IP': ip, ...headers } })

describe('declared limits', () => {
  it('checks several rates per rule and reports the strictest', async () => {
    await clearOfWindowEdge(10_000, 1500)
    const ip = freshIp()
    const get = () => fromIp('/rl-test/multi', ip)
    const first = await get()
    expect(first.status).toBe(200)
    expect(rateHeaders(first)).toMatchObject({ limit: '2', remaining: '1' })
    expect(rateHeaders(await get())).toMatchObject({ limit: '2', remaining: '0' })
    const limited = await get()
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeLessThanOrEqual(10)
    // Both algorithms wrote under the rule's namespace, never with the raw address as a glob-able pattern.
    const keys = await fileRedis().keys('stratum:ratelimit:test.multi:*')
    expect(keys.some((k) => k.startsWith(`stratum:ratelimit:test.multi:fixed:60s:ip=${ip}:`))).toBe(true)
    expect(keys.some((k) => k.startsWith(`stratum:ratelimit:test.multi:sliding:10s:ip=${ip}:`))).toBe(true)
  })

  it('costs one Redis request per rule, whatever the number of rates', async () => {
    await clearOfWindowEdge(10_000, 1500)
    expect((await fromIp('/rl-test/multi', freshIp())).status).toBe(200) // scripts loaded
    const before = await redisStats()
    expect((await fromIp('/rl-test/multi', freshIp())).status).toBe(200)
    const after = await redisStats()
    expect(after.requests - before.requests).toBe(1)
    expect(after.commands - before.commands).toBe(2)
  })

  it('supports a token bucket', async () => {
    const ip = freshIp()
    const get = () => fromIp('/rl-test/bucket', ip)
    expect(rateHeaders(await get())).toMatchObject({ limit: '2', remaining: '1' })
    expect((await get()).status).toBe(200)
    const limited = await get()
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
  })

  it('counts per user after authentication, whatever the IP', async () => {
    await clearOfWindowEdge(60_000, 5000)
    const [admin, test] = await Promise.all([login('admin'), login('test')])
    const get = (token: string) =>
      send('GET', '/rl-test/by-user', { token, headers: { 'CF-Connecting-IP': freshIp() } })
    expect((await get(admin.accessToken)).status).toBe(200)
    expect((await get(admin.accessToken)).status).toBe(200)
    expect((await get(admin.accessToken)).status).toBe(429)
    expect((await get(test.accessToken)).status).toBe(200)
    // The access check runs first: no token is a 401, not a count.
    expect((await send('GET', '/rl-test/by-user')).status).toBe(401)
  })

  it('counts per API key, stores only a digest, and falls back to the IP without one', async () => {
    await clearOfWindowEdge(60_000, 3000)
    const ip = freshIp()
    const get = (key?: string) => fromIp('/rl-test/by-key', ip, key ? { 'X-API-Key': key } : {})
    expect((await get('secret-key-one')).status).toBe(200)
    expect((await get('secret-key-one')).status).toBe(429)
    expect((await get('secret-key-two')).status).toBe(200)
    expect((await get()).status).toBe(200)
    expect((await get()).status).toBe(429)
    const keys = await fileRedis().keys('stratum:ratelimit:test.key:*')
    expect(keys.some((k) => k.includes('secret-key'))).toBe(false)
    expect(keys.some((k) => /:key=[0-9a-f]{32}:/.test(k))).toBe(true)
  })

  it('counts by a custom function', async () => {
    await clearOfWindowEdge(60_000, 3000)
    const tenant = `acme-${crypto.randomUUID().slice(0, 6)}`
    const get = (ip: string) => fromIp(`/rl-test/by-tenant?tenant=${tenant}`, ip)
    expect((await get(freshIp())).status).toBe(200)
    expect((await get(freshIp())).status).toBe(429)
  })

  it('documents the limit in the OpenAPI operation', async () => {
    const doc = await openApiDocument('v1')
    const op = doc.paths['/auth/login']?.post
    expect(op?.['x-rate-limit']).toEqual({
      rule: 'auth.login',
      by: 'ip',
      algorithm: 'slidingWindow',
      rates: { config: 'RATE_LIMIT_LOGIN', default: '5/60s' },
      on_redis_failure: 'reject (503)',
    })
    expect(op?.responses).toHaveProperty('429')
    expect(op?.responses).toHaveProperty('503')
    expect(doc.paths['/auth/captcha']?.get?.['x-rate-limit']).toMatchObject({ rule: 'auth.captcha' })
  })
})

// ----------------------------------------------------------------------------------------------------------------
// Units

describe('identifiers', () => {
  it('counts IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    expect(ipBucket('203.0.113.7')).toBe('203.0.113.7')
    expect(ipBucket('2001:db8:abcd:12:1:2:3:4')).toBe('2001:db8:abcd:12::/64')
    expect(ipBucket('2001:DB8:ABCD:0012::99')).toBe('2001:db8:abcd:12::/64')
    expect(ipBucket('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(ipBucket('::1')).toBe('0:0:0:0::/64')
    expect(ipBucket('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(ipBucket('unknown')).toBe('unknown')
  })

  it('parses the admin form and never produces a key with a separator or a glob character', () => {
    expect(parseIdentity('203.0.113.7')).toEqual({ kind: 'ip', value: '203.0.113.7' })
    expect(parseIdentity('ip:2001:db8::5')).toEqual({ kind: 'ip', value: '2001:db8:0:0::/64' })
    expect(parseIdentity('user:42')).toEqual({ kind: 'user', value: '42' })
    expect(parseIdentity('custom:tenant:5')).toEqual({ kind: 'custom', value: 'tenant:5' })
    expect(identifierKey({ kind: 'custom', value: 'a:*?[x]\\' })).toBe('custom=a%3A%2A%3F%5Bx%5D%5C')
    expect(keySegment("it's (a) test!~")).toMatch(/^[\w.%-]+$/)
  })

  it('orders verdicts: a denial beats a pass, then the fewest remaining, then the latest reset', () => {
    const v = (success: boolean, remaining: number, reset: number) => ({ success, limit: 10, remaining, reset })
    expect(stricter(v(true, 5, 1), v(false, 0, 2))).toEqual(v(false, 0, 2))
    expect(stricter(v(false, 0, 9), v(false, 0, 2))).toEqual(v(false, 0, 9))
    expect(stricter(v(true, 1, 1), v(true, 3, 9))).toEqual(v(true, 1, 1))
    expect(stricter(undefined, v(true, 3, 9))).toEqual(v(true, 3, 9))
  })
})

describe('rate config', () => {
  it('parses one or several rates and rejects anything else', () => {
    const parse = (v: string) => configSchema.safeParse({ RATE_LIMIT_LOGIN: v })
    expect(parse('10/1s, 100/60s').data?.RATE_LIMIT_LOGIN).toEqual([
      { limit: 10, window: '1 s' },
      { limit: 100, window: '60 s' },
    ])
    expect(parse('').data?.RATE_LIMIT_LOGIN).toEqual([])
    expect(configSchema.parse({}).RATE_LIMIT_LOGIN).toEqual([{ limit: 5, window: '60 s' }])
    expect(configSchema.parse({}).RATE_LIMIT_CAPTCHA).toEqual([{ limit: 5, window: '30 s' }])
    for (const bad of ['5', '5/minute', '0/60s', '5/0s', 'x/1s']) expect(parse(bad).success, bad).toBe(false)
  })

  it('fails fast on a bad value', async () => {
    expectLogs({ msg: 'request failed', error: 'ConfigError' })
    const { status, body } = await failure(
      api<typeof healthRoutes>(undefined, { overrides: { RATE_LIMIT_DEFAULT: 'lots' } }).health.ping.$get(),
    )
    expect(status).toBe(500)
    expect(body.msg).toContain('RATE_LIMIT_DEFAULT')
  })
})

describe('failure policy', () => {
  const rule = (failClosed: boolean): RateLimitRule => ({
    name: 'unit',
    rates: { limit: 1, window: '1 s' },
    failClosed,
  })
  const timeout: PromiseSettledResult<RateLimitResponse> = {
    status: 'fulfilled',
    value: { success: true, limit: 0, remaining: 0, reset: 0, pending: Promise.resolve(), reason: 'timeout' },
  }
  const error: PromiseSettledResult<RateLimitResponse> = { status: 'rejected', reason: new Error('fetch failed') }

  /** The envelope fields the mini app's answers are checked on. */
  const MiniBodySchema = z.object({ code: z.number(), data: z.unknown() })

  /** Runs `settle` inside a real request context and answers what happened. */
  async function run(failClosed: boolean, outcome: PromiseSettledResult<RateLimitResponse>) {
    const lines: string[] = []
    const mini = new Hono<AppEnv>()
    mini.use(async (c, next) => {
      c.set('config', configSchema.parse({ RATE_LIMIT_TIMEOUT_MS: '250' }))
      c.set('lang', 'en-US')
      c.set('traceId', 'a'.repeat(32))
      c.set(
        'logger',
        createLogger({}, 'debug', (line) => lines.push(line)),
      )
      await next()
    })
    mini.get('/', (c) => ok(c, settle(c, rule(failClosed), { kind: 'ip', value: '192.0.2.1' }, [outcome]).length))
    mini.onError(handleError)
    const ctx = createExecutionContext()
    const res = await mini.request('/', {}, {}, ctx)
    await waitOnExecutionContext(ctx)
    return { res, body: MiniBodySchema.parse(await res.json()), lines }
  }

  it('fail closed: a timeout or an error is a 503', async () => {
    for (const outcome of [timeout, error]) {
      const { res, body } = await run(true, outcome)
      expect(res.status).toBe(503)
      expect(body.data).toMatchObject({ service: 'redis' })
    }
    expect((await run(true, timeout)).body.data).toEqual({ service: 'redis', reason: 'rate limit timeout' })
  })

  it('fail open: the request passes and a warning is logged', async () => {
    for (const outcome of [timeout, error]) {
      const { res, body, lines } = await run(false, outcome)
      expect(res.status).toBe(200)
      expect(body.data).toBe(0)
      expect(lines.some((l) => l.includes('"level":"warn"') && l.includes('rate limit check failed'))).toBe(true)
    }
  })
})
