/**
 * `GET /events/dlq` and `POST /events/dlq/{dlq_id}/retry` (Stratum extension, docs/events.md): a consumer that keeps
 * failing ends in QStash's DLQ after its retries, is listed there and, retried once it works again, applies the event
 * once. Listing, paging, filtering and errors use deliveries really dead-lettered by the QStash emulator — published to
 * an address where nothing listens, with no retries.
 */
import { describe, expect, it } from 'vitest'
import type { eventRoutes } from '../../../src/domains/events/routes.v1'
import { QSTASH_DELIVERY_PATH, QSTASH_FAILURE_PATH } from '../../../src/infra/qstash'
import { login, seedAndSignIn } from '../../helpers/auth'
import { deliverUntil } from '../../helpers/deliveries'
import { DATETIME, unique } from '../../helpers/fixtures'
import { answer, failure } from '../../helpers/harness'
import { fileRedis } from '../../helpers/isolation'
import { expectLogs } from '../../helpers/logs'
import { signedInWith } from '../../helpers/permissions'
import { eventually, qstash, UNREACHABLE, UNREACHABLE_URL } from '../tasks/direct-submit'
import {
  createProbeTables,
  effectsOf,
  eventApp,
  eventHarness,
  FLAKY_CONSUMER,
  failFlag,
  outboxOf,
  PROBE_CONSUMERS,
  type ProbeRoutes,
} from './helpers'

const tokens = seedAndSignIn(['admin'], { prepare: createProbeTables })

type Overrides = Record<string, unknown>
const dlq = (token = tokens.admin, overrides: Overrides = {}) =>
  eventHarness.api<typeof eventRoutes>(token, { overrides }).events.dlq
const list = (query: { size?: string; cursor?: string } = {}, token = tokens.admin, overrides: Overrides = {}) =>
  dlq(token, overrides).$get({ query })
const retry = (dlqId: string, token = tokens.admin, overrides: Overrides = {}) =>
  dlq(token, overrides)[':dlq_id'].retry.$post({ param: { dlq_id: dlqId } })

const inDlq = async (dlqId: string) => (await qstash().dlq.listMessages({ dlqIds: [dlqId] })).messages.length > 0

describe('a consumer that keeps failing', () => {
  it('ends in the DLQ after its retries, is listed there, and retried once it works applies the event once', async () => {
    const logs = expectLogs({ msg: 'event consumer failed' }, { msg: 'event consumer gave up: message in the DLQ' })
    const label = unique('flaky')
    await fileRedis().set(failFlag(label), '1')
    const written = await answer(
      eventHarness.api<ProbeRoutes>()['test-events'].probes.$post({ json: { label, emit: 'sink', event: 'flaky' } }),
    )
    expect(written.status).toBe(200)
    const [row] = await outboxOf(label)
    const delivered = await deliverUntil(
      () => logs.entries.some((e) => e.msg === 'event consumer gave up: message in the DLQ'),
      { app: eventApp },
    )
    // The first delivery and its one retry answered 500, then QStash's failure callback.
    expect(delivered.map((d) => [d.path, d.status])).toEqual([
      [QSTASH_DELIVERY_PATH, 500],
      [QSTASH_DELIVERY_PATH, 500],
      [QSTASH_FAILURE_PATH, 200],
    ])
    expect(await effectsOf(label)).toEqual([])

    const { data } = await answer(list({ size: '100' }))
    const entry = data.items.find((i) => i.event_id === row?.eventId)
    expect(entry).toEqual({
      dlq_id: expect.any(String),
      message_id: expect.any(String),
      event_id: row?.eventId,
      name: 'probe.flaky',
      consumer: FLAKY_CONSUMER,
      created_time: expect.stringMatching(DATETIME),
      response_status: 500,
      error: expect.stringContaining('The event consumer failed'),
    })
    const dlqId = entry?.dlq_id ?? ''

    await fileRedis().del(failFlag(label))
    const retried = await answer(retry(dlqId))
    expect(retried.status).toBe(200)
    expect(retried.data).toEqual({ event_id: row?.eventId, consumer: FLAKY_CONSUMER, message_id: expect.any(String) })
    expect(retried.data.message_id).not.toBe(entry?.message_id)
    expect(await inDlq(dlqId)).toBe(false)
    const again = await deliverUntil(async () => (await effectsOf(label)).length === 1, { app: eventApp })
    expect(again.map((d) => [d.path, d.status])).toEqual([[QSTASH_DELIVERY_PATH, 200]])
    expect(await effectsOf(label)).toEqual([[FLAKY_CONSUMER, row?.eventId]])

    const gone = await failure(retry(dlqId))
    expect(gone.status).toBe(404)
    expect(gone.body.msg).toBe('Dead-lettered event not found')
  })
})

