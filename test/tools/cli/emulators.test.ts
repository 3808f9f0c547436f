/**
 * `npm run emulators` / `npm run dev` keep each emulator in a process of its own: Redis can be stopped alone (the
 * database and QStash keep serving, the supervisor keeps running and says how to bring it back) and restarted alone
 * with `stratum emulators --only redis`, on the same port with the same data; nothing outlives a stop.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterAll, describe, expect, it } from 'vitest'
import { isAlive } from '../../../tools/cli/commands/emulators'
import { parseDevVars } from '../../../tools/cli/lib/dev-vars'
import { groupAlive, type Started, startProcess } from '../../e2e/helpers/processes'

const dataDir = mkdtempSync(join(tmpdir(), 'stratum-emulators-'))
const env = { STRATUM_DATA_DIR: dataDir, STRATUM_DEV_VARS: join(dataDir, '.dev.vars') }
const started: Started[] = []
afterAll(async () => {
  for (const proc of started) await proc.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

const stratum = (...args: string[]) =>
  startProcess(process.execPath, ['--import', 'tsx', 'tools/cli/stratum.ts', ...args], env)

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    const output = started.map((p) => p.output()).join('\n---\n')
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const record = (name: string) =>
  JSON.parse(readFileSync(join(dataDir, 'run', `${name}.json`), 'utf8')) as { pid?: number; port: number; url: string }

const parentOf = (pid: number) => Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }))

describe('stratum emulators', () => {
  it('runs each emulator in its own process; one stops and comes back alone', async () => {
    const supervisor = stratum('emulators')
    started.push(supervisor)
    await until('the emulators', () => supervisor.output().includes('emulators running'))
    const vars = parseDevVars(readFileSync(env.STRATUM_DEV_VARS, 'utf8'))

    // Three processes, children of the supervisor, none of them the supervisor itself.
    const pids = ['libsql', 'redis', 'qstash'].map((name) => record(name).pid as number)
    expect(new Set(pids).size).toBe(3)
    for (const pid of pids) expect(parentOf(pid)).toBe(supervisor.child.pid)
    const [libsqlPid, redisPid, qstashPid] = pids as [number, number, number]

    const redis = (command: unknown[]) =>
      fetch(vars.UPSTASH_REDIS_REST_URL as string, {
        method: 'POST',
        headers: { Authorization: `Bearer ${vars.UPSTASH_REDIS_REST_TOKEN}` },
        body: JSON.stringify(command),
      })
    expect((await redis(['SET', 'outage:probe', 'kept'])).status).toBe(200)

    // The outage: Redis alone goes away.
    execFileSync(process.execPath, ['--import', 'tsx', 'tools/cli/stratum.ts', 'emulators', '--stop', 'redis'], {
      env: { ...process.env, ...env },
    })
    expect(isAlive(redisPid)).toBe(false)
    await expect(redis(['GET', 'outage:probe'])).rejects.toThrow()
    await until('the supervisor to report it', () => supervisor.output().includes('--only redis'))
    expect(supervisor.child.exitCode).toBeNull()
    expect([libsqlPid, qstashPid].map(isAlive)).toEqual([true, true])
    const db = createClient({ url: vars.TURSO_DATABASE_URL as string })
    expect((await db.execute('select 1 as one')).rows[0]?.one).toBe(1)
    db.close()

    // Back alone, where the Worker's .dev.vars expects it, with its data.
    const restarted = stratum('emulators', '--only', 'redis')
    started.push(restarted)
    await until('redis to come back', () => restarted.output().includes('stratum: redis'))
    expect(record('redis').url).toBe(vars.UPSTASH_REDIS_REST_URL)
    expect(await (await redis(['GET', 'outage:probe'])).json()).toEqual({ result: 'kept' })

    await restarted.stop()
    await supervisor.stop()
    // Grandchildren (redis-server and its watchdog) may take a moment to finish exiting after their parents.
    const groups = [supervisor, restarted].map((proc) => proc.child.pid as number)
    await until('every process to exit', () => !groups.some(groupAlive), 10_000).catch(() => undefined)
    expect(groups.map(groupAlive)).toEqual([false, false])
    expect([libsqlPid, qstashPid].map(isAlive)).toEqual([false, false])
  }, 120_000)

  it('refuses to start an emulator that is already running, naming how to stop it', async () => {
    const first = stratum('emulators', '--only', 'libsql')
    started.push(first)
    await until('libsql', () => first.output().includes('stratum: libsql'))
    const second = stratum('emulators', '--only', 'libsql')
    started.push(second)
    await until('the second to give up', () => second.child.exitCode !== null)
    expect(second.child.exitCode).toBe(1)
    expect(second.output()).toContain('libsql is already running')
    expect(second.output()).toContain('npm run emulators -- --stop libsql')
    await first.stop()
  }, 60_000)
})
