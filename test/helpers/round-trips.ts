/**
 * Round trips counted at the emulators for this test file's database and Redis namespace (their `/_emulator/stats`):
 * what a request costs in subrequests, asserted by the budget tests (docs/benchmarks.md, "Round trips").
 */
import { env } from 'cloudflare:workers'
import { z } from '@hono/zod-openapi'
import { FILE_ID } from './isolation'

const LibsqlStats = z.object({
  databases: z.record(z.string(), z.object({ pipelines: z.number(), statements: z.number() })),
})
const RedisStats = z.object({
  namespaces: z.record(z.string(), z.object({ requests: z.number(), commands: z.number() })),
})

export interface RoundTrips {
  /** libSQL HTTP requests (a `db.batch` is one). */
  db: number
  /** Redis HTTP requests (a pipeline is one). */
  redis: number
}

async function totals(): Promise<RoundTrips> {
  const [libsql, redis] = await Promise.all([
    fetch(`${String(env.TEST_LIBSQL_URL)}/_emulator/stats`).then(async (r) => LibsqlStats.parse(await r.json())),
    fetch(`${String(env.TEST_REDIS_URL)}/_emulator/stats`).then(async (r) => RedisStats.parse(await r.json())),
  ])
  const name = `t_${FILE_ID}`
  return { db: libsql.databases[name]?.pipelines ?? 0, redis: redis.namespaces[name]?.requests ?? 0 }
}

/** Runs `work` (requests through the harness, which waits for their after-response work) and counts its round trips. */
export async function roundTrips(work: () => Promise<unknown>): Promise<RoundTrips> {
  const before = await totals()
  await work()
  const after = await totals()
  return { db: after.db - before.db, redis: after.redis - before.redis }
}