/** Where nothing listens (this file's own address): a delivery published there lands in the DLQ at once. */
const DEAD_URL = `${UNREACHABLE_URL}${QSTASH_DELIVERY_PATH}`

/** The DLQ id QStash gave a message once it used up its (zero) retries. */
async function deadLettered(messageId: string, url = DEAD_URL): Promise<string> {
  return eventually(async () => {
    const { messages } = await qstash().dlq.listMessages({ filter: { url } })
    return messages.find((m) => m.messageId === messageId)?.dlqId
  }, `message ${messageId} in the DLQ`)
}

/** A consumer's delivery QStash could not deliver: its event id, message id and DLQ id. */
async function deadDelivery(consumer: string = PROBE_CONSUMERS[1], name = 'probe.recorded') {
  const eventId = crypto.randomUUID()
  const body = { kind: 'event', event_id: eventId, name, consumer, payload: { label: 'x' }, occurred_at: Date.now() }
  const { messageId } = await qstash().publishJSON({ url: DEAD_URL, body, retries: 0 })
  return { eventId, messageId, dlqId: await deadLettered(messageId) }
}

describe('GET /events/dlq', () => {
  const deadList = (query: { size?: string; cursor?: string } = {}, token = tokens.admin) =>
    list(query, token, UNREACHABLE)

  it("lists this app's dead event deliveries, newest first, decoded from the message body", async () => {
    const first = await deadDelivery()
    const second = await deadDelivery(PROBE_CONSUMERS[0])
    const { status, data } = await answer(deadList({ size: '100' }))
    expect(status).toBe(200)
    const mine = data.items.filter((i) => [first.dlqId, second.dlqId].includes(i.dlq_id))
    expect(mine.map((i) => i.dlq_id)).toEqual([second.dlqId, first.dlqId])
    expect(mine[1]).toEqual({
      dlq_id: first.dlqId,
      message_id: first.messageId,
      event_id: first.eventId,
      name: 'probe.recorded',
      consumer: PROBE_CONSUMERS[1],
      created_time: expect.stringMatching(DATETIME),
      // Nothing answered at that address.
      response_status: null,
      error: null,
    })
  })

  it('leaves out what is not an event delivery of this app: other URLs, tasks, foreign bodies', async () => {
    const client = qstash()
    const elsewhereUrl = `${UNREACHABLE_URL}/elsewhere`
    const elsewhere = await client.publishJSON({
      url: elsewhereUrl,
      body: { kind: 'event', event_id: 'e', name: 'probe.recorded', consumer: PROBE_CONSUMERS[1], occurred_at: 1 },
      retries: 0,
    })
    const task = await client.publishJSON({
      url: DEAD_URL,
      body: { kind: 'task', task_id: crypto.randomUUID(), name: 'task_demo' },
      retries: 0,
    })
    const foreign = await client.publishJSON({ url: DEAD_URL, body: { kind: 'event', name: 'x' }, retries: 0 })
    const ids = [
      await deadLettered(elsewhere.messageId, elsewhereUrl),
      await deadLettered(task.messageId),
      await deadLettered(foreign.messageId),
    ]
    const { data } = await answer(deadList({ size: '100' }))
    expect(data.items.map((i) => i.dlq_id).filter((id) => ids.includes(id))).toEqual([])
    // Nor can they be retried through the event API.
    for (const dlqId of ids) {
      const missing = await failure(retry(dlqId, tokens.admin, UNREACHABLE))
      expect(missing.status).toBe(404)
      expect(missing.body.msg).toBe('Dead-lettered event not found')
      expect(await inDlq(dlqId)).toBe(true)
    }
  })

  it("pages with QStash's cursor", async () => {
    await deadDelivery()
    await deadDelivery()
    const firstPage = await answer(deadList({ size: '1' }))
    expect(firstPage.data.items).toHaveLength(1)
    expect(firstPage.data.cursor).toEqual(expect.any(String))
    const secondPage = await answer(deadList({ size: '1', cursor: firstPage.data.cursor ?? '' }))
    expect(secondPage.data.items).toHaveLength(1)
    expect(secondPage.data.items[0]?.dlq_id).not.toBe(firstPage.data.items[0]?.dlq_id)
    for (const size of ['0', '101']) {
      const bad = await failure(deadList({ size }))
      expect(bad.status, size).toBe(422)
      expect(bad.errors[0]?.loc).toEqual(['query', 'size'])
    }
  })

  it('needs sys:event:view (403 for the test user and for a holder of sys:event:retry)', async () => {
    const test = await login('test')
    expect((await failure(deadList({}, test.accessToken))).status).toBe(403)
    expect((await deadList({}, await signedInWith(['sys:event:retry']))).status).toBe(403)
    expect((await deadList({}, await signedInWith(['sys:event:view']))).status).toBe(200)
    const anonymous = eventHarness.api<typeof eventRoutes>(undefined, { overrides: UNREACHABLE })
    expect((await anonymous.events.dlq.$get({ query: {} })).status).toBe(401)
  })

  it('is a 503 without PUBLIC_URL (no delivery route to look for)', async () => {
    expectLogs({ msg: 'request failed', status: 503 })
    const unavailable = await failure(list({}, tokens.admin, { PUBLIC_URL: undefined }))
    expect(unavailable.status).toBe(503)
    expect(unavailable.body.data).toMatchObject({ service: 'qstash', reason: 'PUBLIC_URL not set' })
  })
})

