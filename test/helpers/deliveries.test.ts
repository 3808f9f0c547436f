/**
 * The delivery pump (./deliveries.ts) end to end: the shared QStash emulator publishes to this file's `PUBLIC_URL`
 * (its channel on the delivery relay, test/setup/delivery-relay.ts); the pump runs each delivery through the real app
 * and QStash gets the app's answer. Any app route serves: these use the health routes. Messages the app refuses are
 * published without retries, so no retry is left parked for the next test.
 */

import { env } from 'cloudflare:workers'
import { Client, Receiver } from '@upstash/qstash'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app/app'
import { DOMAINS } from '../../src/app/domains'
import { type Delivery, deliverAll, deliverUntil } from './deliveries'
import { fileBindings } from './isolation'
import { expectLogs } from './logs'

const bindings = env as unknown as Record<string, string>
const PUBLIC_URL = fileBindings.PUBLIC_URL as string
const qstash = new Client({ baseUrl: bindings.QSTASH_URL, token: bindings.QSTASH_TOKEN as string, retry: false })

const messageIdOf = (delivery: Delivery) => delivery.headers.get('Upstash-Message-Id')

/** Pumps until the message `messageId` was delivered; returns that delivery. */
async function deliverMessage(messageId: string, options: Parameters<typeof deliverUntil>[1] = {}): Promise<Delivery> {
  const delivered = await deliverUntil((d) => d.some((x) => messageIdOf(x) === messageId), options)
  const delivery = delivered.find((x) => messageIdOf(x) === messageId)
  if (!delivery) throw new Error(`message ${messageId} not delivered`)
  return delivery
}

describe('deliverUntil', () => {
  it('gives the app the request as QStash sent it: method, path and query, headers, raw body, signature', async () => {
    const body = JSON.stringify({ task: '清理登录日志', bytes: 'ä€𝄞' })
    const url = `${PUBLIC_URL}/api/v1/health/ping?from=qstash&x=%20`
    const { messageId } = await qstash.publish({ url, body, method: 'PUT', headers: { 'X-Extra': 'kept' }, retries: 0 })

    const delivery = await deliverMessage(messageId)
    expect(delivery.method).toBe('PUT')
    expect(delivery.path).toBe('/api/v1/health/ping?from=qstash&x=%20')
    expect(delivery.body).toBe(body)
    expect(delivery.headers.get('X-Extra')).toBe('kept')
    expect(delivery.headers.get('Upstash-Retried')).toBe('0')
    // What the consumer route checks: the signature over the raw body and PUBLIC_URL + path.
    const receiver = new Receiver({
      currentSigningKey: bindings.QSTASH_CURRENT_SIGNING_KEY as string,
      nextSigningKey: bindings.QSTASH_NEXT_SIGNING_KEY as string,
    })
    const signature = delivery.headers.get('Upstash-Signature') ?? ''
    expect(await receiver.verify({ signature, body: delivery.body, url: `${PUBLIC_URL}${delivery.path}` })).toBe(true)

    // The liveness probe takes GET only: QStash got the app's refusal, and with no retries left it is in the DLQ.
    expect(delivery.status).toBe(405)
    expect(delivery.answered).toBe(true)
    const dlq = async () => (await qstash.dlq.listMessages({ filter: { url } })).messages
    await expect
      .poll(async () => (await dlq()).map((m) => [m.messageId, m.responseStatus, m.responseBody]))
      .toEqual([[messageId, 405, delivery.answer]])
  })

  it('returns the app answer of a delivery it accepts', async () => {
    const { messageId } = await qstash.publish({ url: `${PUBLIC_URL}/api/v1/health/ping`, method: 'GET' })
    const delivery = await deliverMessage(messageId)
    expect(delivery.status).toBe(200)
    expect(JSON.parse(delivery.answer)).toMatchObject({ code: 200, data: { status: 'ok', api_version: 'v1' } })
  })

  it('runs the app with the given binding overrides', async () => {
    // The rate limiter cannot reach the closed Redis either.
    expectLogs({ msg: 'rate limit check failed; request let through' })
    const { messageId } = await qstash.publish({ url: `${PUBLIC_URL}/api/v1/health`, method: 'GET', retries: 0 })
    const delivery = await deliverMessage(messageId, {
      overrides: { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9/ns/closed', REDIS_TIMEOUT_MS: '300' },
    })
    expect(delivery.status).toBe(503)
  })

  it('delivers to the app it is given', async () => {
    const withoutHealth = createApp({ domains: DOMAINS.filter((d) => d.name !== 'health') })
    const { messageId } = await qstash.publish({ url: `${PUBLIC_URL}/api/v1/health/ping`, method: 'GET', retries: 0 })
    expect((await deliverMessage(messageId, { app: withoutHealth })).status).toBe(404)
  })

  it('hands the app a rewritten request (tampering in transit)', async () => {
    const { messageId } = await qstash.publish({ url: `${PUBLIC_URL}/api/v1/health/ping`, method: 'POST', retries: 0 })
    const delivery = await deliverMessage(messageId, {
      rewrite: (request) => new Request(request.url, { method: 'GET', headers: request.headers }),
    })
    expect(delivery.status).toBe(200)
  })

  it('throws on timeout, saying what it delivered', async () => {
    await expect(deliverUntil(() => false, { timeoutMs: 300 })).rejects.toThrow(
      'deliveries: the awaited condition not reached after 300 ms; nothing was delivered',
    )
  })
})

describe('deliverAll', () => {
  it('delivers everything that arrives until it is quiet', async () => {
    const published = await Promise.all(
      [1, 2, 3].map((n) => qstash.publish({ url: `${PUBLIC_URL}/api/v1/health/ping?n=${n}`, method: 'GET' })),
    )
    const delivered = await deliverAll()
    expect(delivered.map(messageIdOf).sort()).toEqual(published.map((p) => p.messageId).sort())
    expect(delivered.map((d) => d.status)).toEqual([200, 200, 200])
  })

  it('returns nothing after quietMs when nothing arrives', async () => {
    const started = Date.now()
    expect(await deliverAll({ quietMs: 300 })).toEqual([])
    expect(Date.now() - started).toBeLessThan(2_000)
  })
})
