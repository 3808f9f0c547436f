/**
 * Round-trip budget (acceptance point): a warm `GET /sys/users/me` sends at most one request to Redis (the
 * authentication pipeline) and none to the database. Counted at the emulators, for this file's database and
 * Redis namespace only.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { login } from '../../helpers/auth'
import { seedFileDatabase } from '../../helpers/database'
import { answer } from '../../helpers/harness'
import { FILE_ID } from '../../helpers/isolation'
import { usersApi } from './helpers'

beforeAll(seedFileDatabase)

const bindings = env as unknown as { TEST_LIBSQL_URL: string; TEST_REDIS_URL: string }
const NAME = `t_${FILE_ID}`

interface Counts {
  dbPipelines: number
  dbStatements: number
  redisRequests: number
  redisCommands: number
}

async function counts(): Promise<Counts> {
  const [libsql, redis] = await Promise.all([
    fetch(`${bindings.TEST_LIBSQL_URL}/_emulator/stats`).then(
      (r) => r.json() as Promise<{ databases: Record<string, { pipelines: number; statements: number }> }>,
    ),
    fetch(`${bindings.TEST_REDIS_URL}/_emulator/stats`).then(
      (r) => r.json() as Promise<{ namespaces: Record<string, { requests: number; commands: number }> }>,
    ),
  ])
  const db = libsql.databases[NAME]
  const ns = redis.namespaces[NAME]
  return {
    dbPipelines: db?.pipelines ?? 0,
    dbStatements: db?.statements ?? 0,
    redisRequests: ns?.requests ?? 0,
    redisCommands: ns?.commands ?? 0,
  }
}

const delta = (after: Counts, before: Counts): Counts => ({
  dbPipelines: after.dbPipelines - before.dbPipelines,
  dbStatements: after.dbStatements - before.dbStatements,
  redisRequests: after.redisRequests - before.redisRequests,
  redisCommands: after.redisCommands - before.redisCommands,
})

async function warmCall(overrides: Record<string, string> = {}): Promise<{ cold: Counts; warm: Counts }> {
  const me = usersApi((await login('test')).accessToken, { overrides }).sys.users.me
  // Cold: the snapshot is loaded from the database and cached after the response (call() waits for that).
  const coldBefore = await counts()
  expect((await me.$get()).status).toBe(200)
  const cold = delta(await counts(), coldBefore)

  const before = await counts()
  const { status, data } = await answer(me.$get())
  const warm = delta(await counts(), before)
  expect(status).toBe(200)
  expect(data).toMatchObject({ id: 2, username: 'test', dept: '测试', roles: ['测试'] })
  return { cold, warm }
}

describe('GET /sys/users/me round trips', () => {
  it('warm, with the default configuration: at most one Redis request, no database request', async () => {
    const { cold, warm } = await warmCall()
    // Sanity: the counters see this file's traffic.
    expect(cold.dbPipelines).toBeGreaterThan(0)
    expect(cold.redisRequests).toBeGreaterThan(1) // the auth pipeline + the background cache fill
    expect(warm.dbPipelines).toBe(0)
    expect(warm.dbStatements).toBe(0)
    expect(warm.redisRequests).toBeLessThanOrEqual(1)
  })

  it('warm, authentication and handler alone (per-IP default limit off): one Redis request, no database', async () => {
    const { warm } = await warmCall({ RATE_LIMIT_DEFAULT: '' })
    expect(warm).toMatchObject({ dbPipelines: 0, dbStatements: 0, redisRequests: 1 })
  })
})
