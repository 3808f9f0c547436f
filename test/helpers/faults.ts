/**
 * Stalling a dependency from a Worker test: the fault harness (test/setup/fault-harness.ts) runs a Redis, a libSQL
 * proxy and a QStash proxy that only fault tests use. `faultBindings` points this file's app at them (its own Redis
 * namespace and its own database, as in ./isolation.ts); `pause()` and `resume()` switch one through the harness's
 * control endpoint.
 *
 *   const app = { ...faultBindings, REDIS_TIMEOUT_MS: '300' }   // as call overrides
 *   await pause('redis')
 *   try { …expect 503s… } finally { await resume('redis') }
 *
 * Killing QStash: `restartableQstash` points the app at the harness's own QStash emulator (persisted in a file);
 * `stopQstash()` closes it as a process exit would, `startQstash()` starts it again on the same port and file.
 *
 *   const app = { ...restartableQstash }                          // as call overrides
 *   …submit tasks… ; await stopQstash() ; await startQstash() ; await deliverUntil(…, { overrides: app })
 *
 * The harness is one for the whole run and test files run in parallel: only one file may stall it — today
 * test/app/faults.test.ts. Another fault test belongs in that file (its tests run one after another).
 */
import { env } from 'cloudflare:workers'
import { FILE_ID } from './isolation'

export type FaultTarget = 'redis' | 'libsql' | 'qstash'

const bindings = env as unknown as Record<string, string>

/** This file's database and Redis namespace, reached through the stallable harness. */
export const faultBindings: Record<string, string> = {
  TURSO_DATABASE_URL: `${bindings.FAULT_LIBSQL_URL}/t_${FILE_ID}/`,
  UPSTASH_REDIS_REST_URL: `${bindings.FAULT_REDIS_URL}/ns/t_${FILE_ID}`,
  QSTASH_URL: bindings.FAULT_QSTASH_URL as string,
}

/** The harness's restartable QStash emulator (same token and signing keys as the shared one). */
export const restartableQstash: Record<string, string> = {
  QSTASH_URL: bindings.FAULT_QSTASH_EMULATOR_URL as string,
}

async function post(path: string): Promise<void> {
  const res = await fetch(`${bindings.FAULT_CONTROL_URL}${path}`, { method: 'POST' })
  if (!res.ok) throw new Error(`fault harness: POST ${path} answered ${res.status}`)
  await res.arrayBuffer()
}

const control = (target: FaultTarget, action: 'pause' | 'resume') => post(`/${target}/${action}`)

/**
 * Stops the restartable QStash: its server, delivery loop and store close; attempts in flight are cut off (the
 * destination sees its client go away) and put back for the next start.
 */
export const stopQstash = () => post('/qstash-emulator/stop')

/** Starts the restartable QStash again on the same port and SQLite file; pending messages resume. */
export const startQstash = () => post('/qstash-emulator/start')

/** Stalls `target` until `resume(target)`: requests to it are accepted and left unanswered. */
export const pause = (target: FaultTarget) => control(target, 'pause')

export const resume = (target: FaultTarget) => control(target, 'resume')

/** Runs `work` with `target` stalled, resuming it afterwards whatever happens. */
export async function whilePaused<T>(target: FaultTarget, work: () => Promise<T>): Promise<T> {
  await pause(target)
  try {
    return await work()
  } finally {
    await resume(target)
  }
}

/**
 * Awaits `work` and how long it took; fails instead of waiting past `limitMs` (a call that hangs on a stalled
 * dependency must fail the test, not time it out).
 */
export async function timed<T>(work: Promise<T>, limitMs = 10_000): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${limitMs} ms`)), limitMs)
  })
  try {
    const value = await Promise.race([work, hung])
    return { value, ms: performance.now() - started }
  } finally {
    clearTimeout(timer)
  }
}
