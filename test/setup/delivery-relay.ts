/**
 * The delivery relay: how QStash reaches an app that has no listening port. Worker tests run the app inside workerd,
 * so the QStash emulator (which really POSTs over HTTP) cannot call it. Each test file's `PUBLIC_URL` points here,
 * at a channel of its own (`<relay>/t_<file id>`, test/helpers/isolation.ts); a request to `/<channel>/<rest…>` is
 * *parked* — held open, unanswered — until the Worker test takes it, runs it through the real app and posts the
 * app's answer back (test/helpers/deliveries.ts). QStash sees an ordinary, perhaps slow, destination.
 *
 * The Worker side:
 * - `GET /_relay/<channel>/next?wait_ms=N` (0 ≤ N ≤ 10000, default 0): 200 with the oldest parked request of the
 *   channel, `{ id, method, path, headers: [[name, value], …], body_base64 }` (`path` is `/<rest>` plus the query;
 *   headers exactly as received, repeats and all), or 204 when none arrived within N ms;
 * - `POST /_relay/answer/<id>` with `{ status, headers: [[name, value], …], body_base64 }`: the parked request gets
 *   that response (204 here); an unknown id, or one whose client went away, is a 404.
 *
 * A parked request whose client goes away (QStash's attempt timeout, an emulator stop) leaves the queue: a retry will
 * arrive as a new request. Test infrastructure only: started by ./global-setup.ts, never imported by src/.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { listen, readBody, sendJson } from '../../tools/emulators/shared/http'

/** A parked request as the Worker side receives it. */
export interface ParkedRequest {
  id: string
  method: string
  path: string
  headers: [string, string][]
  body_base64: string
}

/** What the Worker side posts back for a parked request. */
export interface RelayAnswer {
  status: number
  headers: [string, string][]
  body_base64: string
}

export interface DeliveryRelay {
  url: string
  close(): Promise<void>
}

/** The longest a `next` call may wait (workerd and vitest must not see a request hang much longer). */
export const MAX_WAIT_MS = 10_000

/** Framing headers: the relay's own connection carries the answer, so these are recomputed by Node. */
const FRAMING = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive'])

interface Parked {
  request: ParkedRequest
  res: ServerResponse
}

interface Waiter {
  res: ServerResponse
  timer: ReturnType<typeof setTimeout>
}

function pairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string])
  return out
}

function isHeaderList(value: unknown): value is [string, string][] {
  return (
    Array.isArray(value) &&
    value.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string')
  )
}

function parseAnswer(text: string): RelayAnswer | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { status, headers, body_base64 } = value as Record<string, unknown>
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) return undefined
  if (!isHeaderList(headers) || typeof body_base64 !== 'string') return undefined
  return { status, headers, body_base64 }
}

