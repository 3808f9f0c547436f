/**
 * Publishing the outbox: take a batch of PENDING rows (and rows a dead dispatcher left SENDING), publish one QStash
 * message per event and consumer in one batch call, mark them SENT. When QStash is unreachable they go back to
 * PENDING and the next dispatch (the next write's, or the cron sweep every minute) sends them. Runs after the response
 * of a request that emitted (src/app/app.ts) and from the cron trigger (src/app/scheduled.ts).
 *
 * Guarantees (docs/events.md): at least once — a message may be published twice (a dispatcher that died after the
 * publish and before marking SENT), which QStash's deduplication id (`<event id>.<consumer>`) and each consumer's
 * processed-message record absorb; no ordering between events, not even of one aggregate.
 */

import { z } from '@hono/zod-openapi'
import { and, eq, inArray, lt, or, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import type { Config } from '../../core/config'
import { describeError, errorMessage, type Logger } from '../../core/logging'
import { background } from '../../http/background'
import type { AppEnv } from '../../http/context'
import type { RepositoryDb } from '../../infra/db/repository'
import { QSTASH_DELIVERY_PATH, QSTASH_FAILURE_PATH, type Qstash } from '../../infra/qstash'
import type { EventDefinition } from './define'
import type { EventRegistry } from './registry'
import { eventConsumption, eventOutbox, type OutboxRow } from './schema'

/**
 * What QStash carries to the consumer route for one consumer of one event (signed): the one schema the route, the
 * DLQ listing and the dispatcher share.
 */
export const EventDeliverySchema = z
  .object({
    kind: z.literal('event'),
    event_id: z.string().min(1).max(64),
    name: z.string().min(1).max(128),
    consumer: z.string().min(1).max(128),
    payload: z.unknown(),
    /** Epoch ms of the write that emitted it. */
    occurred_at: z.number().int(),
  })
  .openapi('EventDelivery')

export type EventDelivery = z.infer<typeof EventDeliverySchema>

export interface DispatchDeps {
  db: RepositoryDb
  qstash: Qstash | undefined
  config: Config
  registry: EventRegistry
  logger: Logger
}

export interface DispatchResult {
  /** Outbox rows published (and marked SENT). */
  sent: number
  /** QStash messages published (one per event and consumer). */
  messages: number
  /** Rows put back to PENDING because QStash could not take them. */
  deferred: number
}

/** Rows taken per dispatch; QStash takes up to 100 messages per batch call, so messages are chunked. */
const BATCH_ROWS = 100
const MESSAGES_PER_CALL = 100
/** A row SENDING for longer than this was taken by a dispatcher that died: it is taken again. */
const STALE_CLAIM_MS = 60_000

export async function dispatchOutbox(deps: DispatchDeps, limit = BATCH_ROWS): Promise<DispatchResult> {
  const rows = await claim(deps.db, limit)
  if (rows.length === 0) return { sent: 0, messages: 0, deferred: 0 }
  const ids = rows.map((r) => r.id)
  const messages = rows.flatMap((row) => messagesFor(deps, row))
  try {
    if (messages.length) {
      const qstash = deps.qstash
      const base = deps.config.PUBLIC_URL
      if (!qstash || !base) throw new Error(qstash ? 'PUBLIC_URL is not set' : 'QStash is not configured')
      for (let i = 0; i < messages.length; i += MESSAGES_PER_CALL)
        await qstash.batchJSON(messages.slice(i, i + MESSAGES_PER_CALL).map((m) => publishRequest(base, m)))
    }
  } catch (err) {
    await deps.db
      .update(eventOutbox)
      .set({
        status: 'PENDING',
        attempts: sql`${eventOutbox.attempts} + 1`,
        lastError: errorMessage(err).slice(0, 1000),
      })
      .where(inArray(eventOutbox.id, ids))
    deps.logger.warn('outbox not published: will retry', { rows: ids.length, ...describeError(err) })
    return { sent: 0, messages: 0, deferred: ids.length }
  }
  await deps.db.update(eventOutbox).set({ status: 'SENT', sentTime: new Date() }).where(inArray(eventOutbox.id, ids))
  return { sent: ids.length, messages: messages.length, deferred: 0 }
}

/** PENDING rows (and stale SENDING ones) → SENDING, oldest first, in one statement; the rows this dispatcher owns. */
async function claim(db: RepositoryDb, limit: number): Promise<OutboxRow[]> {
  const now = new Date()
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS)
  const claimable = or(
    eq(eventOutbox.status, 'PENDING'),
    and(eq(eventOutbox.status, 'SENDING'), lt(eventOutbox.claimedTime, staleBefore)),
  )
  const candidates = db
    .select({ id: eventOutbox.id })
    .from(eventOutbox)
    .where(claimable)
    .orderBy(eventOutbox.id)
    .limit(limit)
  return (
    db
      .update(eventOutbox)
      .set({ status: 'SENDING', claimedTime: now })
      // `claimable` again: a row another dispatcher claimed between the select and the update is not taken twice.
      .where(and(inArray(eventOutbox.id, candidates), claimable))
      .returning()
  )
}

