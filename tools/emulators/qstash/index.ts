/**
 * Local QStash emulator: the REST API `@upstash/qstash` 2.12 talks to, real HTTP deliveries signed so
 * that `Receiver.verify` accepts them, retries/DLQ/callbacks, queues and cron schedules, all persisted
 * in SQLite. See docs/emulators/qstash.md.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { RunningEmulator } from '../shared/emulator'
import { listen } from '../shared/http'
import { Clock } from './clock'
import { QstashCore } from './core'
import { Dispatcher } from './delivery'
import { createHandler } from './server'
import { Store } from './store'

export interface QstashEmulatorOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string
  /** 0 or omitted: a free port. */
  port?: number
  /** The `QSTASH_TOKEN` clients must present (Bearer or `?qstash_token=`). */
  token: string
  /** Signs deliveries (`QSTASH_CURRENT_SIGNING_KEY`). */
  currentSigningKey: string
  /** Reported by `GET /v2/keys` and promoted by `POST /v2/keys/rotate` (`QSTASH_NEXT_SIGNING_KEY`). */
  nextSigningKey: string
  /** SQLite file; ':memory:' or omitted keeps state in memory (lost on close). */
  dbPath?: string
  /** Multiplies every delay, backoff and `Retry-After` (e.g. 0.001 in tests). Default 1. */
  timeScale?: number
  /** Multiplies the length of a cron minute (60 s × scale). Defaults to `timeScale`. */
  cronTimeScale?: number
  /** Delivery loop period in ms (default 100). */
  tickMs?: number
  /** Per-attempt HTTP timeout when a message sets no `Upstash-Timeout` (default 30 s, never scaled). */
  defaultTimeoutMs?: number
  /** Maximum simultaneous deliveries (default 64). */
  maxConcurrency?: number
  /** Receives unexpected background errors (default: console.error). */
  onError?: (err: unknown) => void
}

export type RunningQstashEmulator = RunningEmulator & { token: string }

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) throw new Error(`qstash emulator: ${name} must be a positive number`)
  return value
}

export async function startQstashEmulator(options: QstashEmulatorOptions): Promise<RunningQstashEmulator> {
  if (!options.token) throw new Error('qstash emulator: token is required')
  if (!options.currentSigningKey || !options.nextSigningKey) {
    throw new Error('qstash emulator: currentSigningKey and nextSigningKey are required')
  }
  const timeScale = positive('timeScale', options.timeScale, 1)
  const cronTimeScale = positive('cronTimeScale', options.cronTimeScale, timeScale)
  const dbPath = options.dbPath && options.dbPath !== '' ? options.dbPath : ':memory:'
  if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true })

  const store = new Store(dbPath)
  const core = new QstashCore(store, new Clock(timeScale, cronTimeScale), {
    current: options.currentSigningKey,
    next: options.nextSigningKey,
  })
  const dispatcher = new Dispatcher(core, {
    tickMs: positive('tickMs', options.tickMs, 100),
    maxConcurrency: positive('maxConcurrency', options.maxConcurrency, 64),
    defaultTimeoutMs: positive('defaultTimeoutMs', options.defaultTimeoutMs, 30_000),
    onError: options.onError ?? ((err: unknown) => console.error('[qstash emulator]', err)),
  })
  core.onWork = () => dispatcher.wake()
  core.globalParallelism = () => dispatcher.parallelism()

  let server: Awaited<ReturnType<typeof listen>>
  try {
    server = await listen(createHandler(core, options.token), { host: options.host, port: options.port })
  } catch (err) {
    store.close()
    throw err
  }
  dispatcher.start()

  let closing: Promise<void> | undefined
  return {
    name: 'qstash',
    url: server.url,
    port: server.port,
    token: options.token,
    close() {
      // Idempotent: a globalSetup teardown and a signal handler may both call it.
      closing ??= (async () => {
        await server.close()
        await dispatcher.stop()
        store.close()
      })()
      return closing
    },
  }
}

export { CronError, cronMatches, nextCronTime, parseCron } from './cron'
export { evaluateRetryDelay, parseRetryDelay, RetryDelayError, retryDelayMs } from './retry-delay'
export { QSTASH_ENDPOINTS } from './server'
export { signDelivery } from './signing'
