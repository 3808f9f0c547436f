/**
 * QStash emulator, judged by the official `@upstash/qstash` client: publishing, delays, retries,
 * deduplication, callbacks, batch, queues, schedules, messages, DLQ, events — every delivery must pass
 * `Receiver.verify` — plus garbage input, restart persistence and unit tests of cron and retry-delay.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, Receiver } from '@upstash/qstash'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  cronMatches,
  evaluateRetryDelay,
  nextCronTime,
  parseCron,
  parseRetryDelay,
  type RunningQstashEmulator,
  retryDelayMs,
  signDelivery,
  startQstashEmulator,
} from '../../../tools/emulators/qstash/index'
import { expectLogs } from '../../helpers/logs'

const TOKEN = 'test-token-qstash'
const CURRENT_KEY = 'sig_testCurrentKey1234567890'
const NEXT_KEY = 'sig_testNextKey0987654321abc'
/** 1 QStash second = 1 real ms; a cron minute lasts 60 ms. */
const TIME_SCALE = 0.001

const receiver = new Receiver({ currentSigningKey: CURRENT_KEY, nextSigningKey: NEXT_KEY })

interface Delivery {
  path: string
  url: string
  method: string
  headers: IncomingMessage['headers']
  body: string
  at: number
  /** Result of `Receiver.verify` for this request: true, or the error message. */
  verified: true | string
}

interface Reply {
  status?: number
  headers?: Record<string, string>
  body?: string
  /** Hold the response this long (ms). */
  wait?: number
}

