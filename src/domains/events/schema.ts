/**
 * `event_outbox`: events written in the same `db.batch` as the change that caused them (an event exists if and only if
 * its write committed), then published to QStash by the dispatcher. `event_consumption`: one row per consumer and
 * event it has applied — written in the same batch as the consumer's own writes, so a redelivered event is applied
 * once. docs/events.md.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdTime, datetime, id } from '../../infra/db/columns'

export const OUTBOX_STATUSES = ['PENDING', 'SENDING', 'SENT'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

export const eventOutbox = sqliteTable(
  'event_outbox',
  {
    id: id(),
    eventId: text('event_id', { length: 64 }).notNull(),
    name: text('name', { length: 128 }).notNull(),
    payload: text('payload', { mode: 'json' }).$type<unknown>().notNull(),
    /** What the event is about (`user:7`), for reading the outbox; QStash gives no ordering between events. */
    aggregate: text('aggregate', { length: 128 }),
    status: text('status', { length: 16, enum: OUTBOX_STATUSES }).notNull().default('PENDING'),
    /** Failed publish attempts (the row went back to PENDING each time). */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error', { length: 1000 }),
    /** When a dispatcher took it (SENDING): a row left SENDING for long was taken by a dispatcher that died. */
    claimedTime: datetime('claimed_time'),
    sentTime: datetime('sent_time'),
    createdTime: createdTime(),
  },
  (t) => [uniqueIndex('event_outbox_event_id_uq').on(t.eventId), index('event_outbox_status_idx').on(t.status, t.id)],
)

export const eventConsumption = sqliteTable(
  'event_consumption',
  {
    id: id(),
    consumer: text('consumer', { length: 128 }).notNull(),
    eventId: text('event_id', { length: 64 }).notNull(),
    processedTime: createdTime(),
  },
  (t) => [uniqueIndex('event_consumption_consumer_event_uq').on(t.consumer, t.eventId)],
)

export type OutboxRow = typeof eventOutbox.$inferSelect