export interface Message {
  delivery: EventDelivery
  retries: number
}

/**
 * One consumer's copy of an event, as QStash is asked to deliver it; deduplicated per event and consumer unless the
 * caller names another id (a DLQ retry).
 */
export function publishRequest(
  base: string,
  { delivery, retries }: Message,
  deduplicationId = `${delivery.event_id}.${delivery.consumer}`,
) {
  return {
    url: `${base}${QSTASH_DELIVERY_PATH}`,
    body: delivery,
    retries,
    failureCallback: `${base}${QSTASH_FAILURE_PATH}`,
    deduplicationId,
  }
}

function messagesFor(
  deps: Pick<DispatchDeps, 'registry' | 'logger'>,
  row: Pick<OutboxRow, 'eventId' | 'name' | 'payload' | 'createdTime'>,
): Message[] {
  const consumers = deps.registry.consumersOf(row.name)
  if (!deps.registry.event(row.name))
    deps.logger.warn('outbox row of an unknown event: marked sent', { name: row.name })
  return consumers.map((consumer) => ({
    retries: consumer.retries,
    delivery: {
      kind: 'event',
      event_id: row.eventId,
      name: row.name,
      consumer: consumer.name,
      payload: row.payload,
      occurred_at: row.createdTime.getTime(),
    },
  }))
}

/**
 * After the response of a request that emitted (`EventSink.written`): publish what it committed, in `waitUntil`. A
 * failure is logged (the rows stay PENDING for the cron sweep), never thrown into the response.
 */
export function dispatchAfterResponse(c: Context<AppEnv>, registry: EventRegistry): void {
  if (!c.get('events')?.written) return
  const services = c.get('services')
  const db = services.db
  if (!db) return
  background(
    c,
    'event outbox',
    dispatchOutbox({ db, qstash: services.qstash, config: c.get('config'), registry, logger: c.get('logger') }),
  )
}

/** Sent outbox rows are kept this long (to read what happened), processed-message records longer than QStash keeps a
 * message in its DLQ, so a DLQ retry weeks later still finds the record. */
const SENT_KEPT_MS = 7 * 86_400_000
const CONSUMPTION_KEPT_MS = 30 * 86_400_000

/**
 * The cron sweep (every minute): publishes what no request's dispatch took (QStash was down, a dispatcher died), in
 * rounds of `BATCH_ROWS` up to `maxRows`, then prunes old rows.
 */
export async function sweepOutbox(deps: DispatchDeps, now: Date, maxRows = 1000): Promise<DispatchResult> {
  const total: DispatchResult = { sent: 0, messages: 0, deferred: 0 }
  while (total.sent + total.deferred < maxRows) {
    const round = await dispatchOutbox(deps)
    total.sent += round.sent
    total.messages += round.messages
    total.deferred += round.deferred
    if (round.sent < BATCH_ROWS) break
  }
  await deps.db.batch([
    deps.db
      .delete(eventOutbox)
      .where(and(eq(eventOutbox.status, 'SENT'), lt(eventOutbox.sentTime, new Date(now.getTime() - SENT_KEPT_MS)))),
    deps.db
      .delete(eventConsumption)
      .where(lt(eventConsumption.processedTime, new Date(now.getTime() - CONSUMPTION_KEPT_MS))),
  ])
  return total
}

/**
 * Publishes an event straight to QStash, without the outbox: for records that must not be lost when the database is
 * what failed (the operation log's fallback, docs/events.md "Failure handling"). One message per consumer, like the
 * outbox's; the event id is new, so consumers still apply it once. Rejects when QStash cannot take it.
 */
export async function publishNow<S extends z.ZodType>(
  deps: Omit<DispatchDeps, 'db'>,
  event: EventDefinition<S>,
  payload: z.input<S>,
): Promise<number> {
  const { qstash, config } = deps
  if (!qstash || !config.PUBLIC_URL) throw new Error(qstash ? 'PUBLIC_URL is not set' : 'QStash is not configured')
  const row = {
    eventId: crypto.randomUUID(),
    name: event.name,
    payload: event.payload.parse(payload),
    createdTime: new Date(),
  }
  const messages = messagesFor(deps, row)
  const base = config.PUBLIC_URL
  if (messages.length) await qstash.batchJSON(messages.map((m) => publishRequest(base, m)))
  return messages.length
}
