/** `POST /v2/publish/{destination}`, `POST /v2/enqueue/{queue}/{destination}` and `POST /v2/batch`. */
import { HttpError, readBody, readJson, sendJson } from '../../shared/http'
import type { PublishOutcome } from '../core'
import { assertQueueName, headersFromNode, headersFromRecord, parsePublishSpec } from '../headers'
import type { PublishResult } from '../types'
import { type ApiContext, decodeSegment, isRecord, MAX_BODY_BYTES } from './context'

/**
 * The SDK builds `${baseUrl}/v2/publish/${destination}` without encoding, so the destination is the
 * raw rest of the request target — its own query string included. We only strip our auth parameter,
 * repair `https:/host` (slashes collapsed by a proxy) and accept a fully percent-encoded URL.
 */
export function extractDestination(rest: string): string {
  let destination = rest
  if (/[?&]qstash_token=/.test(destination)) {
    destination = destination.replace(/([?&])qstash_token=[^&]*&?/, '$1').replace(/[?&]$/, '')
  }
  if (/^https?%3a/i.test(destination)) destination = decodeSegment(destination)
  destination = destination.replace(/^(https?):\/(?!\/)/i, '$1://')
  if (destination === '') throw new HttpError(400, { error: 'destination is missing' })
  return destination
}

function send(ctx: ApiContext, outcome: PublishOutcome): void {
  sendJson(ctx.res, outcome.status, outcome.body)
}

export async function publish(ctx: ApiContext, rest: string): Promise<void> {
  const destination = extractDestination(rest)
  const body = await readBody(ctx.req, MAX_BODY_BYTES)
  const spec = parsePublishSpec(headersFromNode(ctx.req.headers), body)
  send(
    ctx,
    ctx.core.store.transaction(() => ctx.core.publish(destination, spec, { callerIp: ctx.callerIp })),
  )
}

export async function enqueue(ctx: ApiContext, rest: string): Promise<void> {
  const slash = rest.indexOf('/')
  if (slash <= 0) throw new HttpError(400, { error: 'expected /v2/enqueue/{queueName}/{destination}' })
  const queueName = decodeSegment(rest.slice(0, slash))
  assertQueueName(queueName)
  const destination = extractDestination(rest.slice(slash + 1))
  const body = await readBody(ctx.req, MAX_BODY_BYTES)
  const spec = parsePublishSpec(headersFromNode(ctx.req.headers), body)
  send(
    ctx,
    ctx.core.store.transaction(() => ctx.core.publish(destination, spec, { callerIp: ctx.callerIp, queueName })),
  )
}

/** All-or-nothing: every entry is validated and inserted in one transaction. */
export async function batch(ctx: ApiContext): Promise<void> {
  const payload = await readJson(ctx.req, MAX_BODY_BYTES)
  if (!Array.isArray(payload)) throw new HttpError(400, { error: 'batch body must be a JSON array' })
  const entries = payload.map((item: unknown, index) => {
    const where = `batch[${index}]`
    if (!isRecord(item)) throw new HttpError(400, { error: `${where} must be an object` })
    if (typeof item.destination !== 'string' || item.destination === '') {
      throw new HttpError(400, { error: `${where}.destination must be a non-empty string` })
    }
    const body =
      item.body === undefined || item.body === null
        ? Buffer.alloc(0)
        : Buffer.from(typeof item.body === 'string' ? item.body : JSON.stringify(item.body))
    const spec = parsePublishSpec(headersFromRecord(item.headers, where), body)
    let queueName: string | null = null
    if (item.queue !== undefined && item.queue !== null) {
      if (typeof item.queue !== 'string') throw new HttpError(400, { error: `${where}.queue must be a string` })
      assertQueueName(item.queue)
      queueName = item.queue
    }
    return { destination: extractDestination(item.destination), spec, queueName }
  })
  const results = ctx.core.store.transaction(() =>
    entries.map(
      (entry): PublishResult | PublishResult[] =>
        ctx.core.publish(entry.destination, entry.spec, { callerIp: ctx.callerIp, queueName: entry.queueName }).body,
    ),
  )
  sendJson(ctx.res, 200, results)
}