/** A local destination that records every request and answers per path with programmable replies. */
class Sink {
  readonly deliveries: Delivery[] = []
  private readonly replies = new Map<string, (delivery: Delivery, attempt: number) => Reply | Promise<Reply>>()
  private server: Server | undefined
  base = ''

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy())
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    const { port } = this.server.address() as AddressInfo
    this.base = `http://127.0.0.1:${port}`
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const url = `${this.base}${req.url ?? '/'}`
    let verified: true | string = true
    try {
      await receiver.verify({ signature: String(req.headers['upstash-signature'] ?? ''), body, url })
    } catch (err) {
      verified = err instanceof Error ? err.message : String(err)
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const delivery: Delivery = {
      path,
      url,
      method: req.method ?? '',
      headers: req.headers,
      body,
      at: Date.now(),
      verified,
    }
    this.deliveries.push(delivery)
    const attempt = this.to(path).length
    const reply = (await this.replies.get(path)?.(delivery, attempt)) ?? {}
    if (reply.wait) await sleep(reply.wait)
    res.writeHead(reply.status ?? 200, reply.headers ?? {})
    res.end(reply.body ?? 'ok')
  }

  /** Programs the replies of one path (attempt is 1-based). */
  on(path: string, reply: (delivery: Delivery, attempt: number) => Reply | Promise<Reply>): void {
    this.replies.set(path, reply)
  }

  to(path: string): Delivery[] {
    return this.deliveries.filter((d) => d.path === path)
  }

  url(path: string): string {
    return `${this.base}${path}`
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

async function waitForAsync<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

function expectVerified(deliveries: Delivery[]): void {
  for (const d of deliveries) expect(d.verified, `signature of delivery to ${d.path}`).toBe(true)
}

let emulator: RunningQstashEmulator
let client: Client
const sink = new Sink()

/** Raw request to the emulator (for what the SDK cannot express, and garbage). */
function api(path: string, init: RequestInit = {}, auth = true): Promise<Response> {
  const headers = new Headers(init.headers)
  if (auth && !headers.has('authorization')) headers.set('authorization', `Bearer ${TOKEN}`)
  return fetch(`${emulator.url}${path}`, { ...init, headers })
}

beforeAll(async () => {
  await sink.start()
  emulator = await startQstashEmulator({
    token: TOKEN,
    currentSigningKey: CURRENT_KEY,
    nextSigningKey: NEXT_KEY,
    timeScale: TIME_SCALE,
    tickMs: 20,
  })
  // retry: false so that expected API errors are not retried by the SDK.
  client = new Client({ baseUrl: emulator.url, token: TOKEN, retry: false })
})

afterAll(async () => {
  await emulator?.close()
  await sink.close()
})

// The SDK prints every answer that is not a 2xx; the 4xx answers here are provoked on purpose (a 5xx still prints).
beforeEach(() => {
  expectLogs(/^\[Upstash QStash\] [A-Z]+ \S+ failed with status 4\d\d$/)
})

describe('publish', () => {
  it('delivers a JSON message with signature, QStash headers and forwarded headers', async () => {
    const res = await client.publishJSON({
      url: sink.url('/publish/basic?x=1'),
      body: { hello: 'world' },
      headers: { 'X-Custom': 'abc' },
      method: 'PUT',
      label: 'greeting',
    })
    expect(res.messageId).toMatch(/^msg_/)
    expect(res.url).toBe(sink.url('/publish/basic?x=1'))
    const [d] = await waitFor(() => sink.to('/publish/basic').length > 0 && sink.to('/publish/basic'), 'delivery')
    expect(d?.method).toBe('PUT')
    expect(d?.url).toBe(sink.url('/publish/basic?x=1'))
    expect(JSON.parse(d?.body ?? '')).toEqual({ hello: 'world' })
    expect(d?.headers['content-type']).toBe('application/json')
    expect(d?.headers['x-custom']).toBe('abc')
    expect(d?.headers['user-agent']).toBe('Upstash-QStash')
    expect(d?.headers['upstash-message-id']).toBe(res.messageId)
    expect(d?.headers['upstash-retried']).toBe('0')
    expect(d?.headers.authorization).toBeUndefined()
    expectVerified(sink.to('/publish/basic'))
  })

  it('passes a raw (non-JSON) body through unchanged', async () => {
    await client.publish({
      url: sink.url('/publish/raw'),
      body: 'plain ✓ text',
      headers: { 'Content-Type': 'text/plain' },
    })
    const [d] = await waitFor(() => sink.to('/publish/raw').length > 0 && sink.to('/publish/raw'), 'delivery')
    expect(d?.body).toBe('plain ✓ text')
    expect(d?.headers['content-type']).toBe('text/plain')
    expectVerified(sink.to('/publish/raw'))
  })

  it('does not deliver before the delay and reports the message meanwhile', async () => {
    const started = Date.now()
    const { messageId } = await client.publishJSON({ url: sink.url('/publish/delay'), body: { n: 1 }, delay: 300 })
    const message = await client.messages.get(messageId)
    expect(message.messageId).toBe(messageId)
    expect(message.url).toBe(sink.url('/publish/delay'))
    expect(message.notBefore).toBeGreaterThanOrEqual(started + 280)
    await sleep(150)
    expect(sink.to('/publish/delay')).toHaveLength(0)
    const [d] = await waitFor(() => sink.to('/publish/delay').length > 0 && sink.to('/publish/delay'), 'delivery')
    expect((d?.at ?? 0) - started).toBeGreaterThanOrEqual(290)
    expectVerified(sink.to('/publish/delay'))
  })

  it('honours Upstash-Not-Before', async () => {
    const started = Date.now()
    await client.publishJSON({
      url: sink.url('/publish/not-before'),
      body: {},
      notBefore: Math.floor(started / 1000) + 400,
    })
    await sleep(100)
    expect(sink.to('/publish/not-before')).toHaveLength(0)
    await waitFor(() => sink.to('/publish/not-before').length > 0, 'delivery')
  })

  it('retries failed deliveries with backoff and then succeeds', async () => {
    sink.on('/publish/flaky', (_d, attempt) => ({ status: attempt < 3 ? 500 : 200 }))
    const { messageId } = await client.publishJSON({ url: sink.url('/publish/flaky'), body: {}, retries: 3 })
    const deliveries = await waitFor(
      () => sink.to('/publish/flaky').length >= 3 && sink.to('/publish/flaky'),
      '3 tries',
    )
    expect(deliveries.map((d) => d.headers['upstash-retried'])).toEqual(['0', '1', '2'])
    expect(new Set(deliveries.map((d) => d.headers['upstash-message-id']))).toEqual(new Set([messageId]))
    // Default backoff e^(2.5n) s × 0.001: ≥ 12 ms, then ≥ 148 ms.
    expect((deliveries[2]?.at ?? 0) - (deliveries[1]?.at ?? 0)).toBeGreaterThanOrEqual(140)
    expectVerified(deliveries)
    await sleep(100)
    expect(sink.to('/publish/flaky')).toHaveLength(3)
  })

  it('honours Upstash-Retry-Delay and a destination Retry-After', async () => {
    sink.on('/publish/retry-delay', (_d, attempt) => ({ status: attempt === 1 ? 500 : 200 }))
    await client.publishJSON({ url: sink.url('/publish/retry-delay'), body: {}, retryDelay: '200000 * (1 + retried)' })
    const a = await waitFor(
      () => sink.to('/publish/retry-delay').length >= 2 && sink.to('/publish/retry-delay'),
      'retry',
    )
    expect((a[1]?.at ?? 0) - (a[0]?.at ?? 0)).toBeGreaterThanOrEqual(190)

    sink.on('/publish/retry-after', (_d, attempt) =>
      attempt === 1 ? { status: 429, headers: { 'Retry-After': '250' } } : { status: 200 },
    )
    await client.publishJSON({ url: sink.url('/publish/retry-after'), body: {} })
    const b = await waitFor(
      () => sink.to('/publish/retry-after').length >= 2 && sink.to('/publish/retry-after'),
      'retry',
    )
    expect((b[1]?.at ?? 0) - (b[0]?.at ?? 0)).toBeGreaterThanOrEqual(240)
  })

  it('deduplicates by id and by content', async () => {
    const first = await client.publishJSON({ url: sink.url('/publish/dedup'), body: { a: 1 }, deduplicationId: 'd-1' })
    const second = await client.publishJSON({ url: sink.url('/publish/dedup'), body: { a: 2 }, deduplicationId: 'd-1' })
    expect(second.messageId).toBe(first.messageId)
    expect(second.deduplicated).toBe(true)
    const raw = await api(`/v2/publish/${sink.url('/publish/dedup')}`, {
      method: 'POST',
      headers: { 'Upstash-Deduplication-Id': 'd-1' },
      body: 'x',
    })
    expect(raw.status).toBe(202)

    const c1 = await client.publishJSON({
      url: sink.url('/publish/dedup-c'),
      body: { b: 1 },
      contentBasedDeduplication: true,
    })
    const c2 = await client.publishJSON({
      url: sink.url('/publish/dedup-c'),
      body: { b: 1 },
      contentBasedDeduplication: true,
    })
    const c3 = await client.publishJSON({
      url: sink.url('/publish/dedup-c'),
      body: { b: 2 },
      contentBasedDeduplication: true,
    })
    expect(c2.messageId).toBe(c1.messageId)
    expect(c3.messageId).not.toBe(c1.messageId)
    await waitFor(
      () => sink.to('/publish/dedup').length === 1 && sink.to('/publish/dedup-c').length === 2,
      'deliveries',
    )
    await sleep(100)
    expect(sink.to('/publish/dedup')).toHaveLength(1)
    expect(sink.to('/publish/dedup-c')).toHaveLength(2)
  })

  it('calls the callback with the response and the failure callback when retries are exhausted', async () => {
    sink.on('/cb/target', () => ({ status: 201, body: 'created!' }))
    const ok = await client.publishJSON({
      url: sink.url('/cb/target'),
      body: { job: 1 },
      callback: sink.url('/cb/callback'),
    })
    const [cb] = await waitFor(() => sink.to('/cb/callback').length > 0 && sink.to('/cb/callback'), 'callback')
    const payload = JSON.parse(cb?.body ?? '{}') as Record<string, unknown>
    expect(payload.status).toBe(201)
    expect(Buffer.from(String(payload.body), 'base64').toString()).toBe('created!')
    expect(payload.sourceMessageId).toBe(ok.messageId)
    expect(payload.url).toBe(sink.url('/cb/target'))
    expect(Buffer.from(String(payload.sourceBody), 'base64').toString()).toBe('{"job":1}')
    expect(payload.retried).toBe(0)
    expect(payload.maxRetries).toBe(3)

    sink.on('/cb/broken', () => ({ status: 500, body: 'boom' }))
    const bad = await client.publishJSON({
      url: sink.url('/cb/broken'),
      body: {},
      retries: 1,
      failureCallback: sink.url('/cb/failure'),
    })
    const [fc] = await waitFor(() => sink.to('/cb/failure').length > 0 && sink.to('/cb/failure'), 'failure callback')
    const failure = JSON.parse(fc?.body ?? '{}') as Record<string, unknown>
    expect(failure.status).toBe(500)
    expect(failure.sourceMessageId).toBe(bad.messageId)
    expect(failure.retried).toBe(1)
    expect(Buffer.from(String(failure.body), 'base64').toString()).toBe('boom')
    expect(sink.to('/cb/broken')).toHaveLength(2)
    expectVerified([...sink.to('/cb/callback'), ...sink.to('/cb/failure')])
  })

  it('publishes a batch', async () => {
    const res = await client.batchJSON([
      { url: sink.url('/batch/a'), body: { i: 'a' } },
      { url: sink.url('/batch/b'), body: { i: 'b' }, headers: { 'X-Which': 'b' } },
    ])
    expect(res).toHaveLength(2)
    await waitFor(() => sink.to('/batch/a').length === 1 && sink.to('/batch/b').length === 1, 'batch deliveries')
    expect(sink.to('/batch/b')[0]?.headers['x-which']).toBe('b')
    expect(JSON.parse(sink.to('/batch/a')[0]?.body ?? '')).toEqual({ i: 'a' })
    expectVerified([...sink.to('/batch/a'), ...sink.to('/batch/b')])
  })

  it('fans out to URL groups', async () => {
    await client.urlGroups.addEndpoints({
      name: 'group-1',
      endpoints: [{ name: 'one', url: sink.url('/group/one') }, { url: sink.url('/group/two') }],
    })
    expect((await client.urlGroups.get('group-1')).endpoints).toHaveLength(2)
    const res = await client.publishJSON({ urlGroup: 'group-1', body: { g: 1 } })
    expect(res).toHaveLength(2)
    await waitFor(() => sink.to('/group/one').length === 1 && sink.to('/group/two').length === 1, 'fan-out')
    expect(sink.to('/group/one')[0]?.headers['upstash-topic-name']).toBe('group-1')
    expectVerified([...sink.to('/group/one'), ...sink.to('/group/two')])
    await client.urlGroups.delete('group-1')
  })
})

describe('queues', () => {
  it('delivers FIFO with parallelism 1', async () => {
    let active = 0
    let maxActive = 0
    sink.on('/queue/order', async () => {
      active++
      maxActive = Math.max(maxActive, active)
      await sleep(15)
      active--
      return { status: 200 }
    })
    const queue = client.queue({ queueName: 'ordered' })
    await queue.upsert({ parallelism: 1 })
    for (let i = 0; i < 6; i++) await queue.enqueueJSON({ url: sink.url('/queue/order'), body: { i } })
    await waitFor(() => sink.to('/queue/order').length === 6, 'queue deliveries')
    expect(sink.to('/queue/order').map((d) => (JSON.parse(d.body) as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5])
    expect(maxActive).toBe(1)
    expectVerified(sink.to('/queue/order'))
  })

  it('runs up to `parallelism` messages at once', async () => {
    let active = 0
    let maxActive = 0
    sink.on('/queue/parallel', async () => {
      active++
      maxActive = Math.max(maxActive, active)
      await sleep(60)
      active--
      return {}
    })
    const queue = client.queue({ queueName: 'parallel' })
    await queue.upsert({ parallelism: 3 })
    for (let i = 0; i < 6; i++) await queue.enqueueJSON({ url: sink.url('/queue/parallel'), body: { i } })
    await waitFor(() => sink.to('/queue/parallel').length === 6, 'queue deliveries')
    expect(maxActive).toBe(3)
  })

  it('pauses, resumes, lists and deletes', async () => {
    const queue = client.queue({ queueName: 'pausable' })
    await queue.upsert({ parallelism: 2 })
    await queue.pause()
    await queue.enqueueJSON({ url: sink.url('/queue/paused'), body: {} })
    await sleep(120)
    expect(sink.to('/queue/paused')).toHaveLength(0)
    const info = await queue.get()
    expect(info).toMatchObject({ name: 'pausable', parallelism: 2, paused: true, lag: 1 })
    await queue.resume()
    await waitFor(() => sink.to('/queue/paused').length === 1, 'delivery after resume')
    expect((await queue.list()).map((q) => q.name)).toEqual(expect.arrayContaining(['ordered', 'pausable']))
    await queue.delete()
    await expect(queue.get()).rejects.toMatchObject({ status: 404 })
  })

  it('accepts queue entries in a batch', async () => {
    await client.batchJSON([
      { url: sink.url('/queue/batch'), body: { i: 0 }, queueName: 'batched' },
      { url: sink.url('/queue/batch'), body: { i: 1 }, queueName: 'batched' },
    ])
    await waitFor(() => sink.to('/queue/batch').length === 2, 'batched queue deliveries')
    expect(sink.to('/queue/batch').map((d) => (JSON.parse(d.body) as { i: number }).i)).toEqual([0, 1])
  })
})

describe('schedules', () => {
  it('fires a cron schedule (a cron minute lasts 60 ms at this time scale) and can pause/resume/delete', async () => {
    const { scheduleId } = await client.schedules.create({
      destination: sink.url('/schedule/tick'),
      cron: '* * * * *',
      body: JSON.stringify({ tick: true }),
      headers: { 'X-From': 'schedule' },
    })
    expect(scheduleId).toMatch(/^scd_/)
    const [d] = await waitFor(() => sink.to('/schedule/tick').length > 0 && sink.to('/schedule/tick'), 'schedule fire')
    expect(d?.headers['upstash-schedule-id']).toBe(scheduleId)
    expect(d?.headers['x-from']).toBe('schedule')
    expect(d?.body).toBe('{"tick":true}')
    expectVerified(sink.to('/schedule/tick'))

    const schedule = await client.schedules.get(scheduleId)
    expect(schedule).toMatchObject({ scheduleId, cron: '* * * * *', destination: sink.url('/schedule/tick') })
    expect(schedule.isPaused).toBe(false)
    expect(schedule.lastScheduleTime).toBeGreaterThan(0)
    expect(schedule.nextScheduleTime).toBeGreaterThan(schedule.lastScheduleTime ?? 0)

    await client.schedules.pause({ schedule: scheduleId })
    expect((await client.schedules.get(scheduleId)).isPaused).toBe(true)
    await sleep(100)
    const count = sink.to('/schedule/tick').length
    await sleep(200)
    expect(sink.to('/schedule/tick')).toHaveLength(count)
    await client.schedules.resume({ schedule: scheduleId })
    await waitFor(() => sink.to('/schedule/tick').length > count, 'fire after resume')
    expect((await client.schedules.list()).map((s) => s.scheduleId)).toContain(scheduleId)
    await client.schedules.delete(scheduleId)
    await expect(client.schedules.get(scheduleId)).rejects.toMatchObject({ status: 404 })
  })

  it('upserts by Upstash-Schedule-Id, accepts CRON_TZ and rejects bad cron', async () => {
    const a = await client.schedules.create({
      destination: sink.url('/schedule/tz'),
      cron: 'CRON_TZ=America/New_York 0 4 * * mon-fri',
      scheduleId: 'my-schedule.1',
    })
    expect(a.scheduleId).toBe('my-schedule.1')
    const b = await client.schedules.create({
      destination: sink.url('/schedule/tz'),
      cron: 'CRON_TZ=Europe/Berlin */15 9-17 * * 1-5',
      scheduleId: 'my-schedule.1',
      retries: 1,
    })
    expect(b.scheduleId).toBe('my-schedule.1')
    const got = await client.schedules.get('my-schedule.1')
    expect(got.cron).toBe('CRON_TZ=Europe/Berlin */15 9-17 * * 1-5')
    expect(got.retries).toBe(1)
    await client.schedules.delete('my-schedule.1')
    await expect(client.schedules.create({ destination: sink.url('/x'), cron: '61 * * * *' })).rejects.toMatchObject({
      status: 400,
    })
    await expect(
      client.schedules.create({ destination: sink.url('/x'), cron: 'CRON_TZ=Mars/Olympus * * * * *' }),
    ).rejects.toMatchObject({ status: 400 })
  })
})

describe('messages', () => {
  it('gets and cancels a message before delivery', async () => {
    const { messageId } = await client.publishJSON({
      url: sink.url('/messages/cancel'),
      body: { x: 1 },
      delay: 3000,
      retries: 2,
      label: ['a', 'b'],
    })
    const message = await client.messages.get(messageId)
    expect(message).toMatchObject({ messageId, method: 'POST', body: '{"x":1}', maxRetries: 2, labels: ['a', 'b'] })
    expect(message.header?.['Content-Type']).toEqual(['application/json'])
    expect(await client.messages.cancel(messageId)).toEqual({ cancelled: 1 })
    await expect(client.messages.get(messageId)).rejects.toMatchObject({ status: 404 })
    await expect(client.messages.cancel(messageId)).rejects.toMatchObject({ status: 404 })
  })

  it('bulk-cancels by ids and by filter', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(
        async (i) =>
          (await client.publishJSON({ url: sink.url('/messages/bulk'), body: { i }, delay: 3000 })).messageId,
      ),
    )
    expect(await client.messages.cancel(ids.slice(0, 2))).toEqual({ cancelled: 2 })
    await client.publishJSON({ url: sink.url('/messages/bulk'), body: {}, delay: 3000, label: 'bulk-label' })
    expect(await client.messages.cancel({ filter: { label: 'bulk-label' } })).toEqual({ cancelled: 1 })
    expect(await client.messages.cancel({ filter: { url: sink.url('/messages/bulk') } })).toEqual({ cancelled: 1 })
    await sleep(50)
    expect(sink.to('/messages/bulk')).toHaveLength(0)
  })
})

