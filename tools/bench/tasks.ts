/**
 * Tasks end to end (issue 14; method and results in docs/benchmarks.md, "Tasks"). The real submitter
 * (`QstashTaskSubmitter`) publishes to the QStash emulator, which delivers over HTTP, signed, to the app served from
 * this process (`node:http`, ./lib/serve.ts); its consumer route runs `bench.noop`, a task that does nothing, so what
 * is measured is the path every task pays for. The emulators run in child processes: this thread's CPU is the app's
 * and its Node host's alone (theirs is read from /proc and reported beside it).
 *
 *   warm-up   W tasks submitted and delivered (the JIT settles; their submission rate sets phase 1's due time)
 *   phase 1   N submissions, BENCH_SUBMIT_CONCURRENCY in flight, every message due at one second after they end
 *             → submissions/s, thread CPU per submission
 *   phase 2   the emulator drains that backlog (up to its 64 concurrent deliveries, as `stratum emulators` runs it)
 *             → tasks/s from the first delivery to the last success, thread CPU per task (everything in the thread,
 *             the Node HTTP server included)
 *   serial    S tasks one at a time, each delivery run with nothing else in the thread → CPU p50/p90 of the consumer
 *             route itself (`app.fetch` and its `waitUntil` work) and the round trips it makes
 *   reference one database statement, one Redis command and one signature check through the app's own clients
 *
 * `BENCH_TASKS` (N, default 300), `BENCH_SUBMIT_CONCURRENCY` (8), `BENCH_WARMUP_TASKS` (60), `BENCH_SERIAL_TASKS` (100).
 */
import { availableParallelism } from 'node:os'
import { z } from '@hono/zod-openapi'
import type { PublishRequest } from '@upstash/qstash'
import { sql } from 'drizzle-orm'
import { createApp } from '../../src/app/app'
import { appCatalogue, DOMAINS } from '../../src/app/domains'
import { type Config, loadConfig } from '../../src/core/config'
import { createLogger } from '../../src/core/logging'
import { defineDomain } from '../../src/domains/module'
import { defineTask } from '../../src/domains/tasks/define'
import { QstashTaskSubmitter } from '../../src/domains/tasks/submitter'
import { nodeTransport } from '../../src/infra/node/upstash-http'
import { QSTASH_DELIVERY_PATH as DELIVERY_PATH, type Qstash, verifyQstashDelivery } from '../../src/infra/qstash'
import { redisOver, type UpstashTransport } from '../../src/infra/redis'
import { createServices, required, type ServiceFactories } from '../../src/infra/services'
import { signDelivery } from '../emulators/qstash/signing'
import { type BenchEmulators, startEmulators } from './lib/emulators'
import { busyShare, type MachineCpu, machineCpu } from './lib/proc'
import { context, serve } from './lib/serve'

const TASKS = Number(process.env.BENCH_TASKS ?? 300)
const SUBMIT_CONCURRENCY = Number(process.env.BENCH_SUBMIT_CONCURRENCY ?? 8)
const WARMUP_TASKS = Number(process.env.BENCH_WARMUP_TASKS ?? 60)
const SERIAL_TASKS = Number(process.env.BENCH_SERIAL_TASKS ?? 100)
const REFERENCE_CALLS = 200
/** A phase that has not finished after this long has lost deliveries: the run fails and says what arrived. */
const PHASE_TIMEOUT_MS = 60_000 + TASKS * 100

/** The no-op: the consumer's own cost, with nothing of a handler's. */
const benchNoop = defineTask({
  name: 'bench.noop',
  summary: 'Benchmark task: returns its argument',
  args: z.object({ n: z.number().int() }),
  retries: 2,
  timeoutMs: 10_000,
  async handler({ args }) {
    return args.n
  },
})
const domains = [...DOMAINS, defineDomain({ name: 'bench-tasks', tasks: [benchNoop] })]

