/**
 * Fault tests: a stalled dependency (paused, not killed — test/setup/fault-harness.ts) must cost a request at most
 * its configured deadline and answer 503 with `Retry-After`; the liveness probe stays 200; everything recovers when
 * the dependency resumes; and no write that was acknowledged (a 200) is lost. The app under test reaches its Redis,
 * database and QStash through the harness (`faultBindings`), with short deadlines set as binding overrides. QStash is
 * also killed outright (the harness's restartable emulator): tasks pending then run exactly once after it restarts, and
 * writes that emit events still succeed, their events waiting in the outbox until the cron sweep publishes them. No
 * operation-log record is lost either: with the database paused its insert fails and QStash carries it instead.
 */
import { eq, inArray } from 'drizzle-orm'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sweepOutbox } from '../../src/domains/events/dispatch'
import { sysOperaLog } from '../../src/domains/logs/schema'
import { sysRole } from '../../src/domains/roles/schema'
import { taskResult } from '../../src/domains/tasks/schema'
import {
  createProbeTables,
  dispatchDeps,
  effectsOf,
  eventApp,
  eventHarness,
  outboxOf,
  PROBE_CONSUMERS,
  type ProbeRoutes,
} from '../domains/events/helpers'
import { runsKey, submitTask, taskApp } from '../domains/tasks/helpers'
import type { Overrides } from '../helpers/app'
import { fileDb, seedFileDatabase, TEST_SEED_PASSWORD } from '../helpers/database'
import { deliverAll, deliverUntil } from '../helpers/deliveries'
import { faultBindings, restartableQstash, startQstash, stopQstash, timed, whilePaused } from '../helpers/faults'
import { unique } from '../helpers/fixtures'
import { failure, send } from '../helpers/harness'
import { fileRedis } from '../helpers/isolation'
import { expectLogs } from '../helpers/logs'

/** The deadline of the stalled service in these tests. */
const DEADLINE_MS = 400
/**
 * How long a cut-off request may take in all. This checks which deadline cut it off, not speed: it is far from
 * DEADLINE_MS because a loaded 2-core CI run added up to ~850 ms to it, and far below the 5 s that every check sets (or
 * defaults) as the deadline it must not have waited for, and the 10 s after which `timed` calls it a hang.
 */
const CUT_OFF_MS = 2500
/** Deadlines a request must not have waited for: a check that passes within CUT_OFF_MS did not use them. */
const LONG: Overrides = { REDIS_TIMEOUT_MS: '5000', RATE_LIMIT_TIMEOUT_MS: '5000', DB_TIMEOUT_MS: '5000' }

/** Every call of this file: the harness's services, default deadlines (recovery must not depend on short ones). */
const NORMAL: Overrides = { ...faultBindings, UNAVAILABLE_RETRY_AFTER_SECONDS: '3' }

/** A test pauses and resumes a service a few times; a stalled call is cut off by `timed` (10 s) long before this. */
const SLOW = { timeout: 60_000 }

const within = (ms: number) => expect(ms).toBeLessThanOrEqual(CUT_OFF_MS)

async function loginAs(username: string, overrides: Overrides): Promise<Response> {
  return send('POST', '/api/v1/auth/login', { json: { username, password: TEST_SEED_PASSWORD }, overrides })
}

async function tokenOf(res: Response): Promise<string> {
  const body = (await res.json()) as { data: { access_token: string } }
  return body.data.access_token
}

/** A 503 envelope for `service` with the configured `Retry-After`. */
async function expectUnavailable(res: Response, service: string): Promise<void> {
  expect(res.headers.get('Retry-After')).toBe('3')
  const { status, body } = await failure(res)
  expect(status).toBe(503)
  expect(body.code).toBe(503)
  expect(body.data).toMatchObject({ service })
}

let adminToken = ''

beforeAll(async () => {
  await seedFileDatabase()
  const res = await loginAs('admin', NORMAL)
  expect(res.status).toBe(200)
  adminToken = await tokenOf(res)
  // The user snapshot is cached in Redis: authentication no longer needs the database.
  expect((await send('GET', '/api/v1/sys/users/me', { token: adminToken, overrides: NORMAL })).status).toBe(200)
})

// Every test here stalls a service on purpose: the 503s it causes, the rate limiter failing open and operation-log
// records deferred to QStash (their insert failed) are expected.
beforeEach(() => {
  expectLogs(
    { msg: 'request failed', status: 503 },
    { msg: 'rate limit check failed; request let through' },
    { msg: 'operation log deferred' },
  )
})

