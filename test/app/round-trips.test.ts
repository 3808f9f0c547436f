/**
 * Round-trip budgets counted at the emulators (issue "Performance where production runs"; docs/benchmarks.md,
 * "Round trips"): a public route with the default per-IP limit on, a warm authenticated read, a paged list and a
 * login (three before its answer). Each fails when a change adds a round trip. Also the accuracy bound of the default
 * limit's in-isolate count (src/http/middleware/rate-limit-local.ts) across several isolates sharing one Redis.
 */
import { env } from 'cloudflare:workers'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { authRoutes } from '../../src/domains/auth/routes.v1'
import { flushThreshold, LocalCounter, sendFlush } from '../../src/http/middleware/rate-limit-local'
import { Deadline } from '../../src/infra/deadline'
import { fetchTransport, leanPipeline, UpstashRequester } from '../../src/infra/redis'
import { refreshWith } from '../domains/auth/helpers'
import { usersApi } from '../domains/users/helpers'
import { login, SEED_PASSWORD } from '../helpers/auth'
import { fileDb, seedFileDatabase } from '../helpers/database'
import { api, send } from '../helpers/harness'
import { FILE_ID, fileBindings, fileRedis } from '../helpers/isolation'
import { expectLogs } from '../helpers/logs'
import { roundTrips } from '../helpers/round-trips'

beforeAll(seedFileDatabase)

const n = Number.parseInt(FILE_ID.slice(0, 4), 16)
let ipCounter = 0
/** A fresh client IP per test (TEST-NET-2 plus the file id, so parallel files never share counters). */
const freshIp = () => `198.${n % 256}.${Math.floor(n / 256)}.${++ipCounter}`

describe('public route, default per-IP limit on', () => {
  it('counts in Redis once per client and window, then judges in the isolate: no round trip', async () => {
    // A public read the default rule counts (the liveness probe is exempt), built once from another client first.
    const readFrom = (ip: string) => send('GET', '/api/v1/openapi.json', { headers: { 'CF-Connecting-IP': ip } })
    expect((await readFrom(freshIp())).status).toBe(200)
    const ip = freshIp()
    const read = () => readFrom(ip)
    const first = await roundTrips(read)
    expect(first).toEqual({ db: 0, redis: 1 })
    const later = await roundTrips(async () => {
      for (let i = 0; i < 3; i++) {
        const res = await read()
        expect(res.status).toBe(200)
        expect(res.headers.get('RateLimit-Remaining')).toMatch(/^\d+$/)
      }
    })
    // The counts wait for a tenth of the limit (60 of 600) or of the window (5 s): none of them flushes here.
    expect(later).toEqual({ db: 0, redis: 0 })
  })
})

describe('authenticated reads', () => {
  it('a warm GET /sys/users/me: one Redis request (session, generation, snapshot), no database', async () => {
    const me = usersApi((await login('test')).accessToken).sys.users.me
    expect((await me.$get()).status).toBe(200)
    expect(await roundTrips(() => me.$get())).toEqual({ db: 0, redis: 1 })
  })

  it('a paged list (20 rows with their departments and roles): one database request', async () => {
    const users = usersApi((await login('admin')).accessToken).sys.users
    expect((await users.$get({ query: { page: '1', size: '20' } })).status).toBe(200)
    const spent = await roundTrips(async () => {
      const res = await users.$get({ query: { page: '1', size: '20' } })
      expect(res.status).toBe(200)
    })
    expect(spent).toEqual({ db: 1, redis: 1 })
  })
})