describe('DLQ', () => {
  it('moves exhausted messages to the DLQ, lists, gets, retries and deletes them', async () => {
    let healthy = false
    sink.on('/dlq/target', () => ({ status: healthy ? 200 : 503, body: 'unavailable' }))
    const { messageId } = await client.publishJSON({ url: sink.url('/dlq/target'), body: { d: 1 }, retries: 1 })
    const dlqId = await waitForAsync(async () => {
      const { messages } = await client.dlq.listMessages({ filter: { url: sink.url('/dlq/target') } })
      return messages.find((m) => m.messageId === messageId)?.dlqId
    }, 'DLQ entry')
    expect(sink.to('/dlq/target')).toHaveLength(2)

    const one = (await (await api(`/v2/dlq/${dlqId}`)).json()) as Record<string, unknown>
    expect(one).toMatchObject({ dlqId, messageId, responseStatus: 503, responseBody: 'unavailable', maxRetries: 1 })
    const byStatus = await client.dlq.listMessages({ filter: { responseStatus: 503, url: sink.url('/dlq/target') } })
    expect(byStatus.messages.map((m) => m.dlqId)).toContain(dlqId)

    healthy = true
    const retried = await client.dlq.retry(dlqId)
    expect(retried.responses).toHaveLength(1)
    const newId = retried.responses[0]?.messageId
    await waitFor(() => sink.to('/dlq/target').some((d) => d.headers['upstash-message-id'] === newId), 'redelivery')
    const after = await client.dlq.listMessages({ filter: { url: sink.url('/dlq/target') } })
    expect(after.messages).toHaveLength(0)
    expectVerified(sink.to('/dlq/target'))

    await expect(client.dlq.delete('dlq_missing')).rejects.toMatchObject({ status: 404 })
  })

  it('paginates with a cursor and bulk-deletes', async () => {
    sink.on('/dlq/many', () => ({ status: 500 }))
    for (let i = 0; i < 3; i++) await client.publishJSON({ url: sink.url('/dlq/many'), body: { i }, retries: 0 })
    const list = () => client.dlq.listMessages({ filter: { url: sink.url('/dlq/many') } })
    await waitForAsync(async () => (await list()).messages.length === 3, '3 DLQ entries')
    const page1 = await client.dlq.listMessages({ filter: { url: sink.url('/dlq/many') }, count: 2 })
    expect(page1.messages).toHaveLength(2)
    expect(page1.cursor).toBeDefined()
    const page2 = await client.dlq.listMessages({
      filter: { url: sink.url('/dlq/many') },
      count: 2,
      cursor: page1.cursor,
    })
    expect(page2.messages).toHaveLength(1)
    expect(page2.cursor).toBeUndefined()
    const single = page2.messages[0]?.dlqId ?? ''
    await client.dlq.delete(single)
    expect(await client.dlq.delete({ filter: { url: sink.url('/dlq/many') } })).toMatchObject({ deleted: 2 })
    expect((await list()).messages).toHaveLength(0)
  })
})

