/**
 * Events only tests use, in an app built with them beside the real modules (as test/domains/tasks/helpers.ts does for
 * tasks): `probe.recorded` with two consumers that write rows through `apply`, `probe.flaky` whose consumer fails
 * while a Redis flag is set, and `probe.unheard` that nobody consumes. A test route writes a probe row and emits in
 * the same `db.batch`, the way a service does. The rows live in two test-only tables, created in the file's database
 * by `createProbeTables()` (they need no migration: no deployment has them).
 */
import { env } from 'cloudflare:workers'
import { z } from '@hono/zod-openapi'
import { eq, sql } from 'drizzle-orm'
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createApp } from '../../../src/app/app'
import { appCatalogue, DOMAINS } from '../../../src/app/domains'
import { loadConfig } from '../../../src/core/config'
import { ConflictError } from '../../../src/core/errors'
import { createLogger, type LogLevel } from '../../../src/core/logging'
import { defineEvent, onEvent } from '../../../src/domains/events/define'
import type { DispatchDeps } from '../../../src/domains/events/dispatch'
import { emitQuery, eventsOf } from '../../../src/domains/events/outbox'
import { eventOutbox } from '../../../src/domains/events/schema'
import { defineDomain } from '../../../src/domains/module'
import { defineRoute, jsonBody, jsonEnvelope } from '../../../src/http/openapi'
import { ok } from '../../../src/http/respond'
import { createRouter } from '../../../src/http/router'
import { isUniqueViolation } from '../../../src/infra/db/errors'
import { createQstash } from '../../../src/infra/qstash'
import { required } from '../../../src/infra/services'
import type { Overrides } from '../../helpers/app'
import { fileDb } from '../../helpers/database'
import { sleep } from '../../helpers/fixtures'
import { harnessFor } from '../../helpers/harness'
import { fileBindings } from '../../helpers/isolation'

/** The "domain rows" the test route writes: one per label (a second one is a UNIQUE violation). */
export const testProbe = sqliteTable('test_probe', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  label: text('label').notNull().unique(),
})

/** What consumers write through `apply`: no unique key, so a consumer that applied twice shows as two rows. */
export const testEffect = sqliteTable('test_probe_effect', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  consumer: text('consumer').notNull(),
  eventId: text('event_id').notNull(),
  label: text('label').notNull(),
})

export async function createProbeTables(): Promise<void> {
  await fileDb().batch([
    fileDb().run(sql`create table if not exists test_probe (
      id integer primary key autoincrement, label text not null unique)`),
    fileDb().run(sql`create table if not exists test_probe_effect (
      id integer primary key autoincrement, consumer text not null, event_id text not null, label text not null)`),
  ])
}

const Probe = z.object({
  label: z.string().min(1),
  /** The consumers wait this long before applying (two deliveries then overlap). */
  delay_ms: z.number().int().min(0).max(5_000).optional(),
})

export const probeRecorded = defineEvent('probe.recorded', Probe)
export const probeFlaky = defineEvent('probe.flaky', z.object({ label: z.string().min(1) }))
export const probeUnheard = defineEvent('probe.unheard', z.object({ label: z.string().min(1) }))

/** Redis key: while it is set, `test.flaky` fails for that label. */
export const failFlag = (label: string) => `test:event-fail:${label}`

const writer = (name: string) =>
  onEvent(probeRecorded, {
    name,
    async handler({ event, db, apply }) {
      if (event.payload.delay_ms) await sleep(event.payload.delay_ms)
      await apply([db.insert(testEffect).values({ consumer: name, eventId: event.id, label: event.payload.label })])
    },
  })

export const PROBE_CONSUMERS = ['test.probe-mirror', 'test.probe-writer'] as const
export const FLAKY_CONSUMER = 'test.flaky'

const flaky = onEvent(probeFlaky, {
  name: FLAKY_CONSUMER,
  retries: 1,
  async handler({ event, db, redis, apply }) {
    if (!redis) throw new Error('no redis')
    if (await redis.get(failFlag(event.payload.label))) throw new Error(`failing on purpose: ${event.payload.label}`)
    await apply([
      db.insert(testEffect).values({ consumer: FLAKY_CONSUMER, eventId: event.id, label: event.payload.label }),
    ])
  },
})

export const EMIT_MODES = ['sink', 'query', 'none'] as const

const ProbeWrite = Probe.extend({
  /** `sink`: as a service emits (the app publishes after the response); `query`: the outbox row alone, nothing
   * published; `none`: the write without an event. */
  emit: z.enum(EMIT_MODES),
  event: z.enum(['recorded', 'flaky']).default('recorded'),
})

const writeProbe = defineRoute({
  method: 'post',
  path: '/test-events/probes',
  summary: 'Test only: writes a probe row and emits in the same batch',
  access: 'public',
  errors: [409],
  request: jsonBody(ProbeWrite),
  responses: { 200: jsonEnvelope(z.object({ label: z.string() }), 'Written') },
})

/** Runs when the test route's handler is about to answer (after its write): a test reads counters there. */
let beforeAnswer: (() => Promise<void>) | undefined
export function whenProbeHandled(hook: (() => Promise<void>) | undefined): void {
  beforeAnswer = hook
}

const probeRoutes = () =>
  createRouter().openapi(writeProbe, async (c) => {
    const { label, delay_ms, emit, event } = c.req.valid('json')
    const db = required(c.get('services').db, 'database')
    const payload = delay_ms === undefined ? { label } : { label, delay_ms }
    const definition = event === 'flaky' ? probeFlaky : probeRecorded
    const aggregate = `probe:${label}`
    const emitted =
      emit === 'sink'
        ? [eventsOf(c).emit(db, definition, payload, aggregate)]
        : emit === 'query'
          ? [emitQuery(db, definition, payload, aggregate)]
          : []
    try {
      await db.batch([db.insert(testProbe).values({ label }), ...emitted])
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError()
      throw err
    }
    await beforeAnswer?.()
    return ok(c, { label })
  })

export const testEventsModule = defineDomain({
  name: 'test-events',
  routes: { v1: probeRoutes },
  events: [probeRecorded, probeFlaky, probeUnheard],
  consumers: [writer(PROBE_CONSUMERS[1]), writer(PROBE_CONSUMERS[0]), flaky],
})
export const eventDomains = [...DOMAINS, testEventsModule]
export const eventApp = createApp({ domains: eventDomains })
export const eventHarness = harnessFor(eventApp)
export type ProbeRoutes = typeof probeRoutes

/** What `dispatchOutbox`/`sweepOutbox` get from the cron job, built from this file's bindings (and `overrides`). */
export function dispatchDeps(overrides: Overrides = {}, logLevel: LogLevel = 'error'): DispatchDeps {
  const config = loadConfig({ ...env, ...fileBindings, ...overrides })
  return {
    db: fileDb(),
    qstash: createQstash(config),
    config,
    registry: appCatalogue(eventDomains).events,
    logger: createLogger({ test: 'events' }, logLevel),
  }
}

/** The outbox rows of one probe label (the test route's aggregate). */
export const outboxOf = (label: string) =>
  fileDb()
    .select()
    .from(eventOutbox)
    .where(eq(eventOutbox.aggregate, `probe:${label}`))

/** The consumers' rows for one label, as `[consumer, event id]`, sorted. */
export async function effectsOf(label: string): Promise<[string, string][]> {
  const rows = await fileDb().select().from(testEffect).where(eq(testEffect.label, label))
  return rows.map((r): [string, string] => [r.consumer, r.eventId]).sort()
}
