/**
 * Event outbox dispatch (issue 15; method and results in docs/benchmarks.md, "Events"). Outbox rows are written with
 * `emitQuery` as a service writes them, published by the real `dispatchOutbox` (what the after-response dispatch and
 * the cron sweep run) to the QStash emulator, which delivers over HTTP, signed, to the app served from this process
 * (./lib/serve.ts); its consumer route runs `bench.noop-*`, consumers that do nothing, so what is measured is the path
 * every event pays for. The emulators run in child processes, as in tools/bench/tasks.ts.
 *
 *   warm-up    W events written, dispatched and delivered (the JIT settles; its dispatch rate sets the due time)
 *   dispatch   N rows written (not measured), then `dispatchOutbox` rounds until none is left, every message due
 *              a second after the phase (`notBefore`), so no delivery competes: rows/s, messages/s, thread CPU per
 *              row, round trips per round
 *   drain      the emulator delivers that backlog (≤ 64 in flight): deliveries/s and events/s (an event counts when
 *              every consumer applied it), first delivery → last one, thread CPU per delivery
 *   end to end N more rows written, then dispatched with nothing held while the deliveries run beside the rounds:
 *              events/s from the first round to the last delivery
 *
 * `BENCH_EVENTS` (N, default 1000), `BENCH_EVENT_CONSUMERS` (consumers per event, 2), `BENCH_WARMUP_EVENTS` (200).
 */
import { z } from '@hono/zod-openapi'
import type { PublishBatchRequest } from '@upstash/qstash'
import { and, count, eq, like } from 'drizzle-orm'
import { createApp } from '../../src/app/app'
import { appCatalogue, DOMAINS } from '../../src/app/domains'
import { type Config, loadConfig } from '../../src/core/config'
import { createLogger } from '../../src/core/logging'
import { defineEvent, onEvent } from '../../src/domains/events/define'
import { type DispatchDeps, type DispatchResult, dispatchOutbox } from '../../src/domains/events/dispatch'
import { emitQuery } from '../../src/domains/events/outbox'
import { eventConsumption, eventOutbox } from '../../src/domains/events/schema'
import { defineDomain } from '../../src/domains/module'
import type { RepositoryDb } from '../../src/infra/db/repository'
import { QSTASH_DELIVERY_PATH, type Qstash } from '../../src/infra/qstash'
import { createServices, required } from '../../src/infra/services'
import { startEmulators } from './lib/emulators'
import { context, serve } from './lib/serve'

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000)
const CONSUMERS = Number(process.env.BENCH_EVENT_CONSUMERS ?? 2)
const WARMUP_EVENTS = Number(process.env.BENCH_WARMUP_EVENTS ?? 200)
/** Rows per write batch while filling the outbox (one `db.batch` each). */
const WRITE_BATCH = 100
/** A phase that has not finished after this long has lost deliveries: the run fails and says what arrived. */
const PHASE_TIMEOUT_MS = 60_000 + EVENTS * CONSUMERS * 50

const benchHappened = defineEvent('bench.happened', z.object({ n: z.number().int() }))
/** No-ops: the consumer route's own cost (the processed-message check and record), nothing of a handler's. */
const noops = Array.from({ length: CONSUMERS }, (_, i) =>
  onEvent(benchHappened, { name: `bench.noop-${i + 1}`, retries: 2, async handler() {} }),
)
const domains = [...DOMAINS, defineDomain({ name: 'bench-events', events: [benchHappened], consumers: noops })]

/** CPU of the JavaScript thread, as Workers counts a request's CPU time (tools/bench/app.ts). */
const threadCpu: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage =
  (process as { threadCpuUsage?: typeof process.cpuUsage }).threadCpuUsage?.bind(process) ??
  process.cpuUsage.bind(process)
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = threadCpu(start)
  return (used.user + used.system) / 1000
}

/** Requests to the database and QStash (both clients use the global `fetch`): a round trip each. */
const trips = { db: 0, qstash: 0 }
function countFetches(config: Config): void {
  const origin = (url: string | undefined) => (url ? new URL(url.replace(/^libsql:/, 'http:')).origin : 'none:')
  const db = origin(config.TURSO_DATABASE_URL)
  const qstash = origin(config.QSTASH_URL)
  const real = globalThis.fetch
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (url.startsWith(db)) trips.db++
    else if (url.startsWith(qstash)) trips.qstash++
    return real(input, init)
  }
}

/**
 * The client the dispatcher publishes with, each message held until `notBefore()` (unix seconds) when set: the
 * dispatch phase's messages all fall due after it, so the drain phase delivers a real backlog. The dispatcher is
 * unchanged.
 */
