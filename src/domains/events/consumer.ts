/**
 * Applying one delivered event for one consumer, once: a consumer that already recorded this event id acknowledges
 * the redelivery without running; otherwise its handler runs and `apply(writes)` commits its writes together with the
 * record (one `db.batch`: both or neither). If two deliveries race, the second batch fails on the record's unique
 * key and nothing of it is written — it is answered as already applied. A failing handler answers 500, so QStash
 * retries, then moves the message to its DLQ (docs/events.md, "Failure handling").
 */
import { and, eq } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Config } from '../../core/config'
import { errorMessage, type Logger } from '../../core/logging'
import { isConstraintViolation } from '../../infra/db/errors'
import type { RepositoryDb } from '../../infra/db/repository'
import type { Realtime } from '../../infra/realtime'
import type { Redis } from '../../infra/redis'
import type { EventDelivery } from './dispatch'
import type { EventRegistry } from './registry'
import { eventConsumption } from './schema'

export interface EventConsumerDeps {
  db: RepositoryDb
  readonly redis: Redis | undefined
  config: Config
  registry: EventRegistry
  logger: Logger
  /** The consumer's `realtime` (built from the delivery request's bindings). */
  realtime: Realtime
}

export type EventOutcome =
  | { status: 200; event_id: string; state: 'APPLIED' | 'DUPLICATE' | 'UNKNOWN' | 'INVALID'; ran: boolean }
  | { status: 500; event_id: string; state: 'FAILED'; ran: true; error: string }

class AlreadyApplied extends Error {
  override readonly name = 'AlreadyApplied'
}

export async function runEventDelivery(
  deps: EventConsumerDeps,
  delivery: EventDelivery,
  meta: { retried: number },
): Promise<EventOutcome> {
  const { event_id: eventId, consumer: consumerName } = delivery
  const logger = deps.logger.child({ event: delivery.name, event_id: eventId, consumer: consumerName })
  const consumer = deps.registry.consumer(consumerName)
  if (!consumer || consumer.event.name !== delivery.name) {
    logger.warn('event delivery for an unknown consumer: acknowledged')
    return { status: 200, event_id: eventId, state: 'UNKNOWN', ran: false }
  }
  const record = { consumer: consumerName, eventId }
  const wasApplied = async () =>
    (
      await deps.db
        .select({ id: eventConsumption.id })
        .from(eventConsumption)
        .where(and(eq(eventConsumption.consumer, consumerName), eq(eventConsumption.eventId, eventId)))
        .limit(1)
    ).length > 0
  if (await wasApplied()) {
    logger.info('event already applied by this consumer: redelivery acknowledged')
    return { status: 200, event_id: eventId, state: 'DUPLICATE', ran: false }
  }
  const payload = consumer.event.payload.safeParse(delivery.payload)
  if (!payload.success) {
    // Emitted payloads are checked when written; a row that no longer fits its schema is not retried.
    logger.warn('event payload does not fit its schema: acknowledged', { issues: payload.error.issues.length })
    return { status: 200, event_id: eventId, state: 'INVALID', ran: false }
  }

  let recorded = false
  const apply = async (writes: readonly BatchItem<'sqlite'>[]) => {
    if (recorded) throw new Error('apply() may be called once per delivery')
    recorded = true
    const items: [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]] = [
      deps.db.insert(eventConsumption).values(record),
      ...writes,
    ]
    try {
      await deps.db.batch(items)
    } catch (err) {
      // The record's unique key: a concurrent delivery got there first (a UNIQUE clash of the consumer's own writes is
      // the consumer's failure, retried like any other).
      if (isConstraintViolation(err, 'UNIQUE') && (await wasApplied())) throw new AlreadyApplied()
      throw err
    }
  }

  try {
    await consumer.handler({
      event: { id: eventId, name: delivery.name, payload: payload.data, occurredAt: new Date(delivery.occurred_at) },
      db: deps.db,
      get redis() {
        return deps.redis
      },
      config: deps.config,
      realtime: deps.realtime,
      logger,
      attempt: meta.retried,
      apply,
    })
    if (!recorded) await deps.db.insert(eventConsumption).values(record).onConflictDoNothing()
    logger.info('event applied')
    return { status: 200, event_id: eventId, state: 'APPLIED', ran: true }
  } catch (err) {
    if (err instanceof AlreadyApplied) {
      logger.info('event applied by a concurrent delivery: nothing written')
      return { status: 200, event_id: eventId, state: 'DUPLICATE', ran: true }
    }
    logger.warn('event consumer failed', { error: errorMessage(err), retried: meta.retried })
    return { status: 500, event_id: eventId, state: 'FAILED', ran: true, error: errorMessage(err) }
  }
}