describe('Redis paused', SLOW, () => {
  const SHORT: Overrides = { ...NORMAL, REDIS_TIMEOUT_MS: String(DEADLINE_MS) }

  it('answers /api with 503 within the deadline, keeps /health/ping at 200, and recovers', async () => {
    await whilePaused('redis', async () => {
      // Authentication needs the session from Redis: it fails closed.
      const me = await timed(send('GET', '/api/v1/sys/users/me', { token: adminToken, overrides: SHORT }))
      within(me.ms)
      await expectUnavailable(me.value, 'redis')

      // Login fails closed (its rate limit and its session live in Redis); so does the captcha.
      const login = await timed(loginAs('admin', SHORT))
      within(login.ms)
      await expectUnavailable(login.value, 'redis')
      const captcha = await timed(send('GET', '/api/v1/auth/captcha', { overrides: SHORT }))
      within(captcha.ms)
      expect((await failure(captcha.value)).status).toBe(503)

      // A public read only needs the default rate limit, which fails open — after the deadline, not never.
      const read = await timed(send('GET', '/api/v1/openapi.json', { overrides: SHORT }))
      within(read.ms)
      expect(read.value.status).toBe(200)
      await read.value.arrayBuffer()

      // The default count is bounded by RATE_LIMIT_TIMEOUT_MS as well, even under a longer Redis deadline.
      const slowRedis = { ...NORMAL, ...LONG, RATE_LIMIT_TIMEOUT_MS: String(DEADLINE_MS) }
      const counted = await timed(send('GET', '/api/v1/openapi.json', { overrides: slowRedis }))
      within(counted.ms)
      expect(counted.value.status).toBe(200)
      await counted.value.arrayBuffer()

      // Liveness touches no dependency at all: no wait, even where every deadline is long.
      const ping = await timed(
        send('GET', '/api/v1/health/ping', { token: adminToken, overrides: { ...NORMAL, ...LONG } }),
      )
      expect(ping.value.status).toBe(200)
      within(ping.ms)
    })

    expect((await send('GET', '/api/v1/sys/users/me', { token: adminToken, overrides: NORMAL })).status).toBe(200)
    expect((await loginAs('admin', NORMAL)).status).toBe(200)
  })

  it('loses no acknowledged login: every session answered with a token still works (counted)', async () => {
    const acknowledged: string[] = []
    let refused = 0
    const attempt = async (overrides: Overrides) => {
      // admin may hold several sessions (multi-login), so every acknowledged one must still work.
      const res = await timed(loginAs('admin', overrides))
      if (res.value.status === 200) acknowledged.push(await tokenOf(res.value))
      else {
        within(res.ms)
        await expectUnavailable(res.value, 'redis')
        refused++
      }
    }
    // The short deadline only while Redis is stalled: a healthy call on a loaded machine may take longer than it.
    for (let i = 0; i < 3; i++) await attempt(NORMAL)
    await whilePaused('redis', async () => {
      for (let i = 0; i < 3; i++) await attempt(SHORT)
    })
    for (let i = 0; i < 3; i++) await attempt(NORMAL)

    expect(refused).toBe(3)
    expect(acknowledged).toHaveLength(6)
    let working = 0
    for (const token of acknowledged) {
      if ((await send('GET', '/api/v1/sys/users/me', { token, overrides: NORMAL })).status === 200) working++
    }
    expect(working).toBe(acknowledged.length)
  })
})