describe('destructive endpoints: unknown or garbage parameters are a 400 and delete nothing', () => {
  /** A filter with a misspelt key, as a typo in application code would pass it through the SDK. */
  const typo = (url: string) => {
    const filter = { url, urll: url }
    return filter
  }

  it('bulk DLQ delete and retry', async () => {
    sink.on('/destructive/dlq', () => ({ status: 500 }))
    for (let i = 0; i < 2; i++) await client.publishJSON({ url: sink.url('/destructive/dlq'), body: { i }, retries: 0 })
    const mine = async () =>
      (await client.dlq.listMessages({ filter: { url: sink.url('/destructive/dlq') } })).messages.map((m) => m.dlqId)
    await waitForAsync(async () => (await mine()).length === 2, '2 DLQ entries')
    const before = await mine()

    await expect(client.dlq.delete({ filter: typo(sink.url('/destructive/dlq')) })).rejects.toMatchObject({
      status: 400,
    })
    await expect(client.dlq.retry({ filter: typo(sink.url('/destructive/dlq')) })).rejects.toMatchObject({
      status: 400,
    })
    await expect(client.dlq.delete({ filter: { fromDate: Number.NaN } })).rejects.toMatchObject({ status: 400 })
    await expect(client.dlq.delete({ all: true, count: -1 })).rejects.toMatchObject({ status: 400 })
    const garbage = [
      'bogus=x',
      'url=',
      'dlqIds=',
      'dlqIds=,',
      'fromDate=yesterday',
      'toDate=1e3',
      'responseStatus=5xx',
      'count=abc',
      'count=',
      'cursor=abc',
      'all=true',
      'topicName=t&extra=1',
    ]
    for (const query of garbage) {
      for (const [method, path] of [
        ['DELETE', '/v2/dlq'],
        ['POST', '/v2/dlq/retry'],
      ] as const) {
        const res = await api(`${path}?${query}`, { method })
        expect(res.status, `${method} ${path}?${query}`).toBe(400)
        expect(typeof ((await res.json()) as { error?: unknown }).error).toBe('string')
      }
    }
    expect(await mine()).toEqual(before)
    // A well-formed request still works.
    expect(await client.dlq.delete({ filter: { url: sink.url('/destructive/dlq') } })).toMatchObject({ deleted: 2 })
  })

  it('bulk message cancel', async () => {
    const { messageId } = await client.publishJSON({
      url: sink.url('/destructive/messages'),
      body: {},
      delay: 60_000,
      label: 'destructive',
    })
    await expect(client.messages.cancel({ filter: typo(sink.url('/destructive/messages')) })).rejects.toMatchObject({
      status: 400,
    })
    await expect(client.messages.cancel({ filter: { toDate: new Date(Number.NaN) } })).rejects.toMatchObject({
      status: 400,
    })
    for (const query of [
      'bogus=x',
      'label=',
      'messageIds=',
      'fromDate=today',
      'count=-1',
      'count=many',
      'cursor=1',
      'all=true',
      'label=destructive&labels=x',
    ]) {
      const res = await api(`/v2/messages?${query}`, { method: 'DELETE' })
      expect(res.status, `DELETE /v2/messages?${query}`).toBe(400)
    }
    expect(await client.messages.get(messageId)).toMatchObject({ messageId })
    expect(await client.messages.cancel({ filter: { label: 'destructive' } })).toEqual({ cancelled: 1 })
  })

  it('single deletes (message, DLQ entry, queue, schedule, URL group, endpoints) and single DLQ retry', async () => {
    sink.on('/destructive/one', () => ({ status: 500 }))
    const { messageId } = await client.publishJSON({ url: sink.url('/destructive/pending'), body: {}, delay: 60_000 })
    await client.publishJSON({ url: sink.url('/destructive/one'), body: {}, retries: 0 })
    const dlqId = await waitForAsync(
      async () => (await client.dlq.listMessages({ filter: { url: sink.url('/destructive/one') } })).messages[0]?.dlqId,
      'DLQ entry',
    )
    await client.queue({ queueName: 'destructive' }).upsert({ parallelism: 1 })
    const { scheduleId } = await client.schedules.create({
      destination: sink.url('/destructive/schedule'),
      cron: '0 0 1 1 *',
    })
    await client.urlGroups.addEndpoints({ name: 'destructive', endpoints: [{ url: sink.url('/destructive/group') }] })
    const targets: [string, string][] = [
      ['DELETE', `/v2/messages/${messageId}`],
      ['DELETE', `/v2/dlq/${dlqId}`],
      ['POST', `/v2/dlq/retry/${dlqId}`],
      ['DELETE', '/v2/queues/destructive'],
      ['DELETE', `/v2/schedules/${scheduleId}`],
      ['DELETE', '/v2/topics/destructive'],
      ['DELETE', '/v2/topics/destructive/endpoints'],
    ]
    for (const [method, path] of targets) {
      for (const query of ['force=true', 'x=', 'id=other']) {
        const res = await api(`${path}?${query}`, {
          method,
          ...(path.endsWith('/endpoints')
            ? { body: JSON.stringify({ endpoints: [{ url: sink.url('/destructive/group') }] }) }
            : {}),
        })
        expect(res.status, `${method} ${path}?${query}`).toBe(400)
      }
    }
    expect(await client.messages.get(messageId)).toMatchObject({ messageId })
    expect((await (await api(`/v2/dlq/${dlqId}`)).json()) as Record<string, unknown>).toMatchObject({ dlqId })
    expect(await client.queue({ queueName: 'destructive' }).get()).toMatchObject({ name: 'destructive' })
    expect(await client.schedules.get(scheduleId)).toMatchObject({ scheduleId })
    expect((await client.urlGroups.get('destructive')).endpoints).toHaveLength(1)
    // The token may still come in the query string.
    const ok = await fetch(`${emulator.url}/v2/messages/${messageId}?qstash_token=${TOKEN}`, { method: 'DELETE' })
    expect(ok.status).toBe(200)
    await client.dlq.delete(dlqId)
    await client.queue({ queueName: 'destructive' }).delete()
    await client.schedules.delete(scheduleId)
    await client.urlGroups.delete('destructive')
  })

  it('garbage bodies of bulk cancel and endpoint removal, and parameters on key rotation', async () => {
    const { messageId } = await client.publishJSON({ url: sink.url('/destructive/body'), body: {}, delay: 60_000 })
    for (const body of ['not json', '[]', '{}', '{"messageIds": "all"}', '{"messageIds": []}', '{"ids": ["x"]}']) {
      const res = await api('/v2/messages', { method: 'DELETE', body })
      expect(res.status, `DELETE /v2/messages with ${body}`).toBe(400)
    }
    expect(await client.messages.get(messageId)).toMatchObject({ messageId })
    await client.urlGroups.addEndpoints({ name: 'garbage-body', endpoints: [{ url: sink.url('/destructive/g') }] })
    for (const body of ['not json', '{}', '{"endpoints": "all"}', '{"endpoints": [1]}', '{"endpoints": [{}]}']) {
      const res = await api('/v2/topics/garbage-body/endpoints', { method: 'DELETE', body })
      expect(res.status, `DELETE endpoints with ${body}`).toBe(400)
    }
    expect((await client.urlGroups.get('garbage-body')).endpoints).toHaveLength(1)
    const keys = await (await api('/v2/keys')).json()
    expect((await api('/v2/keys/rotate?force=true', { method: 'POST' })).status).toBe(400)
    expect(await (await api('/v2/keys')).json()).toEqual(keys)
    await client.messages.cancel(messageId)
    await client.urlGroups.delete('garbage-body')
  })

  it('bulk message cancel honours count (default 100), oldest first', async () => {
    const label = 'count-limited'
    const batch = Array.from({ length: 103 }, (_, i) => ({
      url: sink.url('/destructive/count'),
      body: { i },
      delay: 60_000,
      label,
    }))
    const published = await client.batchJSON(batch)
    expect(published).toHaveLength(103)
    expect(await client.messages.cancel({ filter: { label }, count: 2 })).toEqual({ cancelled: 2 })
    const first = published[0]
    const third = published[2]
    if (!first || !third || !('messageId' in first) || !('messageId' in third)) throw new Error('batch failed')
    await expect(client.messages.get(first.messageId)).rejects.toMatchObject({ status: 404 })
    expect(await client.messages.get(third.messageId)).toMatchObject({ messageId: third.messageId })
    // The SDK sends count=100 unless told otherwise; the raw endpoint defaults to 100 too.
    expect(await client.messages.cancel({ filter: { label } })).toEqual({ cancelled: 100 })
    const raw = await api(`/v2/messages?label=${label}`, { method: 'DELETE' })
    expect(await raw.json()).toEqual({ cancelled: 1 })
    expect(await client.messages.cancel({ filter: { label } })).toEqual({ cancelled: 0 })
  })
})