/** CPU of the JavaScript thread, as Workers counts a request's CPU time (tools/bench/app.ts). */
const threadCpu: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage =
  (process as { threadCpuUsage?: typeof process.cpuUsage }).threadCpuUsage?.bind(process) ??
  process.cpuUsage.bind(process)

/** Thread CPU in ms, and the kernel's share of it (socket syscalls: in Node the loopback TCP stack runs in them). */
interface Cpu {
  ms: number
  sysMs: number
}
const cpuSince = (start: NodeJS.CpuUsage): Cpu => {
  const used = threadCpu(start)
  return { ms: (used.user + used.system) / 1000, sysMs: used.system / 1000 }
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}
const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / (values.length || 1)

/** Round trips the app makes, by service: its clients' transports are wrapped to count (an increment each). */
const trips = { db: 0, redis: 0, qstash: 0 }
type Trips = typeof trips
const tripsSince = (start: Trips): Trips => ({
  db: trips.db - start.db,
  redis: trips.redis - start.redis,
  qstash: trips.qstash - start.qstash,
})

/** While set, how long each database request took to answer (headers in), in ms: phase 2 reads it. */
let dbLatency: number[] | undefined

/** `fetch` that counts requests to the database and QStash (the libSQL and QStash clients use the global one). */
function countFetches(config: Config): void {
  const origin = (url: string | undefined) => (url ? new URL(url.replace(/^libsql:/, 'http:')).origin : 'none:')
  const db = origin(config.TURSO_DATABASE_URL)
  const qstash = origin(config.QSTASH_URL)
  const real = globalThis.fetch
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (url.startsWith(qstash)) trips.qstash++
    if (!url.startsWith(db)) return real(input, init)
    trips.db++
    const latency = dbLatency
    if (!latency) return real(input, init)
    const start = performance.now()
    return real(input, init).then((response) => {
      latency.push(performance.now() - start)
      return response
    })
  }
}

/** The Node host's clients (`nodeServices()`), with Redis's transport counted. */
const services: ServiceFactories = {
  redis: (config) =>
    redisOver(config, (url): UpstashTransport => {
      const transport = nodeTransport(url)
      return (path, headers, body, signal) => {
        trips.redis++
        return transport(path, headers, body, signal)
      }
    }),
}

/** One request as the app answered it. */
interface Answered {
  path: string
  status: number
  /** Thread CPU inside `app.fetch` and its `waitUntil` work: exact only when requests do not overlap. */
  cpu: Cpu
  trips: Trips
  /** `performance.now()` when it arrived and when its answer was ready. */
  arrived: number
  done: number
}

/** The requests of the current phase, and a promise for "n deliveries answered 200". */
class Tally {
  answers: Answered[] = []
  delivered = 0
  private waiting: { count: number; resolve: () => void } | undefined

  add(answer: Answered): void {
    this.answers.push(answer)
    if (answer.status === 200 && answer.path === DELIVERY_PATH) this.delivered++
    if (this.waiting && this.delivered >= this.waiting.count) this.waiting.resolve()
  }

  reset(): void {
    this.answers = []
    this.delivered = 0
  }