function heldUntil(client: Qstash, notBefore: () => number | undefined): Qstash {
  const batchJSON = client.batchJSON.bind(client)
  client.batchJSON = <TBody = unknown, TRequest extends PublishBatchRequest<TBody> = PublishBatchRequest<TBody>>(
    requests: TRequest[],
  ) => {
    const at = notBefore()
    return batchJSON<TBody, TRequest>(at === undefined ? requests : requests.map((r) => ({ ...r, notBefore: at })))
  }
  return client
}

/** Successful deliveries so far, and a promise for "n of them". */
class Deliveries {
  delivered = 0
  others: string[] = []
  first: { at: number; cpu: NodeJS.CpuUsage } | undefined
  last = 0
  private waiting: { count: number; resolve: () => void } | undefined

  add(path: string, status: number): void {
    if (status === 200 && path === QSTASH_DELIVERY_PATH) {
      this.delivered++
      this.last = performance.now()
    } else this.others.push(`${status} ${path}`)
    if (this.waiting && this.delivered >= this.waiting.count) this.waiting.resolve()
  }

  reset(): void {
    this.delivered = 0
    this.others = []
    this.first = undefined
  }

  async reached(count: number, phase: string): Promise<void> {
    if (this.delivered >= count) return
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      await new Promise<void>((resolve, reject) => {
        this.waiting = { count, resolve }
        timer = setTimeout(
          () => reject(new Error(`${phase}: ${this.delivered} of ${count} delivered; others: ${this.others}`)),
          PHASE_TIMEOUT_MS,
        )
      })
    } finally {
      clearTimeout(timer)
      this.waiting = undefined
    }
  }
}

/** Writes `n` outbox rows, `WRITE_BATCH` per `db.batch`, as services emit them. */
async function writeRows(db: RepositoryDb, from: number, n: number): Promise<void> {
  for (let i = 0; i < n; i += WRITE_BATCH) {
    const [first, ...rest] = Array.from({ length: Math.min(WRITE_BATCH, n - i) }, (_, j) =>
      emitQuery(db, benchHappened, { n: from + i + j }, `bench:${from + i + j}`),
    )
    if (first) await db.batch([first, ...rest])
  }
}

/** `dispatchOutbox` until a round finds nothing: the totals and the number of rounds that published. */
async function dispatchAll(deps: DispatchDeps): Promise<DispatchResult & { rounds: number }> {
  const total = { sent: 0, messages: 0, deferred: 0, rounds: 0 }
  for (;;) {
    const round = await dispatchOutbox(deps)
    if (round.deferred) throw new Error(`dispatch deferred ${round.deferred} rows: QStash refused them`)
    if (round.sent === 0) return total
    total.sent += round.sent
    total.messages += round.messages
    total.rounds++
  }
}