describe('Upstash-Redact-Fields', () => {
  const sha = (value: string) => `REDACTED:${createHash('sha256').update(value).digest('hex')}`

  it('shows redacted headers and bodies in messages, the DLQ and the event log, and delivers the originals', async () => {
    sink.on('/redact/dlq', () => ({ status: 500 }))
    const secret = JSON.stringify({ password: 'hunter2' })
    const pending = await client.publish({
      url: sink.url('/redact/pending'),
      body: secret,
      headers: { Authorization: 'Bearer top-secret', 'X-Visible': 'yes' },
      delay: 60_000,
      redact: { body: true, header: ['Authorization'] },
    })
    const message = await client.messages.get(pending.messageId)
    expect(message.body).toBe(sha(secret))
    expect(message.header?.Authorization).toEqual([sha('Bearer top-secret')])
    expect(message.header?.['X-Visible']).toEqual(['yes'])
    const logs = await client.logs({ filter: { messageId: pending.messageId } })
    expect(logs.logs.length).toBeGreaterThan(0)
    expect(JSON.stringify(logs)).not.toMatch(/top-secret|hunter2/)
    expect(JSON.stringify(logs)).toContain(sha('Bearer top-secret'))
    await client.messages.cancel(pending.messageId)

    const failing = await client.publish({
      url: sink.url('/redact/dlq'),
      body: secret,
      headers: { Authorization: 'Bearer top-secret', 'X-Also-Hidden': 'x' },
      retries: 0,
      redact: { header: true },
    })
    const entry = await waitForAsync(
      async () =>
        (await client.dlq.listMessages({ filter: { url: sink.url('/redact/dlq') } })).messages.find(
          (m) => m.messageId === failing.messageId,
        ),
      'DLQ entry',
    )
    expect(entry.header?.Authorization).toEqual([sha('Bearer top-secret')])
    expect(entry.header?.['X-Also-Hidden']).toEqual([sha('x')])
    expect(entry.body).toBe(secret)
    const events = await client.logs({ filter: { messageId: failing.messageId } })
    expect(JSON.stringify(events)).not.toContain('top-secret')
    // The destination received the original values.
    const [delivery] = sink.to('/redact/dlq')
    expect(delivery?.headers.authorization).toBe('Bearer top-secret')
    expect(delivery?.body).toBe(secret)
    expectVerified(sink.to('/redact/dlq'))
    await client.dlq.delete(entry.dlqId)
  })

  it('rejects unknown redact fields', async () => {
    const res = await api(`/v2/publish/${sink.url('/redact/bad')}`, {
      method: 'POST',
      headers: { 'Upstash-Redact-Fields': 'body,password' },
      body: 'x',
    })
    expect(res.status).toBe(400)
  })
})