describe('libSQL paused', SLOW, () => {
  const SHORT: Overrides = { ...NORMAL, DB_TIMEOUT_MS: String(DEADLINE_MS) }
  const createRole = (name: string, overrides: Overrides) =>
    send('POST', '/api/v1/sys/roles', { token: adminToken, json: { name, status: 1 }, overrides })

  it('answers database routes with 503 within the deadline, keeps /health/ping at 200, and recovers', async () => {
    await whilePaused('libsql', async () => {
      const list = await timed(send('GET', '/api/v1/sys/roles', { token: adminToken, overrides: SHORT }))
      within(list.ms)
      await expectUnavailable(list.value, 'database')

      const create = await timed(createRole(unique('stalled'), SHORT))
      within(create.ms)
      await expectUnavailable(create.value, 'database')

      const login = await timed(loginAs('admin', SHORT))
      within(login.ms)
      expect((await failure(login.value)).status).toBe(503)

      const ping = await timed(send('GET', '/api/v1/health/ping', { overrides: { ...NORMAL, ...LONG } }))
      expect(ping.value.status).toBe(200)
      within(ping.ms)
    })

    expect((await send('GET', '/api/v1/sys/roles', { token: adminToken, overrides: NORMAL })).status).toBe(200)
    expect((await loginAs('admin', NORMAL)).status).toBe(200)
  })

  it('loses no acknowledged write (counted)', async () => {
    const acknowledged: string[] = []
    const refused: string[] = []
    const attempt = async (overrides: Overrides) => {
      const name = unique('fault')
      const res = await timed(createRole(name, overrides))
      if (res.value.status === 200) acknowledged.push(name)
      else {
        within(res.ms)
        await expectUnavailable(res.value, 'database')
        refused.push(name)
      }
    }
    // The short deadline only while libSQL is stalled (see the Redis test above).
    for (let i = 0; i < 3; i++) await attempt(NORMAL)
    await whilePaused('libsql', async () => {
      for (let i = 0; i < 3; i++) await attempt(SHORT)
    })
    for (let i = 0; i < 3; i++) await attempt(NORMAL)

    expect(refused).toHaveLength(3)
    expect(acknowledged).toHaveLength(6)
    const stored = await fileDb()
      .select({ name: sysRole.name })
      .from(sysRole)
      .where(inArray(sysRole.name, acknowledged))
    expect(stored.map((r) => r.name).sort()).toEqual([...acknowledged].sort())
  })
})

/** The operation-log rows of some requests (by their `X-Request-ID`), as `[trace id, code]`. */
async function operaRowsOf(traceIds: readonly string[]): Promise<[string, string][]> {
  const rows = await fileDb()
    .select({ traceId: sysOperaLog.traceId, code: sysOperaLog.code })
    .from(sysOperaLog)
    .where(inArray(sysOperaLog.traceId, [...traceIds]))
  return rows.map((r): [string, string] => [r.traceId, r.code]).sort()
}

describe('libSQL paused: the operation log', SLOW, () => {
  const SHORT: Overrides = { ...NORMAL, DB_TIMEOUT_MS: String(DEADLINE_MS) }

  it('loses no record of a write made meanwhile: QStash carries it, and its consumer writes it once', async () => {
    const traceIds: string[] = []
    await whilePaused('libsql', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await timed(
          send('POST', '/api/v1/sys/roles', {
            token: adminToken,
            json: { name: unique('opera'), status: 1 },
            overrides: SHORT,
          }),
        )
        await expectUnavailable(res.value, 'database')
        traceIds.push(res.value.headers.get('X-Request-ID') ?? '')
      }
    })
    // Each record's insert failed after the response ("operation log deferred"); each was handed to QStash instead.
    expect(await operaRowsOf(traceIds)).toEqual([])
    const delivered = await deliverUntil(async () => (await operaRowsOf(traceIds)).length === traceIds.length, {
      overrides: NORMAL,
    })
    expect(delivered.length).toBeGreaterThanOrEqual(traceIds.length)
    // The records the libSQL tests above deferred too, so no later test's pump meets them.
    await deliverAll({ overrides: NORMAL })
    expect(await operaRowsOf(traceIds)).toEqual(traceIds.map((id): [string, string] => [id, '503']).sort())
  })
})

describe('QStash paused', SLOW, () => {
  const SHORT: Overrides = { ...NORMAL, QSTASH_TIMEOUT_MS: String(DEADLINE_MS) }

  it('reports QStash down within its deadline, not the probe’s, and up again when resumed', async () => {
    await whilePaused('qstash', async () => {
      const health = await timed(send('GET', '/api/v1/health', { overrides: SHORT }))
      within(health.ms)
      expect(health.value.status).toBe(503)
      expect(health.value.headers.get('Retry-After')).toBe('3')
      const body = (await health.value.json()) as { data: { checks: Record<string, { status: string }> } }
      expect(body.data.checks.qstash?.status).toBe('down')
      expect(body.data.checks.database?.status).toBe('up')
    })
    expect((await send('GET', '/api/v1/health', { overrides: NORMAL })).status).toBe(200)
  })
})

