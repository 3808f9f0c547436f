/**
 * `npm run dev`'s emulators, each in a process of its own (`stratum emulators --only <name>`,
 * ../commands/emulators.ts): one can crash, be stopped and be restarted alone while the Worker and the other
 * services keep running — the outage a deployed app meets. This module starts them, collects the variables they
 * report, says when one goes down and how to bring it back, and stops them all on shutdown.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Vars } from './dev-vars'
import { loadCredentials, SERVICES, type ServiceName, stackSecrets } from './local-stack'
import { PROJECT_ROOT } from './paths'

/** What an emulator process tells its supervisor once it serves (over the IPC channel). */
export interface ReadyMessage {
  type: 'ready'
  name: ServiceName
  url: string
  pid: number
  vars: Vars
}

export interface EmulatorProcessesOptions {
  /** Where the services keep their data, keys and run records (`.data/`). */
  dataDir: string
  ports?: Partial<Record<ServiceName, number>>
  /** Services whose variables are supplied from elsewhere (e.g. real Turso): not started. */
  skip?: ReadonlySet<ServiceName>
}

export interface EmulatorProcesses {
  vars: Vars
  stop(): Promise<void>
}

const READY_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 10_000

interface Supervised {
  name: ServiceName
  child: ChildProcess
  exited: Promise<void>
}

function spawnEmulator(name: ServiceName, dataDir: string, port: number | undefined): Supervised {
  const args = ['--import', 'tsx', join(PROJECT_ROOT, 'tools/cli/stratum.ts'), 'emulators', '--only', name]
  if (port !== undefined) args.push('--port', String(port))
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, STRATUM_DATA_DIR: dataDir },
    // Its own output goes to the terminal; the IPC channel carries the ready message and ends it if we die.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { name, child, exited }
}

function whenReady(supervised: Supervised): Promise<ReadyMessage> {
  const { name, child } = supervised
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    )
    const onMessage = (message: unknown) => {
      if ((message as Partial<ReadyMessage>)?.type !== 'ready') return
      cleanup()
      resolve(message as ReadyMessage)
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(new Error(`${name} exited before it was ready (${code ?? signal})`))
    const fail = (err: Error) => {
      cleanup()
      reject(err)
    }
    const cleanup = () => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

async function stopOne({ child, exited }: Supervised): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

/** Starts every service not skipped, each in its own process; resolves once all serve. */
export async function startEmulatorProcesses(options: EmulatorProcessesOptions): Promise<EmulatorProcesses> {
  const { dataDir, ports = {}, skip = new Set() } = options
  // Created here, before the children start, so that they all read the same keys.
  const vars: Vars = stackSecrets(loadCredentials(dataDir))
  const running = SERVICES.filter((name) => !skip.has(name)).map((name) => spawnEmulator(name, dataDir, ports[name]))
  let stopping = false
  const stop = async () => {
    stopping = true
    // Reverse order: nothing should deliver into a service that is already gone.
    for (const supervised of [...running].reverse()) await stopOne(supervised)
  }

  const ready = await Promise.allSettled(running.map(whenReady))
  const failed = ready.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) {
    await stop()
    throw failed.reason
  }
  for (const r of ready) if (r.status === 'fulfilled') Object.assign(vars, r.value.vars)

  for (const { name, child } of running) {
    child.once('exit', (code, signal) => {
      if (stopping) return
      console.error(
        `stratum: ${name} stopped (${code ?? signal}); the API sees it as down. ` +
          `Start it again (same port, same data): npm run emulators -- --only ${name}`,
      )
    })
  }
  return { vars, stop }
}