describe('events', () => {
  it('lists the state log of a message, newest first, with a cursor', async () => {
    const { messageId } = await client.publishJSON({ url: sink.url('/events/one'), body: { e: 1 } })
    await waitFor(() => sink.to('/events/one').length === 1, 'delivery')
    await sleep(30)
    const { logs } = await client.logs({ filter: { messageId } })
    expect(logs.map((l) => l.state)).toEqual(['DELIVERED', 'ACTIVE', 'CREATED'])
    expect(logs[0]).toMatchObject({ messageId, url: sink.url('/events/one') })
    const delivered = await client.logs({ filter: { state: 'DELIVERED', url: sink.url('/events/one') } })
    expect(delivered.logs).toHaveLength(1)
    const page = await client.logs({ filter: { messageId }, count: 2 })
    expect(page.logs).toHaveLength(2)
    expect(page.cursor).toBeDefined()
    const rest = await client.logs({ filter: { messageId }, count: 2, cursor: page.cursor })
    expect(rest.logs.map((l) => l.state)).toEqual(['CREATED'])

    const raw = (await (await api(`/v2/logs?messageId=${messageId}`)).json()) as { events: unknown[] }
    expect(raw.events).toHaveLength(3)
  })

  it('records RETRY, ERROR, FAILED, CANCEL_REQUESTED and CANCELLED', async () => {
    sink.on('/events/fail', () => ({ status: 500 }))
    const failed = await client.publishJSON({ url: sink.url('/events/fail'), body: {}, retries: 1 })
    const cancelled = await client.publishJSON({ url: sink.url('/events/cancel'), body: {}, delay: 3000 })
    await client.messages.cancel(cancelled.messageId)
    await waitFor(() => sink.to('/events/fail').length === 2, 'two attempts')
    await sleep(50)
    const f = (await client.logs({ filter: { messageId: failed.messageId } })).logs.map((l) => l.state)
    expect(f).toEqual(['FAILED', 'ERROR', 'ACTIVE', 'RETRY', 'ERROR', 'ACTIVE', 'CREATED'])
    const c = (await client.logs({ filter: { messageId: cancelled.messageId } })).logs.map((l) => String(l.state))
    expect(c).toEqual(['CANCELLED', 'CANCEL_REQUESTED', 'CREATED'])
  })
})