export async function startDeliveryRelay(): Promise<DeliveryRelay> {
  /** Parked requests not yet taken, oldest first, per channel. */
  const queues = new Map<string, Parked[]>()
  /** Long polls waiting for a request, per channel (a request goes to the oldest). */
  const waiters = new Map<string, Waiter[]>()
  /** Requests taken by the Worker side and awaiting their answer. */
  const taken = new Map<string, Parked>()

  const remove = <T>(map: Map<string, T[]>, channel: string, item: T) => {
    const list = map.get(channel) ?? []
    const at = list.indexOf(item)
    if (at >= 0) list.splice(at, 1)
    if (list.length === 0) map.delete(channel)
  }

  /** The oldest of a channel's lists (parked requests, waiting polls), dropping the list once empty. */
  const oldest = <T>(map: Map<string, T[]>, channel: string): T | undefined => {
    const list = map.get(channel)
    const first = list?.shift()
    if (list?.length === 0) map.delete(channel)
    return first
  }

  const give = (parked: Parked, res: ServerResponse) => {
    taken.set(parked.request.id, parked)
    sendJson(res, 200, parked.request)
  }

  /** Hands `parked` to the oldest long poll still waiting on its channel; false when none is. */
  const handOver = (channel: string, parked: Parked): boolean => {
    for (let waiter = oldest(waiters, channel); waiter; waiter = oldest(waiters, channel)) {
      clearTimeout(waiter.timer)
      if (waiter.res.destroyed) continue
      give(parked, waiter.res)
      return true
    }
    return false
  }

  const park = async (channel: string, rest: string, req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req)
    const parked: Parked = {
      request: {
        id: randomUUID(),
        method: req.method ?? 'GET',
        path: rest,
        headers: pairs(req.rawHeaders),
        body_base64: body.toString('base64'),
      },
      res,
    }
    // The client gave up (attempt timeout, emulator stopped): nobody is left to answer; QStash retries anew.
    res.on('close', () => {
      if (res.writableFinished) return
      taken.delete(parked.request.id)
      remove(queues, channel, parked)
    })
    if (res.destroyed || handOver(channel, parked)) return
    queues.set(channel, [...(queues.get(channel) ?? []), parked])
  }

  const next = (channel: string, waitMs: number, res: ServerResponse) => {
    const parked = oldest(queues, channel)
    if (parked) {
      give(parked, res)
      return
    }
    if (waitMs === 0) {
      res.writeHead(204).end()
      return
    }
    const waiter: Waiter = {
      res,
      timer: setTimeout(() => {
        remove(waiters, channel, waiter)
        res.writeHead(204).end()
      }, waitMs),
    }
    waiters.set(channel, [...(waiters.get(channel) ?? []), waiter])
    res.on('close', () => {
      clearTimeout(waiter.timer)
      remove(waiters, channel, waiter)
    })
  }

  const answer = async (id: string, req: IncomingMessage, res: ServerResponse) => {
    const reply = parseAnswer((await readBody(req)).toString('utf8'))
    if (!reply) {
      sendJson(res, 400, { error: 'expected { status, headers: [[name, value], …], body_base64 }' })
      return
    }
    const parked = taken.get(id)
    taken.delete(id)
    if (!parked || parked.res.destroyed) {
      sendJson(res, 404, { error: `no parked request ${id} (unknown, answered, or its client went away)` })
      return
    }
    const body = Buffer.from(reply.body_base64, 'base64')
    const headers = reply.headers.filter(([name]) => !FRAMING.has(name.toLowerCase()))
    // A 204 or 304 has no body, and no length to announce.
    if (reply.status !== 204 && reply.status !== 304) headers.push(['Content-Length', String(body.length)])
    parked.res.writeHead(reply.status, headers.flat()).end(body)
    res.writeHead(204).end()
  }

  const running = await listen((req, res) => {
    const raw = req.url ?? '/'
    const url = new URL(raw, 'http://relay')
    const nextCall = /^\/_relay\/([^/]+)\/next$/.exec(url.pathname)
    const answerCall = /^\/_relay\/answer\/([^/]+)$/.exec(url.pathname)
    // Split the raw target, not a parsed URL: the path reaches the app exactly as QStash signed it.
    const [, channel, rest = ''] = /^\/([^/?_][^/?]*)(.*)$/.exec(raw) ?? []
    const work = async () => {
      if (req.method === 'GET' && nextCall?.[1]) {
        const waitMs = Number(url.searchParams.get('wait_ms') ?? '0')
        if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAX_WAIT_MS) {
          sendJson(res, 400, { error: `wait_ms must be an integer from 0 to ${MAX_WAIT_MS}` })
        } else next(nextCall[1], waitMs, res)
      } else if (req.method === 'POST' && answerCall?.[1]) {
        await answer(answerCall[1], req, res)
      } else if (channel) {
        await park(channel, rest.startsWith('/') ? rest : `/${rest}`, req, res)
      } else {
        sendJson(res, 404, { error: 'relay endpoints: /<channel>/<path>, /_relay/<channel>/next, /_relay/answer/<id>' })
      }
    }
    work().catch(() => res.destroy())
  })
  // A parked request may wait as long as its QStash attempt allows: no server-side timeouts.
  running.server.requestTimeout = 0
  running.server.headersTimeout = 0
  return { url: running.url, close: running.close }
}
