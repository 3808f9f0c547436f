/**
 * The delivery relay (test/setup/delivery-relay.ts), from Node: a request to a channel is parked until taken and
 * answered, byte for byte both ways; polls wait and time out; channels stay apart; a request whose client went away
 * leaves the queue; and, with the real QStash emulator in front, a signed delivery arrives verifiable and a retry
 * after an attempt timeout arrives as a new request.
 */
import { request as httpRequest } from 'node:http'
import { Client, Receiver } from '@upstash/qstash'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningQstashEmulator, startQstashEmulator } from '../../tools/emulators/qstash/index'
import { type DeliveryRelay, type ParkedRequest, startDeliveryRelay } from '../setup/delivery-relay'

let relay: DeliveryRelay

beforeAll(async () => {
  relay = await startDeliveryRelay()
})

afterAll(async () => {
  await relay.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function next(channel: string, waitMs = 0): Promise<ParkedRequest | undefined> {
  const res = await fetch(`${relay.url}/_relay/${channel}/next?wait_ms=${waitMs}`)
  if (res.status === 204) return undefined
  expect(res.status).toBe(200)
  return (await res.json()) as ParkedRequest
}

/** Takes the next parked request of `channel`, failing when none comes within `waitMs`. */
async function take(channel: string, waitMs = 2_000): Promise<ParkedRequest> {
  const parked = await next(channel, waitMs)
  if (!parked) throw new Error(`nothing parked on ${channel} within ${waitMs} ms`)
  return parked
}

function answer(id: string, status: number, headers: [string, string][] = [], body = ''): Promise<Response> {
  return fetch(`${relay.url}/_relay/answer/${id}`, {
    method: 'POST',
    body: JSON.stringify({ status, headers, body_base64: Buffer.from(body).toString('base64') }),
  })
}

const header = (parked: ParkedRequest, name: string) =>
  parked.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v)

describe('parking', () => {
  it('hands a request over as received and gives its client the answer, byte for byte', async () => {
    const bytes = Buffer.from([0x7b, 0xe4, 0xbd, 0xa0, 0x00, 0xff, 0x7d])
    // node:http, so a header can repeat as QStash forwards it.
    const client = new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
      (resolve, reject) => {
        const req = httpRequest(`${relay.url}/t_parking/api/v1/qstash/deliveries?a=1&b=%20`, {
          method: 'POST',
          // A raw header list gets no defaults: Host is ours to send.
          headers: [
            ['Host', new URL(relay.url).host],
            ['X-Twice', 'one'],
            ['X-Twice', 'two'],
            ['Content-Type', 'application/octet-stream'],
          ].flat(),
        })
        req.on('response', (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          )
        })
        req.on('error', reject)
        req.end(bytes)
      },
    )
    const parked = await take('t_parking')
    expect(parked.method).toBe('POST')
    expect(parked.path).toBe('/api/v1/qstash/deliveries?a=1&b=%20')
    expect(header(parked, 'x-twice')).toEqual(['one', 'two'])
    expect(header(parked, 'content-type')).toEqual(['application/octet-stream'])
    expect(Buffer.from(parked.body_base64, 'base64')).toEqual(bytes)

    const reply = await answer(
      parked.id,
      503,
      [
        ['Retry-After', '7'],
        ['Content-Length', '999'],
      ],
      '{"busy":true}',
    )
    expect(reply.status).toBe(204)
    const got = await client
    expect(got.status).toBe(503)
    expect(got.headers['retry-after']).toBe('7')
    // Framing headers of the answer are the relay's own.
    expect(got.headers['content-length']).toBe('13')
    expect(got.body.toString()).toBe('{"busy":true}')
  })

  it('hands requests over oldest first, each channel only its own', async () => {
    const sent: Promise<Response>[] = []
    for (const path of ['/first', '/second', '/third']) {
      sent.push(fetch(`${relay.url}/t_order${path}`, { method: 'POST' }))
      await sleep(50) // parked in the order they arrive
    }
    const other = fetch(`${relay.url}/t_other/elsewhere`)
    const taken = [await take('t_order'), await take('t_order'), await take('t_order')]
    expect(taken.map((p) => p.path)).toEqual(['/first', '/second', '/third'])
    expect(await next('t_order')).toBeUndefined()
    const elsewhere = await take('t_other')
    expect(elsewhere.path).toBe('/elsewhere')
    expect(elsewhere.method).toBe('GET')
    for (const parked of [...taken, elsewhere]) await answer(parked.id, 200, [], parked.path)
    expect(await Promise.all([...sent, other].map(async (res) => (await res).text()))).toEqual([
      '/first',
      '/second',
      '/third',
      '/elsewhere',
    ])
  })

  it('parks a request with no path below the channel as /', async () => {
    const sent = fetch(`${relay.url}/t_root?x=1`)
    const parked = await take('t_root')
    expect(parked.path).toBe('/?x=1')
    await answer(parked.id, 200)
    expect((await sent).status).toBe(200)
  })
})