describe('signatures', () => {
  it('exposes keys and rejects tampered bodies, wrong URLs, expired and foreign signatures', async () => {
    expect(await (await api('/v2/keys')).json()).toEqual({ current: CURRENT_KEY, next: NEXT_KEY })
    await client.publish({ url: sink.url('/sig/check'), body: 'original body' })
    const [d] = await waitFor(() => sink.to('/sig/check').length > 0 && sink.to('/sig/check'), 'delivery')
    const signature = String(d?.headers['upstash-signature'])
    const url = sink.url('/sig/check')
    await expect(receiver.verify({ signature, body: 'original body', url })).resolves.toBe(true)
    await expect(receiver.verify({ signature, body: 'tampered body', url })).rejects.toThrow(/body hash/)
    await expect(receiver.verify({ signature, body: 'original body', url: sink.url('/sig/other') })).rejects.toThrow(
      /subject/,
    )
    // Rotated receivers still accept it through the next key.
    const rotated = new Receiver({ currentSigningKey: 'sig_other', nextSigningKey: CURRENT_KEY })
    await expect(rotated.verify({ signature, body: 'original body', url })).resolves.toBe(true)
    const stranger = new Receiver({ currentSigningKey: 'sig_a', nextSigningKey: 'sig_b' })
    await expect(stranger.verify({ signature, body: 'original body', url })).rejects.toThrow()

    const body = new TextEncoder().encode('original body')
    const expired = await signDelivery({ signingKey: CURRENT_KEY, url, body, now: Date.now() - 10 * 60_000 })
    await expect(receiver.verify({ signature: expired, body: 'original body', url })).rejects.toThrow()
    // …and it is the expiry that fails it: with enough clock tolerance the same token verifies.
    await expect(
      receiver.verify({ signature: expired, body: 'original body', url, clockTolerance: 20 * 60 }),
    ).resolves.toBe(true)
  })
})

describe('garbage', () => {
  it('answers 401/400/404 with JSON errors and keeps running', async () => {
    const cases: Array<[string, RequestInit, number, boolean?]> = [
      ['/v2/keys', {}, 401, false],
      ['/v2/keys', { headers: { authorization: 'Bearer wrong' } }, 401],
      ['/v2/publish/not%20a%20url', { method: 'POST', body: 'x' }, 400],
      ['/v2/publish/ftp://example.com/x', { method: 'POST', body: 'x' }, 400],
      ['/v2/publish/', { method: 'POST', body: 'x' }, 400],
      ['/v2/publish/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Delay': 'soon' } }, 400],
      ['/v2/publish/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Retries': '-1' } }, 400],
      ['/v2/publish/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Method': 'BREW' } }, 400],
      ['/v2/publish/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Retry-Delay': 'eval(1)' } }, 400],
      [
        '/v2/publish/http://127.0.0.1:1/x',
        { method: 'POST', headers: { 'Upstash-Retry-Delay': '('.repeat(500) } },
        400,
      ],
      ['/v2/publish/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Callback': 'nope' } }, 400],
      ['/v2/publish/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Not-Before': 'tomorrow' } }, 400],
      ['/v2/publish/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Timeout': '0s' } }, 400],
      ['/v2/enqueue/bad%20queue/http://127.0.0.1:1/x', { method: 'POST' }, 400],
      ['/v2/batch', { method: 'POST', body: '{not json' }, 400],
      ['/v2/batch', { method: 'POST', body: '{"destination":"x"}' }, 400],
      ['/v2/batch', { method: 'POST', body: '[{"destination":5}]' }, 400],
      ['/v2/batch', { method: 'POST', body: '[{"destination":"http://127.0.0.1:1/x","headers":[1]}]' }, 400],
      [
        '/v2/batch',
        { method: 'POST', body: '[{"destination":"http://127.0.0.1:1/ok"},{"destination":"bad url"}]' },
        400,
      ],
      ['/v2/queues', { method: 'POST', body: '[]' }, 400],
      ['/v2/queues', { method: 'POST', body: '{"queueName":"q","parallelism":"many"}' }, 400],
      ['/v2/queues', { method: 'POST', body: '{"queueName":"../etc"}' }, 400],
      ['/v2/queues/none', {}, 404],
      ['/v2/schedules/http://127.0.0.1:1/x', { method: 'POST' }, 400],
      ['/v2/schedules/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Cron': '* * *' } }, 400],
      ['/v2/schedules/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Cron': '*/0 * * * *' } }, 400],
      ['/v2/schedules/http://127.0.0.1:1/x', { method: 'POST', headers: { 'Upstash-Cron': '0 0 30 2 *' } }, 400],
      [
        '/v2/schedules/http://127.0.0.1:1/x',
        { method: 'POST', headers: { 'Upstash-Cron': '* * * * *', 'Upstash-Schedule-Id': 'a/b c' } },
        400,
      ],
      ['/v2/schedules/nope', {}, 404],
      ['/v2/messages/%E0%A4%A', {}, 400],
      ['/v2/messages/msg_nope', {}, 404],
      ['/v2/dlq/nope', { method: 'DELETE' }, 404],
      ['/v2/dlq/retry/nope', { method: 'POST' }, 404],
      ['/v2/dlq?cursor=abc', {}, 400],
      ['/v2/events?count=-5', {}, 400],
      ['/v2/topics/g/endpoints', { method: 'POST', body: '{"endpoints":[{"url":"javascript:1"}]}' }, 400],
      ['/v2/unknown', {}, 404],
      ['/nothing', { method: 'PUT' }, 404],
    ]
    for (const [path, init, status, auth = true] of cases) {
      const res = await api(path, init, auth)
      expect(res.status, `${init.method ?? 'GET'} ${path}`).toBe(status)
      const body = (await res.json()) as { error?: unknown }
      expect(typeof body.error, `${path} error body`).toBe('string')
    }
    // Token in the query string works, and is not mistaken for part of a publish destination.
    const ok = await fetch(`${emulator.url}/v2/keys?qstash_token=${TOKEN}`)
    expect(ok.status).toBe(200)
    const published = await fetch(
      `${emulator.url}/v2/publish/${sink.url('/garbage/query')}?a=1&qstash_token=${TOKEN}`,
      {
        method: 'POST',
        body: 'q',
      },
    )
    expect(((await published.json()) as { url: string }).url).toBe(sink.url('/garbage/query?a=1'))
    await waitFor(() => sink.to('/garbage/query').length === 1, 'delivery')
    expect(sink.to('/garbage/query')[0]?.url).toBe(sink.url('/garbage/query?a=1'))
    expectVerified(sink.to('/garbage/query'))
    // The batch that failed half-way inserted nothing.
    await sleep(50)
    expect(sink.to('/ok')).toHaveLength(0)
  })
})

