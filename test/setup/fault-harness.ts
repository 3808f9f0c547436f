/**
 * Dependencies that tests may stall, beside the shared emulators (which every test file uses in parallel and which
 * must never stall). Started once per run by the global setup; Worker tests reach them through bindings:
 *
 * - `FAULT_REDIS_URL`: an Upstash REST emulator on a redis-server of its own. "Paused" is the real thing: the
 *   redis-server process gets SIGSTOP (SIGCONT to resume), so the emulator accepts requests whose commands then
 *   wait, exactly as behind a stalled Redis.
 * - `FAULT_LIBSQL_URL`, `FAULT_QSTASH_URL`: stall proxies in front of the shared libSQL and QStash emulators (those run
 *   inside this process, so they cannot be stopped alone). While paused, a proxy accepts requests and holds them; on
 *   resume it forwards what it holds, in order — also requests whose client gave up meanwhile, as a resumed server
 *   would still process what was sent to it.
 * - `FAULT_QSTASH_EMULATOR_URL`: a QStash emulator of its own (the main stack's token and signing keys, so the app
 *   and `Receiver` accept it; an SQLite file under a temp folder), which tests may stop and start again: "killed" is
 *   the emulator closed — server, delivery loop and store, as a process exit would (it runs in this process, so it
 *   cannot be killed alone); attempts cut off are put back, and a start on the same port and file resumes them.
 * - `FAULT_CONTROL_URL`: `POST /<redis|libsql|qstash>/<pause|resume>` switches one; `GET /` reports which are paused;
 *   `POST /qstash-emulator/<stop|start>` stops or starts the restartable QStash (answering `{ running }`).
 *
 * Tests use them through test/helpers/faults.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningQstashEmulator, startQstashEmulator } from '../../tools/emulators/qstash/index'
import { startRedisEmulator, startRedisServer } from '../../tools/emulators/redis/index'
import { type Handler, listen, type RunningServer, readBody } from '../../tools/emulators/shared/http'

export type FaultTarget = 'redis' | 'libsql' | 'qstash'

export interface FaultHarness {
  /** `FAULT_*` bindings for the Worker tests. */
  vars: Record<string, string>
  close(): Promise<void>
}

interface Switch {
  paused: boolean
  pause(): void
  resume(): void
}

/** A local HTTP server of the harness (the emulators' own `listen`). */
type Listening = Pick<RunningServer, 'url' | 'close'>

const serve = (handler: Handler): Promise<Listening> => listen(handler)

function sendState(res: ServerResponse, state: Record<string, boolean>): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state))
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'])

/** A proxy to `target` that holds requests while paused and forwards them, in order, on resume. */
async function startStallProxy(target: string): Promise<Listening & Switch> {
  interface Held {
    req: IncomingMessage
    res: ServerResponse
    body: Buffer
  }
  let held: Held[] = []
  let paused = false

  const forward = async ({ req, res, body }: Held) => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers.set(name, value)
    }
    try {
      const answer = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body),
      })
      const bytes = Buffer.from(await answer.arrayBuffer())
      if (res.destroyed) return // the client gave up; the request was still processed
      const out: Record<string, string> = {}
      answer.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') out[name] = value
      })
      res.writeHead(answer.status, out).end(bytes)
    } catch (err) {
      if (!res.destroyed) res.writeHead(502).end(String(err))
    }
  }

  const server = await serve((req, res) => {
    readBody(req).then(
      (body) => {
        const request = { req, res, body }
        if (paused) held.push(request)
        else void forward(request)
      },
      () => res.destroy(),
    )
  })
  return {
    ...server,
    get paused() {
      return paused
    },
    pause() {
      paused = true
    },
    resume() {
      paused = false
      const waiting = held
      held = []
      void waiting.reduce((done, request) => done.then(() => forward(request)), Promise.resolve())
    },
  }
}