describe('QStash killed with tasks pending', SLOW, () => {
  const statusOf = async (taskId: string) =>
    (await fileDb().select().from(taskResult).where(eq(taskResult.taskId, taskId)))[0]?.status
  const runsOf = async (label: string) => Number((await fileRedis().get<number>(runsKey(label))) ?? 0)

  it('runs every one of them exactly once after it starts again', async () => {
    const labels = [1, 2, 3, 4, 5].map(() => unique('killed'))
    const tasks = await Promise.all(labels.map((label) => submitTask('test.count', { label }, {}, restartableQstash)))
    const allSucceeded = async () =>
      (await Promise.all(tasks.map((task) => statusOf(task.task_id)))).every((status) => status === 'SUCCESS')
    try {
      // QStash dies while its first delivery is on its way into the app: that task runs, but QStash never hears of
      // it; the other deliveries, waiting at the relay, are cut off.
      const first = await deliverUntil((delivered) => delivered.length === 1, {
        app: taskApp,
        rewrite: async (request) => {
          await stopQstash()
          return request
        },
      })
      expect(first.map((d) => [d.status, d.answered])).toEqual([[200, false]])
    } finally {
      await startQstash()
    }

    // Restarted on the same file, QStash delivers all five again (the first one too: it never got its answer); the
    // consumer acknowledges the one that already ran without running it again.
    const again = [...(await deliverUntil(allSucceeded, { app: taskApp })), ...(await deliverAll({ app: taskApp }))]
    expect(again.map((d) => d.status)).toEqual([200, 200, 200, 200, 200])
    expect(new Set(again.map((d) => d.headers.get('Upstash-Message-Id'))).size).toBe(5)
    expect(await Promise.all(labels.map(runsOf))).toEqual([1, 1, 1, 1, 1])
  })
})

describe('QStash killed with events to publish', SLOW, () => {
  /** A write through the test route that emits `probe.recorded`; its trace id (for its operation-log record). */
  const write = async (label: string) => {
    const res = await eventHarness
      .api<ProbeRoutes>(undefined, { overrides: restartableQstash })
      ['test-events'].probes.$post({ json: { label, emit: 'sink' } })
    expect(res.status).toBe(200)
    return res.headers.get('X-Request-ID') ?? ''
  }

  beforeAll(createProbeTables)

  it('writes still succeed and their events wait in the outbox; once it is back, each is applied exactly once', async () => {
    // Each write's after-response dispatch fails (the QStash SDK prints its own line about it).
    const logs = expectLogs({ msg: 'outbox not published: will retry' }, /\[Upstash QStash\] POST .* failed/)
    const labels = [1, 2, 3, 4, 5].map(() => unique('outbox'))
    const traceIds: string[] = []
    await stopQstash()
    try {
      for (const label of labels) traceIds.push(await write(label))
      expect(logs.entries.filter((e) => e.msg === 'outbox not published: will retry')).toHaveLength(5)
      const rows = (await Promise.all(labels.map(outboxOf))).flat()
      expect(rows.map((r) => r.status)).toEqual(labels.map(() => 'PENDING'))
      expect(rows.every((r) => r.attempts >= 1 && r.lastError !== null)).toBe(true)
    } finally {
      await startQstash()
    }

    // The cron job's sweep, as src/app/scheduled.ts runs it: every row published (one message per consumer).
    const swept = await sweepOutbox(dispatchDeps(restartableQstash), new Date())
    expect(swept.deferred).toBe(0)
    expect(swept.messages).toBeGreaterThanOrEqual(10)
    const sent = (await Promise.all(labels.map(outboxOf))).flat()
    expect(sent.map((r) => r.status)).toEqual(labels.map(() => 'SENT'))

    // QStash dies again while its first delivery is on its way into the app: that consumer applies it, QStash never
    // hears so; restarted, it delivers that message again, and the consumer's record absorbs it.
    try {
      const first = await deliverUntil((delivered) => delivered.length === 1, {
        app: eventApp,
        rewrite: async (request) => {
          await stopQstash()
          return request
        },
      })
      expect(first.map((d) => [d.status, d.answered])).toEqual([[200, false]])
    } finally {
      await startQstash()
    }
    const applied = async () => (await Promise.all(labels.map(effectsOf))).every((e) => e.length === 2)
    const again = [...(await deliverUntil(applied, { app: eventApp })), ...(await deliverAll({ app: eventApp }))]
    expect(again.every((d) => d.status === 200)).toBe(true)
    expect(again.filter((d) => d.answer.includes('"DUPLICATE"'))).toHaveLength(1)

    // 0 lost, 0 duplicated: each event applied once by each of its two consumers.
    for (const label of labels)
      expect((await effectsOf(label)).map(([consumer]) => consumer)).toEqual([...PROBE_CONSUMERS])
    // The writes' operation-log records went straight to the database, QStash or not.
    expect(await operaRowsOf(traceIds)).toEqual(traceIds.map((id): [string, string] => [id, '200']).sort())
  })
})
