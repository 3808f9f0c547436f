/**
 * One emulator as a unit of its own, so it can fail, be stopped and come back alone — as a real service does:
 *
 *   stratum emulators --only redis     run the Redis emulator (and its redis-server) in this process, in the
 *                                      foreground, on the port and with the data and keys `npm run dev` uses
 *   stratum emulators --stop redis     stop the running one, whoever started it
 *
 * `npm run dev` runs each emulator this way in a child process (../lib/emulator-processes.ts). Its port and URL (and
 * pid while it runs) are in `<data dir>/run/<name>.json`; a later `--only` reuses that port, so the Worker (whose
 * `.dev.vars` points at it) finds the service again when it comes back.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { ReadyMessage } from '../lib/emulator-processes'
import { loadCredentials, SERVICES, type ServiceName, type StartedService, startService } from '../lib/local-stack'
import { PROJECT_ROOT } from '../lib/paths'

/** The record of an emulator process: while it runs, and after (without `pid`) so it comes back on its port. */
interface RunRecord {
  pid?: number
  port: number
  url: string
}

export const dataDirOf = (env: NodeJS.ProcessEnv = process.env): string =>
  env.STRATUM_DATA_DIR ?? join(PROJECT_ROOT, '.data')

const runFile = (dataDir: string, name: ServiceName) => join(dataDir, 'run', `${name}.json`)

const PORT_ENV: Record<ServiceName, string> = {
  libsql: 'STRATUM_LIBSQL_PORT',
  redis: 'STRATUM_REDIS_PORT',
  qstash: 'STRATUM_QSTASH_PORT',
  smtp: 'STRATUM_SMTP_PORT',
  oauth2: 'STRATUM_OAUTH2_PORT',
}

function readRun(dataDir: string, name: ServiceName): RunRecord | undefined {
  try {
    return JSON.parse(readFileSync(runFile(dataDir, name), 'utf8')) as RunRecord
  } catch {
    return undefined
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function serviceName(value: string | undefined, flag: string): ServiceName {
  const name = SERVICES.find((s) => s === value)
  if (!name) throw new Error(`${flag} takes one of ${SERVICES.join(', ')}; got ${value ?? 'nothing'}`)
  return name
}

export async function emulators(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { only: { type: 'string' }, stop: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  })
  if (values.stop !== undefined) return stopEmulator(serviceName(values.stop, '--stop'))
  return runEmulator(serviceName(values.only, '--only'), values.port)
}

/** `--stop <name>`: SIGTERM to the recorded process, then wait until it is gone. */
async function stopEmulator(name: ServiceName): Promise<void> {
  const dataDir = dataDirOf()
  const run = readRun(dataDir, name)
  if (run?.pid === undefined || !isAlive(run.pid)) {
    console.log(`stratum: ${name} is not running`)
    return
  }
  process.kill(run.pid, 'SIGTERM')
  for (let waited = 0; isAlive(run.pid); waited += 100) {
    if (waited >= 10_000) {
      process.kill(run.pid, 'SIGKILL')
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  console.log(
    `stratum: ${name} stopped (was pid ${run.pid}, ${run.url}); start it again: npm run emulators -- --only ${name}`,
  )
}

/** `--only <name>`: serve one emulator in this process until SIGINT/SIGTERM (or until the supervising parent dies). */
async function runEmulator(name: ServiceName, portFlag: string | undefined): Promise<void> {
  const dataDir = dataDirOf()
  const previous = readRun(dataDir, name)
  if (previous?.pid !== undefined && previous.pid !== process.pid && isAlive(previous.pid)) {
    throw new Error(
      `${name} is already running (pid ${previous.pid}, ${previous.url}); stop it first: npm run emulators -- --stop ${name}`,
    )
  }
  const explicit = portFlag ?? process.env[PORT_ENV[name]]
  const port = explicit ? Number(explicit) : (previous?.port ?? 0)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name}: bad port ${explicit}`)

  const start = (on: number) => startService(name, loadCredentials(dataDir), { dataDir, port: on })
  let started: StartedService
  try {
    started = await start(port)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    if (explicit)
      throw new Error(`${name}: port ${port} is taken by another program; free it or change ${PORT_ENV[name]}`)
    // The port of an earlier run (that did not stop cleanly) is someone else's now: take a free one.
    started = await start(0)
    if (!process.send) {
      console.warn(`stratum: ${name}: port ${port} is taken; serving on ${started.emulator.port} (restart npm run dev)`)
    }
  }
  const { emulator } = started
  mkdirSync(join(dataDir, 'run'), { recursive: true })
  const record: RunRecord = { pid: process.pid, port: emulator.port, url: emulator.url }
  writeFileSync(runFile(dataDir, name), JSON.stringify(record))
  console.log(`stratum: ${name.padEnd(7)} ${emulator.url}  (pid ${process.pid})`)

  let stopping = false
  const stop = (why: string) => {
    if (stopping) return
    stopping = true
    emulator
      .close()
      .catch((err: unknown) => console.error(`stratum: ${name} did not stop cleanly:`, err))
      .finally(() => {
        // Only our own record (a newer process may already have taken over); its port stays for the next start.
        if (readRun(dataDir, name)?.pid === process.pid) {
          writeFileSync(runFile(dataDir, name), JSON.stringify({ port: record.port, url: record.url }))
        }
        if (why !== 'SIGINT') console.log(`stratum: ${name} stopped (${why})`)
        process.exit(0)
      })
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal))

  if (process.send) {
    const ready: ReadyMessage = { type: 'ready', name, url: emulator.url, pid: process.pid, vars: started.vars }
    process.send(ready)
    // Supervised by `npm run dev`: never outlive it, however it ended (SIGKILL included closes the channel).
    process.once('disconnect', () => stop('supervisor gone'))
  }
}
