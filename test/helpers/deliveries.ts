/**
 * The Worker side of the delivery relay (test/setup/delivery-relay.ts): QStash's deliveries for this test file wait
 * at the relay (this file's `PUBLIC_URL` is its channel there); a pump takes them one by one, runs each through the
 * real app — method, headers and raw body as QStash sent them, so signatures verify — and posts the app's answer back
 * to QStash. Nothing is delivered unless a test pumps.
 *
 *   await send('POST', '/api/v1/schedulers/1/execute', { token })        // submits a task to QStash
 *   const delivered = await deliverUntil(async () => (await statusOf(taskId)) === 'SUCCESS')
 *   expect(delivered.map((d) => [d.path, d.status])).toEqual([['/api/v1/qstash/deliveries', 200]])
 *
 * One pump delivers one request at a time, like a single worker; two pumps at once (`Promise.all`) take different
 * requests in parallel. A request QStash gave up on meanwhile (its attempt timed out) still ran in the app; its
 * answer is lost (`answered: false`) and QStash retries it. What a test leaves undelivered waits at the relay for
 * the file's next pump (until QStash's attempt times out and it retries), so a test drains what it publishes.
 */

import { env } from 'cloudflare:workers'
import { Buffer } from 'node:buffer'
import { z } from 'zod'
import type { App } from '../../src/app/app'
import { app, call, type Overrides } from './app'
import { FILE_ID } from './isolation'

const bindings = env as unknown as Record<string, string>
const RELAY = bindings.DELIVERY_RELAY_URL as string
const CHANNEL = `t_${FILE_ID}`

/** How long one poll of the relay waits, and so how often a pump checks whether it is done. */
const POLL_MS = 200

/** Headers of the connection between QStash and the relay, not of the delivery. */
const CONNECTION_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'])

const HeaderListSchema = z.array(z.tuple([z.string(), z.string()]))

const ParkedSchema = z.object({
  id: z.string(),
  method: z.string(),
  path: z.string(),
  headers: HeaderListSchema,
  body_base64: z.string(),
})

type Parked = z.infer<typeof ParkedSchema>

/** One delivery the pump ran through the app. */
export interface Delivery {
  method: string
  /** Below `PUBLIC_URL`, with the query: `/api/v1/qstash/deliveries`. */
  path: string
  /** The request headers as QStash sent them (`Upstash-Message-Id`, `Upstash-Retried`, `Upstash-Signature`…). */
  headers: Headers
  /** The request body as QStash sent it. */
  body: string
  /** The app's answer. */
  status: number
  answer: string
  /** False when QStash had given up on the attempt before the answer was back (it retries). */
  answered: boolean
}

export interface PumpOptions {
  /** The app to deliver to, as the test's own calls use it (default: the app of ./app.ts). */
  app?: App
  /** Binding overrides for the app, as the test's own calls use them (e.g. `faultBindings`). */
  overrides?: Overrides
  /** Give up (throw) after this long. Default 15 s. */
  timeoutMs?: number
  /** Changes a request in transit before the app gets it (tampering tests). */
  rewrite?: (request: Request) => Request | Promise<Request>
}

/** The oldest parked delivery of this file, waiting up to `waitMs` for one. */
async function take(waitMs: number): Promise<Parked | undefined> {
  const res = await fetch(`${RELAY}/_relay/${CHANNEL}/next?wait_ms=${Math.max(0, Math.round(waitMs))}`)
  if (res.status === 204) return undefined
  if (res.status !== 200) throw new Error(`delivery relay: next answered ${res.status}: ${await res.text()}`)
  return ParkedSchema.parse(await res.json())
}

/** Posts the app's answer for `id`; false when the relay no longer holds it (QStash's client went away). */
async function reply(id: string, status: number, headers: Headers, body: Uint8Array): Promise<boolean> {
  const res = await fetch(`${RELAY}/_relay/answer/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status, headers: [...headers], body_base64: Buffer.from(body).toString('base64') }),
  })
  await res.arrayBuffer()
  if (res.status !== 204 && res.status !== 404) throw new Error(`delivery relay: answer answered ${res.status}`)
  return res.status === 204
}

async function run(parked: Parked, options: PumpOptions): Promise<Delivery> {
  const headers = new Headers()
  for (const [name, value] of parked.headers) {
    if (!CONNECTION_HEADERS.has(name.toLowerCase())) headers.append(name, value)
  }
  const body = Buffer.from(parked.body_base64, 'base64')
  const hasBody = (method: string) => method !== 'GET' && method !== 'HEAD'
  let request = new Request(`http://localhost${parked.path}`, {
    method: parked.method,
    headers,
    body: hasBody(parked.method) ? new Uint8Array(body) : undefined,
  })
  let response: Response
  try {
    if (options.rewrite) request = await options.rewrite(request)
    response = await call(
      request.url,
      {
        method: request.method,
        headers: request.headers,
        body: hasBody(request.method) ? await request.arrayBuffer() : undefined,
      },
      options.overrides,
      options.app ?? app,
    )
  } catch (err) {
    // What QStash sees of a crashed worker (or a rewrite that threw); the test fails with the error itself.
    await reply(parked.id, 500, new Headers(), new TextEncoder().encode(String(err)))
    throw err
  }
  const answer = new Uint8Array(await response.arrayBuffer())
  const answered = await reply(parked.id, response.status, response.headers, answer)
  return {
    method: parked.method,
    path: parked.path,
    headers: new Headers(parked.headers),
    body: body.toString('utf8'),
    status: response.status,
    answer: new TextDecoder().decode(answer),
    answered,
  }
}

const summary = (delivered: Delivery[]) =>
  delivered.length === 0
    ? 'nothing was delivered'
    : `delivered: ${delivered.map((d) => `${d.method} ${d.path} → ${d.status}`).join(', ')}`

/** Pumps until `finished(delivered, msSinceLastDelivery)` holds; throws past the timeout. */
async function pump(
  finished: (delivered: readonly Delivery[], quietForMs: number) => Promise<boolean> | boolean,
  what: string,
  options: PumpOptions,
): Promise<Delivery[]> {
  const delivered: Delivery[] = []
  const timeoutMs = options.timeoutMs ?? 15_000
  const deadline = Date.now() + timeoutMs
  let lastDelivery = Date.now()
  while (!(await finished(delivered, Date.now() - lastDelivery))) {
    const left = deadline - Date.now()
    if (left <= 0) throw new Error(`deliveries: ${what} not reached after ${timeoutMs} ms; ${summary(delivered)}`)
    const parked = await take(Math.min(POLL_MS, left))
    if (!parked) continue
    delivered.push(await run(parked, options))
    lastDelivery = Date.now()
  }
  return delivered
}

/**
 * Delivers this file's QStash requests into the app until `done(deliveredSoFar)` is true (checked before the first
 * delivery, after each one, and every 200 ms); returns what was delivered.
 */
export function deliverUntil(
  done: (delivered: readonly Delivery[]) => Promise<boolean> | boolean,
  options: PumpOptions = {},
): Promise<Delivery[]> {
  return pump(done, 'the awaited condition', options)
}

/** Delivers this file's QStash requests into the app until none arrived for `quietMs` (default 500). */
export function deliverAll(options: PumpOptions & { quietMs?: number } = {}): Promise<Delivery[]> {
  const quietMs = options.quietMs ?? 500
  return pump((_, quietFor) => quietFor >= quietMs, `${quietMs} ms without a delivery`, options)
}
