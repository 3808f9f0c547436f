/**
 * Spawns a real `redis-server` for the Upstash emulator (and for anything else that needs a throwaway Redis).
 *
 * Real Redis rather than a mock: `ioredis-mock` gets TTLs, Lua and type errors wrong (see
 * docs/emulators/redis.md). The child must never outlive its parent, so besides `close()` and an `exit`
 * hook, a tiny `sh` watchdog holds the read end of a pipe whose write end only this process holds: when
 * this process dies in any way (SIGKILL included), the pipe hits EOF and the watchdog kills redis-server.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, constants, mkdirSync } from 'node:fs'
import { Socket } from 'node:net'
import { delimiter, join, resolve } from 'node:path'
import { freePort } from '../shared/http'
import { sendRawCommand } from './raw-command'

export interface RedisServerOptions {
  /** Keep data in this folder (AOF persistence) so a dev restart keeps it; default: in memory only. */
  dataDir?: string
  /** Default: a free port picked by the OS. */
  port?: number
  /** Logical databases (`--databases`); the emulator maps each namespace to one. Default 256. */
  databases?: number
  /** Path of the binary; default: `redis-server` found on PATH. */
  binary?: string
}

export interface RunningRedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string
  port: number
  /** Process id of redis-server (tests check it is gone after `close()`). */
  pid: number
  databases: number
  /** Stops redis-server (SIGTERM, then SIGKILL after 5 s) and its watchdog. Idempotent. */
  close(): Promise<void>
}

export const DEFAULT_DATABASES = 256
const READY_TIMEOUT_MS = 10_000
const STOP_TIMEOUT_MS = 5_000

export const REDIS_SERVER_MISSING_HELP =
  'redis-server was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, ' +
  'macOS: `brew install redis`) or point the emulator at an existing server with REDIS_URL=redis://host:port ' +
  '(the `redisUrl` option of startRedisEmulator).'

/** The absolute path of `name` on PATH, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here, keep looking
    }
  }
  return undefined
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedisServer> {
  const binary = options.binary ?? findOnPath('redis-server')
  if (!binary) throw new Error(REDIS_SERVER_MISSING_HELP)
  const databases = options.databases ?? DEFAULT_DATABASES
  if (!Number.isInteger(databases) || databases < 1) throw new Error(`databases must be a positive integer`)

  // A port from freePort() can be taken by someone else before redis-server binds it: retry with a new one.
  const attempts = options.port === undefined ? 3 : 1
  let lastError: unknown
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await freePort())
    try {
      return await spawnOnce(binary, port, databases, options.dataDir)
    } catch (err) {
      lastError = err
      if (!(err instanceof Error && /address already in use/i.test(err.message))) throw err
    }
  }
  throw lastError
}

async function spawnOnce(
  binary: string,
  port: number,
  databases: number,
  dataDir?: string,
): Promise<RunningRedisServer> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--databases',
    String(databases),
    '--save',
    '',
    '--loglevel',
    'warning',
    // Lua scripts from @upstash/ratelimit may SCAN; keep the default 5 s busy limit explicit.
    '--lua-time-limit',
    '5000',
  ]
  if (dataDir) {
    const dir = resolve(dataDir)
    mkdirSync(dir, { recursive: true })
    args.push('--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec')
  } else {
    args.push('--appendonly', 'no')
  }

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const output = collectOutput(child)
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  const spawnError = new Promise<Error>((done) => child.once('error', done))
  const pid = child.pid
  if (pid === undefined) throw new Error(`could not start ${binary}: ${await spawnError}`)

  const watchdog = startWatchdog(pid)
  // SIGTERM (not SIGKILL) so an AOF in dataDir is flushed; redis-server finishes on its own after we are gone.
  const killOnExit = () => {
    safeKill(pid, 'SIGTERM')
    safeKill(watchdog.pid, 'SIGKILL')
  }
  process.once('exit', killOnExit)
  // A forgotten close() must not keep the parent alive: the exit hook and the watchdog still stop redis-server.
  unrefChild(child)

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('exit', killOnExit)
      if (child.exitCode === null && child.signalCode === null) {
        child.ref() // keep the loop alive until the exit event arrives
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
        await exited
        clearTimeout(timer)
      }
      watchdog.kill('SIGKILL')
      watchdog.stdin?.destroy()
    })()
    return closing
  }

  // 'close' (not 'exit') so the output that explains the failure has been read.
  const closed = new Promise<number | null>((done) => child.once('close', (code) => done(code)))
  const failure = Promise.race([
    closed.then((code) => new Error(`redis-server exited with code ${code} before it was ready:\n${output()}`)),
    spawnError,
  ])
  try {
    await Promise.race([waitUntilReady(port), failure.then((err) => Promise.reject(err))])
    await assertAnsweredBy(port, pid)
  } catch (err) {
    await close()
    throw err
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid, databases, close }
}

/**
 * `sh -c 'read; kill'`: blocks on stdin until this process closes its end (on exit, crash or SIGKILL),
 * then stops redis-server. `read` is a shell builtin, so this is a single extra process.
 */
function startWatchdog(pid: number): ChildProcess {
  const watchdog = spawn(
    'sh',
    ['-c', 'read -r _; kill -TERM "$1" 2>/dev/null', 'stratum-redis-watchdog', String(pid)],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  )
  watchdog.on('error', () => undefined)
  watchdog.stdin?.on('error', () => undefined)
  unrefChild(watchdog)
  return watchdog
}

/** Neither a child nor its stdio pipes should keep the event loop alive. */
function unrefChild(child: ChildProcess): void {
  child.unref()
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    if (stream instanceof Socket) stream.unref()
  }
}

function safeKill(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}

/** Keeps the last lines of redis-server's output for error messages (and drains the pipes). */
function collectOutput(child: ChildProcess): () => string {
  const lines: string[] = []
  const push = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
    if (lines.length > 40) lines.splice(0, lines.length - 40)
  }
  child.stdout?.on('data', push)
  child.stderr?.on('data', push)
  return () => lines.join('\n')
}

async function waitUntilReady(port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const reply = await sendRawCommand(port, ['PING'])
      if (reply === 'PONG') return
      lastError = new Error(`unexpected PING reply: ${String(reply)}`)
    } catch (err) {
      // ECONNREFUSED until it listens; LOADING while an AOF is replayed.
      lastError = err
    }
    await new Promise((done) => setTimeout(done, 25))
  }
  throw new Error(
    `redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms: ${String(lastError)}`,
  )
}

/**
 * A PONG may come from another Redis that grabbed the port first (ours then fails to bind): make sure the
 * server on the port is our child. The message matches the retry in startRedisServer.
 */
async function assertAnsweredBy(port: number, pid: number): Promise<void> {
  const info = await sendRawCommand(port, ['INFO', 'server'])
  const answering = Number(/process_id:(\d+)/.exec(String(info))?.[1])
  if (answering !== pid) {
    throw new Error(`Address already in use: port ${port} is served by another Redis (pid ${answering})`)
  }
}
