/**
 * The event dead-letter queue (Stratum extension, docs/events.md, "Failure handling"): a consumer's delivery that used
 * up its retries stays in QStash's DLQ. Listed here are the entries addressed to this app's delivery route whose body
 * is an event delivery; retrying one publishes the same delivery again — the same event id and consumer, so the
 * consumer's processed-message record still lets it apply once — and drops the entry.
 */
import type { z } from '@hono/zod-openapi'
import { QstashError } from '@upstash/qstash'
import type { Config } from '../../core/config'
import { formatDateTime } from '../../core/datetime'
import { NotFoundError, ServiceUnavailableError, ValidationError } from '../../core/errors'
import { type Lang, t } from '../../core/i18n'
import { QSTASH_DELIVERY_PATH, type Qstash } from '../../infra/qstash'
import { type EventDelivery, EventDeliverySchema, publishRequest } from './dispatch'
import type { DlqEventOut } from './dto'
import type { EventRegistry } from './registry'

/** A DLQ entry as the SDK lists it (the SDK does not export the type). */
export type DlqMessage = Awaited<ReturnType<Qstash['dlq']['listMessages']>>['messages'][number]

/** How much of the last failed answer a listing shows. */
const ERROR_CHARS = 1000

/**
 * The route QStash delivers this app's tasks and events to (what the DLQ is filtered by); a 503 without `PUBLIC_URL`:
 * nothing could have been delivered.
 */
export function deliveryUrl(config: Config): string {
  if (!config.PUBLIC_URL)
    throw new ServiceUnavailableError(undefined, { data: { service: 'qstash', reason: 'PUBLIC_URL not set' } })
  return `${config.PUBLIC_URL}${QSTASH_DELIVERY_PATH}`
}

/** The body a DLQ message carried when it fits `schema` (a task or an event delivery), else undefined. */
export function deliveryOf<T>(message: Pick<DlqMessage, 'body'>, schema: z.ZodType<T>): T | undefined {
  if (!message.body) return undefined
  try {
    const parsed = schema.safeParse(JSON.parse(message.body))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** What every DLQ listing shows of an entry, whatever it carried. */
export function dlqEntry(message: DlqMessage) {
  return {
    dlq_id: message.dlqId,
    message_id: message.messageId,
    created_time: formatDateTime(new Date(message.createdAt)) ?? '',
    response_status: message.responseStatus ?? null,
    error: message.responseBody ? message.responseBody.slice(0, ERROR_CHARS) : null,
  }
}

/**
 * One page of QStash's DLQ (newest first) addressed to `url`, as `pick` shows each entry; entries it skips (undefined)
 * are left out, so a page may hold fewer than `size` items while `cursor` still points further.
 */
export async function listDlq<O>(
  qstash: Qstash,
  url: string,
  size: number,
  cursor: string | undefined,
  pick: (message: DlqMessage) => O | undefined,
): Promise<{ items: O[]; cursor: string | null }> {
  const page = await qstash.dlq.listMessages({ count: size, filter: { url }, ...(cursor ? { cursor } : {}) })
  const items = page.messages.flatMap((message) => {
    const item = pick(message)
    return item === undefined ? [] : [item]
  })
  return { items, cursor: page.cursor || null }
}

/** The DLQ entry `dlqId` when it is addressed to `url`. */
export async function findDlq(qstash: Qstash, url: string, dlqId: string): Promise<DlqMessage | undefined> {
  const { messages } = await qstash.dlq.listMessages({ dlqIds: [dlqId] })
  return messages.find((m) => m.dlqId === dlqId && m.url === url)
}

/** Drops a DLQ entry; one someone else dropped meanwhile is fine (the end state is what was asked for). */
export async function dropDlq(qstash: Qstash, dlqId: string): Promise<void> {
  try {
    await qstash.dlq.delete(dlqId)
  } catch (err) {
    if (!(err instanceof QstashError && err.status === 404)) throw err
  }
}

/** The event delivery a DLQ message carried, or undefined for anything else (a task, a foreign body). */
export const eventOf = (message: Pick<DlqMessage, 'body'>): EventDelivery | undefined =>
  deliveryOf(message, EventDeliverySchema)

export function toDlqEvent(message: DlqMessage, delivery: EventDelivery): DlqEventOut {
  return { ...dlqEntry(message), event_id: delivery.event_id, name: delivery.name, consumer: delivery.consumer }
}

export interface EventDlqDeps {
  qstash: Qstash
  config: Config
  registry: EventRegistry
  lang: Lang
}

export class EventDlq {
  readonly #deps: EventDlqDeps
  /** The route QStash delivers to (what the DLQ is filtered by), below `PUBLIC_URL`. */
  readonly #url: string
  readonly #base: string

  /** A 503 without `PUBLIC_URL`: there is no delivery route to look for. */
  constructor(deps: EventDlqDeps) {
    this.#deps = deps
    this.#url = deliveryUrl(deps.config)
    this.#base = deps.config.PUBLIC_URL ?? ''
  }

  /**
   * One page of QStash's DLQ (newest first), filtered by this app's delivery URL; entries that are not event
   * deliveries (tasks share the route) are left out, so a page may hold fewer than `size` items while `cursor` still
   * points further.
   */
  async list(size: number, cursor?: string): Promise<{ items: DlqEventOut[]; cursor: string | null }> {
    return listDlq(this.#deps.qstash, this.#url, size, cursor, (message) => {
      const delivery = eventOf(message)
      return delivery && toDlqEvent(message, delivery)
    })
  }

  /** The entry, when it is an event delivery of this app; 404 `event.dlq_not_found` otherwise. */
  async get(dlqId: string): Promise<{ message: DlqMessage; delivery: EventDelivery }> {
    const message = await findDlq(this.#deps.qstash, this.#url, dlqId)
    const delivery = message && eventOf(message)
    if (!message || !delivery) throw new NotFoundError('event.dlq_not_found')
    return { message, delivery }
  }

  /**
   * Publishes the entry's delivery again (the consumer's current retries and the failure callback, as the dispatcher
   * publishes it), then drops the entry. The publish's dedup id is the DLQ id, so a retry clicked twice (or repeated
   * after the entry could not be dropped) publishes once; a copy that still arrives twice is absorbed by the
   * consumer's record. 422 when the consumer is no longer registered (its delivery would only be acknowledged).
   */
  async retry(dlqId: string): Promise<{ event_id: string; consumer: string; message_id: string }> {
    const { qstash, registry, lang } = this.#deps
    const { delivery } = await this.get(dlqId)
    const consumer = registry.consumer(delivery.consumer)
    if (!consumer || consumer.event.name !== delivery.name)
      throw new ValidationError([
        {
          loc: ['consumer'],
          msg: t(lang, 'event.consumer_unknown', { name: delivery.consumer }),
          type: 'unknown_consumer',
        },
      ])
    const { messageId } = await qstash.publishJSON(
      publishRequest(this.#base, { delivery, retries: consumer.retries }, `dlq:${dlqId}`),
    )
    await dropDlq(qstash, dlqId)
    return { event_id: delivery.event_id, consumer: delivery.consumer, message_id: messageId }
  }
}