async function main() {
  const emulators = await startEmulators()
  const deliveries = new Deliveries()
  const app = createApp({ domains })
  let env: Record<string, unknown> = {}
  const served = await serve(async (request) => {
    deliveries.first ??= { at: performance.now(), cpu: threadCpu() }
    const pending: Promise<unknown>[] = []
    const response = await app.fetch(request, env, context(pending))
    const body = await response.arrayBuffer()
    await Promise.all(pending)
    deliveries.add(new URL(request.url).pathname, response.status)
    return new Response(body, { status: response.status, headers: response.headers })
  })

  try {
    env = {
      ...emulators.vars,
      ENVIRONMENT: 'production',
      // Log lines are I/O whose cost depends on where logs go (tools/bench/app.ts does the same).
      LOG_LEVEL: 'warn',
      PUBLIC_URL: served.url,
    }
    const config = loadConfig(env)
    countFetches(config)
    const services = createServices(config)
    const db = required(services.db, 'database')
    let notBefore: number | undefined
    const deps: DispatchDeps = {
      db,
      qstash: heldUntil(required(services.qstash, 'qstash'), () => notBefore),
      config,
      registry: appCatalogue(domains).events,
      logger: createLogger({ bench: 'events' }, 'warn'),
    }
    let written = 0

    // Warm-up: the whole path a few hundred times. Its dispatch rate sets the dispatch phase's due time.
    await writeRows(db, written, WARMUP_EVENTS)
    written += WARMUP_EVENTS
    const warmStart = performance.now()
    await dispatchAll(deps)
    const warmRowsPerMs = WARMUP_EVENTS / (performance.now() - warmStart)
    await deliveries.reached(WARMUP_EVENTS * CONSUMERS, 'warm-up')

    // Dispatch: N rows waiting, published in rounds; their messages due a whole second safely after the phase ends
    // (twice the warm-up's estimate), so the drain starts from a real backlog.
    deliveries.reset()
    await writeRows(db, written, EVENTS)
    written += EVENTS
    const dueAtMs = Math.ceil((Date.now() + (EVENTS / warmRowsPerMs) * 2 + 1000) / 1000) * 1000
    notBefore = dueAtMs / 1000
    const tripsBefore = { ...trips }
    const dispatchCpuStart = threadCpu()
    const dispatchStart = performance.now()
    const dispatched = await dispatchAll(deps)
    const dispatchMs = performance.now() - dispatchStart
    const dispatchCpu = cpuMsSince(dispatchCpuStart)
    // The last round's claim found nothing: one database round trip that published nothing, left out per round.
    const dispatchTrips = { db: trips.db - tripsBefore.db - 1, qstash: trips.qstash - tripsBefore.qstash }
    if (dispatched.sent !== EVENTS) throw new Error(`dispatched ${dispatched.sent} rows, expected ${EVENTS}`)
    if (deliveries.delivered || Date.now() >= dueAtMs)
      console.warn('the dispatch phase ran past its due time: deliveries ran beside it, its CPU includes theirs')
    notBefore = undefined

    // Drain: the emulator delivers the backlog once it falls due.
    await deliveries.reached(EVENTS * CONSUMERS, 'drain')
    const first = deliveries.first
    if (!first) throw new Error('drain: no delivery arrived')
    const drainMs = deliveries.last - first.at
    const drainCpu = cpuMsSince(first.cpu)

    // End to end: N more rows, dispatched while their deliveries run.
    deliveries.reset()
    await writeRows(db, written, EVENTS)
    written += EVENTS
    const e2eStart = performance.now()
    await dispatchAll(deps)
    await deliveries.reached(EVENTS * CONSUMERS, 'end to end')
    const e2eMs = deliveries.last - e2eStart

    // Every event applied once by every consumer; nothing left in the outbox.
    const [applied] = await db
      .select({ n: count() })
      .from(eventConsumption)
      .where(like(eventConsumption.consumer, 'bench.noop-%'))
    const [left] = await db
      .select({ n: count() })
      .from(eventOutbox)
      .where(and(eq(eventOutbox.name, benchHappened.name), eq(eventOutbox.status, 'PENDING')))
    if (applied?.n !== written * CONSUMERS || left?.n !== 0)
      throw new Error(`expected ${written * CONSUMERS} records and no PENDING row: ${applied?.n}, ${left?.n}`)

    const f = (n: number, digits = 0) => n.toFixed(digits)
    const perSecond = (n: number, ms: number) => f((n / ms) * 1000)
    console.log(
      `\n${EVENTS} events, ${CONSUMERS} no-op consumers each (${EVENTS * CONSUMERS} messages), after ` +
        `${WARMUP_EVENTS} warm-up events. CPU: this thread; the emulators run in child processes.`,
    )
    console.log('| phase | rows/s | messages/s | events/s delivered | CPU ms | round trips |')
    console.log('| --- | ---: | ---: | ---: | ---: | --- |')
    console.log(
      `| dispatch: ${dispatched.rounds} rounds of ≤ 100 rows | ${perSecond(EVENTS, dispatchMs)} | ` +
        `${perSecond(dispatched.messages, dispatchMs)} | — | ${f(dispatchCpu / EVENTS, 3)} per row | ` +
        `per round: database ${f(dispatchTrips.db / dispatched.rounds, 1)}, ` +
        `QStash ${f(dispatchTrips.qstash / dispatched.rounds, 1)} |`,
    )
    console.log(
      `| drain: the emulator delivers the backlog (≤ 64 in flight) | — | ${perSecond(EVENTS * CONSUMERS, drainMs)} | ` +
        `${perSecond(EVENTS, drainMs)} | ${f(drainCpu / (EVENTS * CONSUMERS), 3)} per delivery | — |`,
    )
    console.log(
      `| end to end: dispatch rounds and deliveries together | — | ${perSecond(EVENTS * CONSUMERS, e2eMs)} | ` +
        `${perSecond(EVENTS, e2eMs)} | — | — |`,
    )
    console.log(
      `\nDispatch ${f(dispatchMs / 1000, 2)} s, drain ${f(drainMs / 1000, 2)} s, end to end ${f(e2eMs / 1000, 2)} s.`,
    )
  } finally {
    await served.close()
    await emulators.stop()
  }
}

await main()
// The clients' keep-alive pools would hold the process open.
process.exit(process.exitCode ?? 0)