describe('polling', () => {
  it('answers 204 after wait_ms when nothing is parked', async () => {
    const started = Date.now()
    const res = await fetch(`${relay.url}/_relay/t_empty/next?wait_ms=300`)
    expect(res.status).toBe(204)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect((await fetch(`${relay.url}/_relay/t_empty/next`)).status).toBe(204)
  })

  it('gives a waiting poll the request that arrives meanwhile', async () => {
    const polled = next('t_wait', 5_000)
    await sleep(100)
    const started = Date.now()
    const sent = fetch(`${relay.url}/t_wait/late`, { method: 'PUT', body: 'late' })
    const parked = await polled
    expect(Date.now() - started).toBeLessThan(3_000) // handed over, not the 5 s poll running out
    expect(parked?.path).toBe('/late')
    await answer(parked?.id ?? '', 202)
    expect((await sent).status).toBe(202)
  })

  it('refuses a wait_ms that is not an integer from 0 to 10000', async () => {
    for (const wait of ['-1', '10001', 'soon', '1.5']) {
      expect((await fetch(`${relay.url}/_relay/t_bad/next?wait_ms=${wait}`)).status).toBe(400)
    }
  })
})

describe('answers', () => {
  it('answers 404 for an unknown id or one answered already, 400 for a malformed answer', async () => {
    expect((await answer('no-such-id', 200)).status).toBe(404)
    const sent = fetch(`${relay.url}/t_twice/x`)
    const parked = await take('t_twice')
    const malformed = await fetch(`${relay.url}/_relay/answer/${parked.id}`, {
      method: 'POST',
      body: '{"status":"ok"}',
    })
    expect(malformed.status).toBe(400)
    expect((await answer(parked.id, 200)).status).toBe(204)
    expect((await answer(parked.id, 200)).status).toBe(404)
    expect((await sent).status).toBe(200)
  })

  it('drops a parked request whose client went away, taken or not', async () => {
    const waiting = new AbortController()
    fetch(`${relay.url}/t_gone/waiting`, { signal: waiting.signal }).catch(() => undefined)
    const taken = new AbortController()
    fetch(`${relay.url}/t_gone_taken/taken`, { signal: taken.signal }).catch(() => undefined)
    const parked = await take('t_gone_taken')
    await sleep(100)
    waiting.abort()
    taken.abort()
    await sleep(100)
    expect(await next('t_gone')).toBeUndefined()
    expect((await answer(parked.id, 200)).status).toBe(404)
  })
})

describe('with the QStash emulator in front', () => {
  const keys = { currentSigningKey: 'sig_relayCurrent0123456789', nextSigningKey: 'sig_relayNext9876543210' }
  let qstash: RunningQstashEmulator
  let client: Client

  beforeAll(async () => {
    qstash = await startQstashEmulator({ token: 'relay-token', ...keys, timeScale: 0.001, tickMs: 20 })
    client = new Client({ baseUrl: qstash.url, token: 'relay-token', retry: false })
  })

  afterAll(async () => {
    await qstash.close()
  })

  it('parks a signed delivery that verifies against the channel URL, and retries one whose attempt timed out', async () => {
    const url = `${relay.url}/t_qstash/api/v1/qstash/deliveries`
    const body = JSON.stringify({ kind: 'task', name: '任务' })
    const { messageId } = await client.publish({ url, body, retries: 1, timeout: 1 })

    // Nobody takes the first attempt: QStash gives up after 1 s and the relay drops it.
    const first = await take('t_qstash')
    expect(header(first, 'upstash-retried')).toEqual(['0'])
    await sleep(1_300)
    expect((await answer(first.id, 200)).status).toBe(404)

    const retry = await take('t_qstash', 5_000)
    expect(header(retry, 'upstash-message-id')).toEqual([messageId])
    expect(header(retry, 'upstash-retried')).toEqual(['1'])
    const received = Buffer.from(retry.body_base64, 'base64').toString('utf8')
    expect(received).toBe(body)
    const receiver = new Receiver(keys)
    const signature = header(retry, 'upstash-signature')[0] ?? ''
    expect(await receiver.verify({ signature, body: received, url })).toBe(true)
    expect((await answer(retry.id, 200, [], 'done')).status).toBe(204)

    // QStash took the answer: the message is delivered, not waiting for another retry.
    await expect
      .poll(async () => (await client.logs({ filter: { messageId } })).logs.map((l) => l.state))
      .toContain('DELIVERED')
  })
})