/** The main stack's QStash credentials: what the app signs with and verifies against. */
export interface QstashCredentials {
  token: string
  currentSigningKey: string
  nextSigningKey: string
}

interface RestartableQstash {
  url: string
  readonly running: boolean
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

/** A QStash emulator persisted in an SQLite file, stopped and started again on the same port and file. */
async function startRestartableQstash(credentials: QstashCredentials): Promise<RestartableQstash> {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-fault-qstash-'))
  const options = { ...credentials, dbPath: join(dir, 'qstash.db'), timeScale: 0.001 }
  let emulator: RunningQstashEmulator | undefined = await startQstashEmulator(options)
  const { port, url } = emulator
  // Stops and starts run one after another, whatever order the requests for them arrive in.
  let last = Promise.resolve()
  const serially = (work: () => Promise<void>) => {
    last = last.then(work, work)
    return last
  }
  const stop = () =>
    serially(async () => {
      await emulator?.close()
      emulator = undefined
    })
  return {
    url,
    get running() {
      return emulator !== undefined
    },
    stop,
    start: () =>
      serially(async () => {
        emulator ??= await startQstashEmulator({ ...options, port })
      }),
    close: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function startFaultHarness(options: {
  redisToken: string
  libsqlUrl: string
  qstashUrl: string
  qstash: QstashCredentials
}): Promise<FaultHarness> {
  const redisServer = await startRedisServer({ databases: 16 })
  const signal = (name: 'SIGSTOP' | 'SIGCONT') => {
    try {
      process.kill(redisServer.pid, name)
    } catch {
      // already gone
    }
  }
  let redisPaused = false
  const redis: Switch = {
    get paused() {
      return redisPaused
    },
    pause() {
      redisPaused = true
      signal('SIGSTOP')
    },
    resume() {
      redisPaused = false
      signal('SIGCONT')
    },
  }
  const closers: (() => Promise<void>)[] = [
    async () => {
      redis.resume() // a stopped process would not get its SIGTERM
      await redisServer.close()
    },
  ]
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined)
  }
  try {
    const emulator = await startRedisEmulator({ token: options.redisToken, redisUrl: redisServer.url })
    closers.push(() => emulator.close())
    const libsql = await startStallProxy(options.libsqlUrl)
    closers.push(() => libsql.close())
    const qstash = await startStallProxy(options.qstashUrl)
    closers.push(() => qstash.close())
    const switches: Record<FaultTarget, Switch> = { redis, libsql, qstash }
    const qstashEmulator = await startRestartableQstash(options.qstash)
    closers.push(() => qstashEmulator.close())

    const control = await serve((req, res) => {
      const [, emulatorAction] = /^\/qstash-emulator\/(stop|start)$/.exec(req.url ?? '') ?? []
      if (req.method === 'POST' && emulatorAction) {
        const done = emulatorAction === 'stop' ? qstashEmulator.stop() : qstashEmulator.start()
        done.then(
          () => sendState(res, { running: qstashEmulator.running }),
          (err: unknown) => res.writeHead(500).end(String(err)),
        )
        return
      }
      const [, name, action] = /^\/(\w+)\/(pause|resume)$/.exec(req.url ?? '') ?? []
      const target = switches[name as FaultTarget] as Switch | undefined
      if (req.method === 'POST' && target && action) {
        if (action === 'pause') target.pause()
        else target.resume()
      } else if (!(req.method === 'GET' && req.url === '/')) {
        res.writeHead(404).end()
        return
      }
      sendState(res, Object.fromEntries(Object.entries(switches).map(([key, s]) => [key, s.paused])))
    })
    closers.push(() => control.close())
    return {
      vars: {
        FAULT_CONTROL_URL: control.url,
        FAULT_REDIS_URL: emulator.url,
        FAULT_LIBSQL_URL: libsql.url,
        FAULT_QSTASH_URL: qstash.url,
        FAULT_QSTASH_EMULATOR_URL: qstashEmulator.url,
      },
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}
