/**
 * The event path end to end (docs/events.md): an event emitted in a write's `db.batch` exists only if the write
 * committed, is published to the QStash emulator (after the response, or by a dispatch or the cron sweep) and delivered
 * through the relay to `POST /api/v1/qstash/deliveries`, once per consumer; each consumer applies it once, however
 * often and however concurrently it is delivered. The events and consumers are test-only (./helpers.ts).
 */
import { z } from '@hono/zod-openapi'
import { count, eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { dispatchOutbox, sweepOutbox } from '../../../src/domains/events/dispatch'
import { emitQuery } from '../../../src/domains/events/outbox'
import { eventConsumption, eventOutbox } from '../../../src/domains/events/schema'
import { QSTASH_DELIVERY_PATH } from '../../../src/infra/qstash'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { type Delivery, deliverAll, deliverUntil } from '../../helpers/deliveries'
import { unique } from '../../helpers/fixtures'
import { answer, failure } from '../../helpers/harness'
import { fileBindings } from '../../helpers/isolation'
import { expectLogs } from '../../helpers/logs'
import { qstash } from '../tasks/direct-submit'
import {
  createProbeTables,
  dispatchDeps,
  effectsOf,
  eventApp,
  eventHarness,
  outboxOf,
  PROBE_CONSUMERS,
  type ProbeRoutes,
  probeRecorded,
  probeUnheard,
  testProbe,
} from './helpers'

const write = (label: string, emit: 'sink' | 'query' | 'none' = 'sink', delay_ms?: number) =>
  eventHarness.api<ProbeRoutes>()['test-events'].probes.$post({
    json: { label, emit, ...(delay_ms === undefined ? {} : { delay_ms }) },
  })

/** The consumer a delivery was for (its body), and the consumer route's answer to it. */
const consumerOf = (d: Delivery) => z.object({ consumer: z.string() }).parse(JSON.parse(d.body)).consumer
const DeliveryAnswerSchema = z.object({ data: z.object({ event_id: z.string(), state: z.string(), ran: z.boolean() }) })
const answerOf = (text: string) => DeliveryAnswerSchema.parse(JSON.parse(text)).data

/** Pumps until both consumers applied the label's event; what was delivered. */
const deliverProbe = (label: string) =>
  deliverUntil(async () => (await effectsOf(label)).length >= PROBE_CONSUMERS.length, { app: eventApp })

beforeAll(async () => {
  await seedFileDatabase()
  await createProbeTables()
})

describe('an event emitted with a write', () => {
  it('through the API: published after the response, delivered to both of its consumers, applied by each', async () => {
    const label = unique('both')
    expect((await answer(write(label))).status).toBe(200)
    // The harness waits for the response's waitUntil work: the row was published and marked SENT there.
    const [row] = await outboxOf(label)
    expect(row).toMatchObject({ name: 'probe.recorded', status: 'SENT', attempts: 0, payload: { label } })
    const delivered = await deliverProbe(label)
    expect(delivered.map((d) => [d.path, d.status])).toEqual([
      [QSTASH_DELIVERY_PATH, 200],
      [QSTASH_DELIVERY_PATH, 200],
    ])
    expect(delivered.map(consumerOf).sort()).toEqual([...PROBE_CONSUMERS])
    expect(delivered.map((d) => answerOf(d.answer))).toEqual([
      { event_id: row?.eventId, state: 'APPLIED', ran: true },
      { event_id: row?.eventId, state: 'APPLIED', ran: true },
    ])
    expect(await effectsOf(label)).toEqual(PROBE_CONSUMERS.map((c) => [c, row?.eventId]))
    const records = await fileDb()
      .select({ consumer: eventConsumption.consumer })
      .from(eventConsumption)
      .where(eq(eventConsumption.eventId, row?.eventId ?? ''))
    expect(records.map((r) => r.consumer).sort()).toEqual([...PROBE_CONSUMERS])
  })

  it('in a direct db.batch (emitQuery): PENDING until a dispatch publishes one message per consumer', async () => {
    const label = unique('direct')
    const db = fileDb()
    await db.batch([db.insert(testProbe).values({ label }), emitQuery(db, probeRecorded, { label }, `probe:${label}`)])
    expect(await outboxOf(label)).toMatchObject([{ status: 'PENDING', sentTime: null }])
    expect(await dispatchOutbox(dispatchDeps())).toEqual({ sent: 1, messages: 2, deferred: 0 })
    expect(await outboxOf(label)).toMatchObject([{ status: 'SENT', sentTime: expect.any(Date) }])
    await deliverProbe(label)
    expect((await effectsOf(label)).map(([consumer]) => consumer)).toEqual([...PROBE_CONSUMERS])
  })

  it('does not exist when the write fails (a constraint violation rolls the whole batch back)', async () => {
    const label = unique('taken')
    expect((await answer(write(label))).status).toBe(200)
    // The same label again: the probe row's UNIQUE key fails the batch, the emitted row with it.
    const refused = await failure(write(label))
    expect(refused.status).toBe(409)
    expect(await outboxOf(label)).toHaveLength(1)
    await deliverProbe(label)

    // The event first in the batch, the failing insert after it: still nothing.
    const other = unique('rolled-back')
    const db = fileDb()
    await expect(
      db.batch([
        emitQuery(db, probeRecorded, { label: other }, `probe:${other}`),
        db.insert(testProbe).values({ label }),
      ]),
    ).rejects.toThrow()
    expect(await outboxOf(other)).toEqual([])
  })

  it('with a payload its schema refuses is a bug of the emitting code: emitQuery throws, nothing is written', () => {
    const db = fileDb()
    expect(() => emitQuery(db, probeRecorded, { label: '' })).toThrow()
  })
})

describe('a consumer', () => {
  it('that sees the same message twice applies it once (the second answer is DUPLICATE)', async () => {
    const label = unique('twice')
    await answer(write(label))
    const delivered = await deliverProbe(label)
    const [eventId] = (await outboxOf(label)).map((r) => r.eventId)
    for (const first of delivered) {
      // QStash delivers at least once: the same signed request a second time.
      const again = await eventHarness.send('POST', QSTASH_DELIVERY_PATH, {
        body: first.body,
        headers: {
          'Content-Type': 'application/json',
          'Upstash-Signature': first.headers.get('upstash-signature') ?? '',
          'Upstash-Retried': '1',
        },
      })
      expect(again.status).toBe(200)
      expect(await again.json()).toMatchObject({ data: { event_id: eventId, state: 'DUPLICATE', ran: false } })
    }
    expect(await effectsOf(label)).toHaveLength(2)
  })

  it('that gets the same message twice at once applies it once (the slower batch fails on the record)', async () => {
    const label = unique('race')
    // The consumers wait a second before applying: both deliveries are past the "already applied?" check by then.
    await answer(write(label, 'sink', 1_000))
    let copy: Promise<Response> | undefined
    const [first] = await deliverUntil((d) => d.length === 1, {
      app: eventApp,
      // QStash's request goes on into the app; a copy of it, signed the same, arrives beside it.
      rewrite: async (request) => {
        const body = await request.clone().text()
        copy = eventHarness.send('POST', QSTASH_DELIVERY_PATH, {
          body,
          headers: {
            'Content-Type': 'application/json',
            'Upstash-Signature': request.headers.get('upstash-signature') ?? '',
          },
        })
        return request
      },
    })
    if (!first || !copy) throw new Error('nothing was delivered')
    const second = await copy
    expect([first.status, second.status]).toEqual([200, 200])
    // Both ran the handler; one batch committed, the other failed on the record's unique key and wrote nothing.
    const answers = [answerOf(first.answer), answerOf(await second.text())]
    expect(answers.map((a) => a.state).sort()).toEqual(['APPLIED', 'DUPLICATE'])
    expect(answers.map((a) => a.ran)).toEqual([true, true])
    const consumer = consumerOf(first)
    expect((await effectsOf(label)).filter(([c]) => c === consumer)).toHaveLength(1)
    // The other consumer's message, delivered once.
    await deliverProbe(label)
    expect(await effectsOf(label)).toHaveLength(2)
  })
})

describe('a delivery that no consumer can use', () => {
  it('is acknowledged (200, nothing run): an unknown consumer, a consumer of another event, a payload that no longer fits', async () => {
    const logs = expectLogs(
      { msg: 'event delivery for an unknown consumer: acknowledged' },
      { msg: 'event payload does not fit its schema: acknowledged' },
    )
    const label = unique('unusable')
    const url = `${fileBindings.PUBLIC_URL}${QSTASH_DELIVERY_PATH}`
    const delivery = (consumer: string, name: string, payload: unknown) => ({
      kind: 'event',
      event_id: crypto.randomUUID(),
      name,
      consumer,
      payload,
      occurred_at: Date.now(),
    })
    const client = qstash()
    for (const body of [
      delivery('test.nobody', 'probe.recorded', { label }),
      delivery(PROBE_CONSUMERS[1], 'probe.flaky', { label }),
      delivery(PROBE_CONSUMERS[1], 'probe.recorded', { label: 7 }),
    ])
      await client.publishJSON({ url, body, retries: 0 })
    const delivered = await deliverUntil((d) => d.length === 3, { app: eventApp })
    expect(delivered.map((d) => d.status)).toEqual([200, 200, 200])
    expect(delivered.map((d) => answerOf(d.answer).state).sort()).toEqual(['INVALID', 'UNKNOWN', 'UNKNOWN'])
    expect(delivered.every((d) => !answerOf(d.answer).ran)).toBe(true)
    expect(await effectsOf(label)).toEqual([])
    expect(logs.entries).toHaveLength(3)
  })
})

describe('dispatching the outbox', () => {
  const DAY = 86_400_000
  const emitted = async (event: typeof probeRecorded | typeof probeUnheard, label: string) => {
    const db = fileDb()
    await db.batch([emitQuery(db, event, { label }, `probe:${label}`)])
    const [row] = await outboxOf(label)
    if (!row) throw new Error('no outbox row')
    return row
  }
  const setRow = (id: number, values: Partial<typeof eventOutbox.$inferInsert>) =>
    fileDb().update(eventOutbox).set(values).where(eq(eventOutbox.id, id))

  it('when QStash is unreachable puts the rows back to PENDING (attempts, last_error); the next dispatch sends them', async () => {
    // The dispatcher's warn line, and the QStash SDK's own line about the refused connection.
    expectLogs({ msg: 'outbox not published: will retry' }, /\[Upstash QStash\] POST .* failed/)
    const label = unique('deferred')
    await emitted(probeRecorded, label)
    const down = dispatchDeps({ QSTASH_URL: 'http://127.0.0.1:9' }, 'warn')
    expect(await dispatchOutbox(down)).toEqual({ sent: 0, messages: 0, deferred: 1 })
    expect(await outboxOf(label)).toMatchObject([{ status: 'PENDING', attempts: 1, lastError: expect.any(String) }])
    expect(await dispatchOutbox(dispatchDeps())).toEqual({ sent: 1, messages: 2, deferred: 0 })
    expect(await outboxOf(label)).toMatchObject([{ status: 'SENT', attempts: 1 }])
    await deliverProbe(label)
    expect(await effectsOf(label)).toHaveLength(2)
  })

  it("the cron sweep publishes rows left PENDING and a dead dispatcher's stale SENDING rows, and prunes old ones", async () => {
    const now = new Date()
    const pending = [unique('swept'), unique('swept')]
    for (const label of pending) await emitted(probeRecorded, label)
    // Taken by a dispatcher that died two minutes ago: taken again. One claimed 10 s ago is another's: left alone.
    const stale = unique('stale')
    await setRow((await emitted(probeRecorded, stale)).id, {
      status: 'SENDING',
      claimedTime: new Date(now.getTime() - 120_000),
    })
    const busy = await emitted(probeUnheard, unique('busy'))
    await setRow(busy.id, { status: 'SENDING', claimedTime: new Date(now.getTime() - 10_000) })
    // Sent 8 days ago (kept 7) and yesterday.
    const oldSent = await emitted(probeUnheard, unique('old-sent'))
    await setRow(oldSent.id, { status: 'SENT', sentTime: new Date(now.getTime() - 8 * DAY) })
    const recentSent = await emitted(probeUnheard, unique('recent-sent'))
    await setRow(recentSent.id, { status: 'SENT', sentTime: new Date(now.getTime() - DAY) })
    // Processed-message records: 31 days old (kept 30) and yesterday's.
    const [oldRecord, recentRecord] = [crypto.randomUUID(), crypto.randomUUID()]
    await fileDb()
      .insert(eventConsumption)
      .values([
        { consumer: 'test.old', eventId: oldRecord, processedTime: new Date(now.getTime() - 31 * DAY) },
        { consumer: 'test.old', eventId: recentRecord, processedTime: new Date(now.getTime() - DAY) },
      ])

    expect(await sweepOutbox(dispatchDeps(), now)).toEqual({ sent: 3, messages: 6, deferred: 0 })
    for (const label of [...pending, stale]) expect(await outboxOf(label)).toMatchObject([{ status: 'SENT' }])
    await deliverUntil(
      async () => (await Promise.all([...pending, stale].map(effectsOf))).every((e) => e.length === 2),
      { app: eventApp },
    )

    const left = await fileDb()
      .select({ id: eventOutbox.id, status: eventOutbox.status })
      .from(eventOutbox)
      .where(inArray(eventOutbox.id, [busy.id, oldSent.id, recentSent.id]))
    expect(left).toEqual([
      { id: busy.id, status: 'SENDING' },
      { id: recentSent.id, status: 'SENT' },
    ])
    const records = await fileDb()
      .select({ eventId: eventConsumption.eventId })
      .from(eventConsumption)
      .where(inArray(eventConsumption.eventId, [oldRecord, recentRecord]))
    expect(records).toEqual([{ eventId: recentRecord }])
    await fileDb().delete(eventOutbox).where(eq(eventOutbox.id, busy.id))
  })

  it('sweeps in rounds of 100 rows up to its bound; rows of an event without consumers are marked SENT unpublished', async () => {
    const labels = Array.from({ length: 150 }, () => unique('unheard'))
    const db = fileDb()
    const [firstRow, ...rest] = labels.map((label) => emitQuery(db, probeUnheard, { label }, `probe:${label}`))
    if (!firstRow) throw new Error('no rows')
    await db.batch([firstRow, ...rest])
    const statuses = async () =>
      Object.fromEntries(
        (
          await db
            .select({ status: eventOutbox.status, n: count() })
            .from(eventOutbox)
            .where(
              inArray(
                eventOutbox.aggregate,
                labels.map((l) => `probe:${l}`),
              ),
            )
            .groupBy(eventOutbox.status)
        ).map(({ status, n }) => [status, n]),
      )

    expect(await sweepOutbox(dispatchDeps(), new Date(), 100)).toEqual({ sent: 100, messages: 0, deferred: 0 })
    expect(await statuses()).toEqual({ SENT: 100, PENDING: 50 })
    expect(await sweepOutbox(dispatchDeps(), new Date())).toEqual({ sent: 50, messages: 0, deferred: 0 })
    expect(await statuses()).toEqual({ SENT: 150 })
    expect(await deliverAll({ app: eventApp, quietMs: 300 })).toEqual([])
  })
})