describe('POST /events/dlq/{dlq_id}/retry', () => {
  const deadRetry = (dlqId: string, token = tokens.admin) => retry(dlqId, token, UNREACHABLE)

  it('publishes the same delivery again (same event id and consumer) and drops the entry', async () => {
    const dead = await deadDelivery()
    const { status, data } = await answer(deadRetry(dead.dlqId))
    expect(status).toBe(200)
    expect(data).toEqual({ event_id: dead.eventId, consumer: PROBE_CONSUMERS[1], message_id: expect.any(String) })
    expect(await inDlq(dead.dlqId)).toBe(false)
    // The new message carries the same delivery (nothing listens there either: it dead-letters again, after its
    // consumer's retries).
    const published = await qstash().messages.get(data.message_id)
    expect(JSON.parse(published.body ?? '')).toMatchObject({ event_id: dead.eventId, consumer: PROBE_CONSUMERS[1] })
    expect(published.url).toBe(DEAD_URL)

    const gone = await failure(deadRetry(dead.dlqId))
    expect(gone.status).toBe(404)
    expect(gone.body.msg).toBe('Dead-lettered event not found')
  })

  it('422 when the consumer is no longer registered; the entry stays', async () => {
    const dead = await deadDelivery('test.removed')
    const invalid = await failure(deadRetry(dead.dlqId))
    expect(invalid.status).toBe(422)
    expect(invalid.errors).toEqual([
      { loc: ['consumer'], msg: 'Event consumer test.removed is not registered', type: 'unknown_consumer' },
    ])
    expect(await inDlq(dead.dlqId)).toBe(true)
  })

  it('404 for an unknown DLQ id', async () => {
    const missing = await failure(deadRetry('dlq_unknown'))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Dead-lettered event not found')
  })

  it('needs sys:event:retry (403 for the test user and for a holder of sys:event:view)', async () => {
    const dead = await deadDelivery()
    const test = await login('test')
    expect((await failure(deadRetry(dead.dlqId, test.accessToken))).status).toBe(403)
    expect((await deadRetry(dead.dlqId, await signedInWith(['sys:event:view']))).status).toBe(403)
    expect(await inDlq(dead.dlqId)).toBe(true)
    expect((await deadRetry(dead.dlqId, await signedInWith(['sys:event:retry']))).status).toBe(200)
    expect(await inDlq(dead.dlqId)).toBe(false)
  })
})