  async reached(count: number, phase: string): Promise<void> {
    if (this.delivered >= count) return
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      await new Promise<void>((resolve, reject) => {
        this.waiting = { count, resolve }
        timer = setTimeout(() => {
          const others = this.answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.path}`)
          reject(new Error(`${phase}: ${this.delivered} of ${count} delivered in time; other answers: ${others}`))
        }, PHASE_TIMEOUT_MS)
      })
    } finally {
      clearTimeout(timer)
      this.waiting = undefined
    }
  }
}

/**
 * The client the submitter publishes with, its messages held until `notBefore()` (unix seconds) when set: phase 1's
 * messages all fall due at one second, so phase 2 drains a backlog instead of following the submissions. The
 * submitter is unchanged; its own `delayMs` is in whole seconds from each publish, which would spread the due times
 * over a second.
 */
function releasedAt(client: Qstash, notBefore: () => number | undefined): Qstash {
  const publishJSON = client.publishJSON.bind(client)
  client.publishJSON = <TBody = unknown, TRequest extends PublishRequest<TBody> = PublishRequest<TBody>>(
    request: TRequest,
  ) => {
    const at = notBefore()
    return publishJSON<TBody, TRequest>(at === undefined ? request : { ...request, notBefore: at })
  }
  return client
}

/** What the emulator processes spent between two readings, per task. */
function emulatorCpuPerTask(emulators: BenchEmulators, before: Partial<Record<string, number>>, tasks: number) {
  const after = emulators.cpuMs()
  const parts = (['qstash', 'libsql'] as const).flatMap((name) => {
    const spent = (after[name] ?? Number.NaN) - (before[name] ?? Number.NaN)
    return Number.isNaN(spent) ? [] : [`${name} ${(spent / tasks).toFixed(2)}`]
  })
  return parts.length ? parts.join(', ') : 'n/a'
}

async function main() {
  const emulators = await startEmulators()
  const tally = new Tally()
  const app = createApp({ domains, services })
  let env: Record<string, unknown> = {}
  /** While set, a delivery waits for it before running: the serial phase lets its submission finish first. */
  let gate: Promise<void> | undefined
  /** Once set, the next delivery to arrive starts phase 2's clock and CPU count. */
  const phase2: { watching: boolean; first?: { at: number; cpu: NodeJS.CpuUsage; machine: MachineCpu | undefined } } = {
    watching: false,
  }

  const served = await serve(async (request) => {
    const arrived = performance.now()
    if (phase2.watching && !phase2.first) phase2.first = { at: arrived, cpu: threadCpu(), machine: machineCpu() }
    if (gate) await gate
    const pending: Promise<unknown>[] = []
    const ctx = context(pending)
    const tripsBefore = { ...trips }
    const before = threadCpu()
    const response = await app.fetch(request, env, ctx)
    const body = await response.arrayBuffer()
    await Promise.all(pending)
    const cpu = cpuSince(before)
    const path = new URL(request.url).pathname
    tally.add({ path, status: response.status, cpu, trips: tripsSince(tripsBefore), arrived, done: performance.now() })
    return new Response(body, { status: response.status, headers: response.headers })
  })

  try {
    env = {
      ...emulators.vars,
      ENVIRONMENT: 'production',
      // Log lines are I/O whose cost depends on where logs go (tools/bench/app.ts does the same).
      LOG_LEVEL: 'warn',
      // Where QStash delivers. (Its routes are exempt from the per-IP default rate limit: no Redis counter.)
      PUBLIC_URL: served.url,
    }
    const config = loadConfig(env)
    countFetches(config)
    const submitterServices = createServices(config, services)
    let notBefore: number | undefined
    const submitter = new QstashTaskSubmitter({
      db: required(submitterServices.db, 'database'),
      qstash: releasedAt(required(submitterServices.qstash, 'qstash'), () => notBefore),
      config,
      registry: appCatalogue(domains).tasks,
      logger: createLogger({ bench: 'tasks' }, 'warn'),
      lang: 'en-US',
    })
    const since = new Date(Date.now() - 1000)
    let submitted = 0
    const submitMany = async (count: number) => {
      let left = count
      const worker = async () => {
        while (left > 0) {
          left--
          await submitter.submit(benchNoop.name, { n: submitted++ })
        }
      }
      await Promise.all(Array.from({ length: Math.min(SUBMIT_CONCURRENCY, count) }, worker))
    }

    // Warm-up: the whole path a few dozen times. Its submission rate (slowed by the deliveries running alongside)
    // sets phase 1's due time, with room to spare.
    const warmStart = performance.now()
    await submitMany(WARMUP_TASKS)
    const warmRate = WARMUP_TASKS / ((performance.now() - warmStart) / 1000)
    await tally.reached(WARMUP_TASKS, 'warm-up')

    // Phase 1: submissions only.
    tally.reset()
    const dueAtMs = Math.ceil((Date.now() + (TASKS / warmRate) * 1500 + 1000) / 1000) * 1000
    notBefore = dueAtMs / 1000
    const submitTrips = { ...trips }
    const submitEmulators = emulators.cpuMs()
    const submitCpuStart = threadCpu()
    const submitStart = performance.now()
    await submitMany(TASKS)
    const submitMs = performance.now() - submitStart
    const submitCpu = cpuSince(submitCpuStart)
    const submitEmulatorCpu = emulatorCpuPerTask(emulators, submitEmulators, TASKS)
    const submitRoundTrips = tripsSince(submitTrips)
    notBefore = undefined
    if (Date.now() >= dueAtMs || tally.answers.length > 0)
      console.warn(
        `phase 1 ran past the due time (${tally.answers.length} deliveries during it): its CPU includes theirs`,
      )

    // Phase 2: the emulator drains the backlog.
    const drainEmulators = emulators.cpuMs()
    phase2.watching = true
    dbLatency = []
    await tally.reached(TASKS, 'phase 2')
    const first = phase2.first
    if (!first) throw new Error('phase 2: no delivery arrived')
    const drainCpu = cpuSince(first.cpu)
    const machineBusy = busyShare(first.machine, machineCpu())
    const drainEmulatorCpu = emulatorCpuPerTask(emulators, drainEmulators, TASKS)
    const drainMs = Math.max(...tally.answers.map((a) => a.done)) - first.at
    const firstAfterDueMs = performance.timeOrigin + first.at - dueAtMs
    const drainDbLatency = dbLatency
    dbLatency = undefined
    const inApp = tally.answers.map((a) => a.done - a.arrived)
    const drainOthers = tally.answers.filter((a) => a.status !== 200).length

    // Serial: one task at a time; its delivery waits at the gate until the submission (and its last write) is done.
    tally.reset()
    const latency: number[] = []
    for (let i = 0; i < SERIAL_TASKS; i++) {
      let open: () => void = () => undefined
      gate = new Promise<void>((resolve) => {
        open = resolve
      })
      const start = performance.now()
      await submitter.submit(benchNoop.name, { n: submitted++ })
      open()
      await tally.reached(i + 1, 'serial')
      latency.push(performance.now() - start)
    }
    gate = undefined
    const serial = tally.answers.filter((a) => a.path === DELIVERY_PATH && a.status === 200)
    const serialCpu = serial.map((a) => a.cpu.ms)
    const serialTrips = (key: keyof Trips) => mean(serial.map((a) => a.trips[key]))

    // Every task ended SUCCESS, once.
    const stats = await submitter.results.stats(since)
    const counts = Object.fromEntries(stats.filter((s) => s.name === benchNoop.name).map((s) => [s.status, s.count]))
    const expected = WARMUP_TASKS + TASKS + SERIAL_TASKS
    if (Number(counts.SUCCESS ?? 0) !== expected)
      throw new Error(`expected ${expected} SUCCESS rows, found ${JSON.stringify(counts)}`)

    // Reference costs through the app's own clients, one call at a time.
    const reference = createServices(config, services)
    const db = required(reference.db, 'database')
    const redis = required(reference.redis, 'redis')
    const url = `${served.url}${DELIVERY_PATH}`
    const body = JSON.stringify({ kind: 'task', task_id: 'reference', name: benchNoop.name })
    const signingKey = String(env.QSTASH_CURRENT_SIGNING_KEY)
    const signature = await signDelivery({ signingKey, url, body: new TextEncoder().encode(body) })
    const measure = async (call: () => Promise<unknown>) => {
      const cpu: number[] = []
      for (let i = 0; i < REFERENCE_CALLS; i++) {
        const before = threadCpu()
        await call()
        cpu.push(cpuSince(before).ms)
      }
      return `${percentile(cpu, 0.5).toFixed(3)}/${percentile(cpu, 0.9).toFixed(3)}`
    }
    const refDb = await measure(() => db.run(sql`select 1`))
    const refRedis = await measure(() => redis.get('bench:nothing'))
    const refVerify = await measure(async () => {
      if (!(await verifyQstashDelivery(config, { signature, body, url }))) throw new Error('signature refused')
    })

    const f = (n: number, digits = 3) => n.toFixed(digits)
    const roundTrips = (t: Partial<Trips>) =>
      (['db', 'redis', 'qstash'] as const)
        .filter((k) => t[k] !== undefined)
        .map((k) => `${k} ${f(t[k] ?? 0, 1)}`)
        .join(', ')
    console.log(
      `\n${TASKS} tasks (bench.noop) after ${WARMUP_TASKS} warm-up tasks, then ${SERIAL_TASKS} one at a time. ` +
        'CPU: this thread (user + sys, sys in brackets); the emulators run in child processes.',
    )
    console.log('| phase | tasks/s | CPU ms per task | CPU p50 ms | CPU p90 ms | round trips per task |')
    console.log('| --- | ---: | ---: | ---: | ---: | --- |')
    console.log(
      `| submit, ${SUBMIT_CONCURRENCY} in flight | ${f((TASKS / submitMs) * 1000, 0)} | ` +
        `${f(submitCpu.ms / TASKS)} (${f(submitCpu.sysMs / TASKS)}) | — | — | ` +
        `${roundTrips({ db: submitRoundTrips.db / TASKS, qstash: submitRoundTrips.qstash / TASKS })} |`,
    )
    console.log(
      `| deliver: the emulator drains ${TASKS} (≤ 64 in flight), first delivery → last success | ` +
        `${f((TASKS / drainMs) * 1000, 0)} | ${f(drainCpu.ms / TASKS)} (${f(drainCpu.sysMs / TASKS)}) | — | — | — |`,
    )
    console.log(
      `| deliver one at a time: the consumer route in \`app.fetch\` | — | ` +
        `${f(mean(serialCpu))} (${f(mean(serial.map((a) => a.cpu.sysMs)))}) | ${f(percentile(serialCpu, 0.5))} | ` +
        `${f(percentile(serialCpu, 0.9))} | ` +
        `${roundTrips({ db: serialTrips('db'), redis: serialTrips('redis'), qstash: serialTrips('qstash') })} |`,
    )
    console.log(
      `\nPhase 1: ${f(submitMs / 1000, 2)} s. Phase 2: ${f(drainMs / 1000, 2)} s, the first delivery ` +
        `${f(firstAfterDueMs, 0)} ms after the due time${drainOthers ? `, ${drainOthers} answers other than 200` : ''}.`,
    )
    const cores = availableParallelism()
    const busy = machineBusy === undefined ? 'n/a' : `${f(machineBusy * 100, 0)} % of ${cores} cores`
    console.log(
      `Emulator processes' CPU ms per task: submitting ${submitEmulatorCpu}; delivering ${drainEmulatorCpu} ` +
        `(/proc, 10 ms ticks). The machine while draining: ${busy} busy (every process, neighbours included).`,
    )
    console.log(
      `While draining: ${f(mean(inApp) * (inApp.length / drainMs), 1)} deliveries in the app on average, each ` +
        `${f(percentile(inApp, 0.5), 0)} ms there (p50); a database request answered in ` +
        `${f(percentile(drainDbLatency, 0.5), 0)} ms p50, ${f(percentile(drainDbLatency, 0.9), 0)} ms p90.`,
    )
    console.log(
      `One task alone, submit → SUCCESS: p50 ${f(percentile(latency, 0.5), 1)} ms, ` +
        `p90 ${f(percentile(latency, 0.9), 1)} ms.`,
    )
    console.log(
      `Reference CPU p50/p90 ms through the app's clients: a database statement ${refDb}, a Redis command ` +
        `${refRedis}, a signature check ${refVerify}.`,
    )
  } finally {
    await served.close()
    await emulators.stop()
  }
}

await main()
// The clients' keep-alive pools would hold the process open.
process.exit(process.exitCode ?? 0)