describe('persistence', () => {
  it('delivers messages accepted before a restart exactly once, and retries interrupted deliveries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qstash-emu-'))
    const dbPath = join(dir, 'qstash.db')
    const options = {
      token: TOKEN,
      currentSigningKey: CURRENT_KEY,
      nextSigningKey: NEXT_KEY,
      dbPath,
      timeScale: TIME_SCALE,
      tickMs: 20,
    }
    try {
      const first = await startQstashEmulator(options)
      const c1 = new Client({ baseUrl: first.url, token: TOKEN, retry: false })
      const ids: string[] = []
      for (let i = 0; i < 5; i++) {
        ids.push((await c1.publishJSON({ url: sink.url('/restart/delayed'), body: { i }, delay: 400 })).messageId)
      }
      // A delivery in flight at shutdown: the destination holds the first attempt until the emulator stops.
      let release: () => void = () => undefined
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      sink.on('/restart/inflight', async (_d, attempt) => {
        if (attempt === 1) await held
        return {}
      })
      const inflight = await c1.publishJSON({ url: sink.url('/restart/inflight'), body: { f: 1 } })
      await waitFor(() => sink.to('/restart/inflight').length === 1, 'in-flight attempt')
      await first.close()
      release()
      expect(sink.to('/restart/delayed')).toHaveLength(0)

      const second = await startQstashEmulator(options)
      try {
        expect(second.port).not.toBe(first.port)
        await waitFor(() => sink.to('/restart/delayed').length === 5, 'delayed deliveries after restart')
        await waitFor(() => sink.to('/restart/inflight').length === 2, 'interrupted delivery retried')
        await sleep(150)
        const delivered = sink.to('/restart/delayed').map((d) => String(d.headers['upstash-message-id']))
        expect(delivered.sort()).toEqual([...ids].sort())
        expect(sink.to('/restart/inflight').map((d) => d.headers['upstash-message-id'])).toEqual([
          inflight.messageId,
          inflight.messageId,
        ])
        expectVerified([...sink.to('/restart/delayed'), ...sink.to('/restart/inflight')])
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('cron matcher', () => {
  const at = (iso: string) => Date.parse(iso)

  it('parses lists, ranges, steps, names and macros', () => {
    const c = parseCron('0,30 9-17/2 * JAN-mar MON-fri')
    expect(c.minutes.flatMap((v, i) => (v ? [i] : []))).toEqual([0, 30])
    expect(c.hours.flatMap((v, i) => (v ? [i] : []))).toEqual([9, 11, 13, 15, 17])
    expect(c.months.flatMap((v, i) => (v ? [i] : []))).toEqual([1, 2, 3])
    expect(c.daysOfWeek.flatMap((v, i) => (v ? [i] : []))).toEqual([1, 2, 3, 4, 5])
    expect(parseCron('*/20 * * * *').minutes.flatMap((v, i) => (v ? [i] : []))).toEqual([0, 20, 40])
    expect(parseCron('5/20 * * * *').minutes.flatMap((v, i) => (v ? [i] : []))).toEqual([5, 25, 45])
    expect(parseCron('0 0 * * 7').daysOfWeek[0]).toBe(true)
    expect(parseCron('@hourly').minutes[0]).toBe(true)
    for (const bad of [
      '',
      '* * * *',
      '60 * * * *',
      '* 24 * * *',
      '* * 0 * *',
      '* * * 13 *',
      '* * * * 8',
      '5-1 * * * *',
      '*/0 * * * *',
      'a * * * *',
      '1,,2 * * * *',
      '1/2/3 * * * *',
    ]) {
      expect(() => parseCron(bad), bad).toThrow()
    }
  })

  it('matches and finds the next time (UTC, Vixie day rule, time zones)', () => {
    const c = parseCron('30 4 * * *')
    expect(cronMatches(c, at('2024-05-01T04:30:00Z'))).toBe(true)
    expect(cronMatches(c, at('2024-05-01T04:31:00Z'))).toBe(false)
    expect(nextCronTime(c, at('2024-05-01T04:30:00Z'))).toBe(at('2024-05-02T04:30:00Z'))
    expect(nextCronTime(parseCron('* * * * *'), at('2024-05-01T04:30:10Z'))).toBe(at('2024-05-01T04:31:00Z'))
    // Both day fields restricted: the 13th OR a Friday.
    const vixie = parseCron('0 0 13 * 5')
    expect(nextCronTime(vixie, at('2024-09-01T00:00:00Z'))).toBe(at('2024-09-06T00:00:00Z'))
    expect(cronMatches(vixie, at('2024-09-13T00:00:00Z'))).toBe(true)
    expect(nextCronTime(parseCron('0 0 29 2 *'), at('2025-01-01T00:00:00Z'))).toBe(at('2028-02-29T00:00:00Z'))
    expect(nextCronTime(parseCron('0 0 30 2 *'), at('2025-01-01T00:00:00Z'))).toBeUndefined()
    // 04:00 in New York is 08:00 UTC in summer (EDT) and 09:00 UTC in winter (EST).
    const ny = parseCron('CRON_TZ=America/New_York 0 4 * * *')
    expect(nextCronTime(ny, at('2024-07-01T00:00:00Z'))).toBe(at('2024-07-01T08:00:00Z'))
    expect(nextCronTime(ny, at('2024-12-01T00:00:00Z'))).toBe(at('2024-12-01T09:00:00Z'))
    // Across the spring-forward day (2024-03-10) the next 04:00 is 08:00 UTC.
    expect(nextCronTime(ny, at('2024-03-09T10:00:00Z'))).toBe(at('2024-03-10T08:00:00Z'))
    const kathmandu = parseCron('TZ=Asia/Kathmandu 0 0 * * *')
    expect(nextCronTime(kathmandu, at('2024-01-01T00:00:00Z'))).toBe(at('2024-01-01T18:15:00Z'))
  })
})

describe('retry-delay expressions', () => {
  const value = (expr: string, retried: number) => evaluateRetryDelay(parseRetryDelay(expr), retried)

  it('evaluates arithmetic, functions and `retried`', () => {
    expect(value('1000', 0)).toBe(1000)
    expect(value('1000 * (1 + retried)', 2)).toBe(3000)
    expect(value('pow(2, retried) * 1000', 3)).toBe(8000)
    expect(value('max(1000, pow(2, retried) * 100)', 1)).toBe(1000)
    expect(value('min(5000, 100 * retried)', 100)).toBe(5000)
    expect(value('sqrt(16) + abs(-2) + floor(1.7) + ceil(1.2) + round(2.5)', 0)).toBe(4 + 2 + 1 + 2 + 3)
    expect(value('exp(0) - -1 + 10 % 4 / 2', 0)).toBe(3)
    expect(value('RETRIED * 2', 4)).toBe(8)
    expect(value('1e3', 0)).toBe(1000)
    expect(retryDelayMs(parseRetryDelay('-5'), 0)).toBe(0)
    expect(retryDelayMs(parseRetryDelay('1 / 0'), 0)).toBe(0)
    expect(retryDelayMs(parseRetryDelay('pow(10, 20)'), 0)).toBe(86_400_000)
  })

  it('rejects anything that is not an expression', () => {
    for (const bad of [
      '',
      'eval(1)',
      'process',
      '1 +',
      '(1',
      'pow(1)',
      'min()',
      '1; 2',
      'retried()',
      '"1"',
      '2 ** 3',
      '('.repeat(100),
    ]) {
      expect(() => parseRetryDelay(bad), bad).toThrow()
    }
  })
})
