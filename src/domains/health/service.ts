/**
 * Dependency checks for `GET /health`: each dependency is probed in parallel with a timeout and its latency.
 * "not_configured" is not a failure (allowed outside production); "down" makes the endpoint answer 503.
 */
import { sql } from 'drizzle-orm'
import type { Services } from '../../infra/services'

export type CheckStatus = 'up' | 'down' | 'not_configured'

export interface DependencyCheck {
  status: CheckStatus
  latency_ms: number | null
  error?: string
}

const TIMEOUT_MS = 3_000

async function probe(run: (() => Promise<unknown>) | undefined, showErrors: boolean): Promise<DependencyCheck> {
  if (!run) return { status: 'not_configured', latency_ms: null }
  const started = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS)
      }),
    ])
    return { status: 'up', latency_ms: Math.round(performance.now() - started) }
  } catch (err) {
    const check: DependencyCheck = { status: 'down', latency_ms: Math.round(performance.now() - started) }
    if (showErrors) check.error = err instanceof Error ? err.message : String(err)
    return check
  } finally {
    clearTimeout(timer)
  }
}

export async function checkDependencies(services: Services, showErrors: boolean) {
  const { db, redis, qstash } = services
  const [database, cache, queue] = await Promise.all([
    probe(db && (() => db.run(sql`select 1`)), showErrors),
    probe(redis && (() => redis.ping()), showErrors),
    probe(qstash && (() => qstash.queue().list()), showErrors),
  ])
  const checks = { database, redis: cache, qstash: queue }
  const healthy = Object.values(checks).every((c) => c.status !== 'down')
  return { healthy, checks }
}