describe('login', () => {
  // The default limit is counted above; off here, so its periodic flush cannot add a request to the count.
  const noDefaultLimit = { RATE_LIMIT_DEFAULT: '' }

  it('POST /auth/login: three round trips before the answer, two after it', async () => {
    await login('test', SEED_PASSWORD, noDefaultLimit) // warm: settings and plugin states cached in the isolate
    const spent = await roundTrips(() => login('test', SEED_PASSWORD, noDefaultLimit))
    // Before the answer: one Redis request (login limit, lock, failures, captcha), the user from the database, one
    // Redis request (the session, the user's other sessions ended, this client's failures cleared). After it
    // (waitUntil, which the harness waits for): the login-log row and last login time, then the cached snapshot
    // dropped. The next test shows the answer does not wait for those.
    expect(spent).toEqual({ db: 1 + 1, redis: 2 + 1 })
  })

  it('POST /auth/refresh: the session read, the user from the database, the rotated session written', async () => {
    const { refreshCookie } = await login('test', SEED_PASSWORD, noDefaultLimit)
    const spent = await roundTrips(async () => {
      expect((await refreshWith(refreshCookie, noDefaultLimit)).status).toBe(200)
    })
    expect(spent).toEqual({ db: 1, redis: 2 })
  })

  it("a client's first request in the window (default limit on) costs no more: the login's request counts it", async () => {
    const loginFrom = (ip: string) =>
      api<typeof authRoutes>(undefined, { headers: { 'CF-Connecting-IP': ip } }).auth.login.$post({
        json: { username: 'test', password: SEED_PASSWORD },
      })
    expect((await loginFrom(freshIp())).status).toBe(200) // warm: settings and plugin states cached in the isolate
    const ip = freshIp()
    const spent = await roundTrips(async () => {
      const res = await loginFrom(ip)
      expect(res.status).toBe(200)
      expect(res.headers.get('RateLimit-Remaining')).toMatch(/^\d+$/) // judged: the stricter of the two limits
    })
    expect(spent).toEqual({ db: 1 + 1, redis: 2 + 1 })
  })

  it('answers without waiting for the login-log write: a failing write still logs the user in, and is logged', async () => {
    const db = fileDb()
    await db.run(
      sql.raw(
        "CREATE TRIGGER refuse_admin_login_log BEFORE INSERT ON sys_login_log WHEN NEW.username = 'admin' " +
          "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
      ),
    )
    try {
      const logs = expectLogs({ msg: 'background work failed', what: 'record login' })
      const { accessToken } = await login('admin', SEED_PASSWORD, noDefaultLimit)
      expect(accessToken).toBeTruthy()
      expect(logs.entries).toHaveLength(1)
    } finally {
      await db.run(sql.raw('DROP TRIGGER refuse_admin_login_log'))
    }
  })
})

describe('the default limit counted in the isolate: accuracy', () => {
  it('admits at most limit + (isolates − 1) × threshold per window, and never denies below the limit', async () => {
    const redis = fileRedis()
    // The app's own lean pipeline, as the flush after a response sends it.
    const send = leanPipeline(
      new UpstashRequester(
        String(env.UPSTASH_REDIS_REST_TOKEN),
        fetchTransport(String(fileBindings.UPSTASH_REDIS_REST_URL)),
        new Deadline('redis', 5000),
      ),
    )
    const limit = 50
    const windowMs = 60_000
    const isolates = [new LocalCounter(), new LocalCounter(), new LocalCounter()]
    const key = `rl-accuracy:${FILE_ID}:${Date.now()}`
    let admitted = 0
    let firstDenialAt: number | undefined
    // Requests spread round-robin over three isolates, each flushing when its counter says so (awaited here, as
    // waitUntil would finish it before the isolate's next request on a quiet client).
    for (let i = 0; i < 3 * limit; i++) {
      const counter = isolates[i % isolates.length] as LocalCounter
      const decision = counter.check(key, limit, windowMs, Date.now())
      if (decision.kind === 'sync') {
        const [total] = await redis.pipeline().incr(key).pexpire(key, windowMs).exec()
        counter.record(key, Number(total), Date.now() + windowMs, Date.now())
        if (Number(total) <= limit) admitted++
        continue
      }
      if (decision.flush) await sendFlush(counter, send, decision.flush, windowMs)
      if (decision.success) admitted++
      else firstDenialAt ??= admitted
    }
    expect(admitted).toBeGreaterThanOrEqual(limit)
    expect(admitted).toBeLessThanOrEqual(limit + (isolates.length - 1) * flushThreshold(limit))
    expect(firstDenialAt).toBeGreaterThanOrEqual(limit)
    await redis.del(key)
  })
})
