/**
 * Domain events: `defineEvent(name, schema)` next to the domain that owns the event, `onEvent(event, {...})` next to
 * the code that reacts. Modules list both (`events`, `consumers`), plugins too; the app builds one registry. A service
 * emits with `emitQuery(db, event, payload)` inside its own `db.batch` (./outbox.ts). docs/events.md.
 */
import type { z } from '@hono/zod-openapi'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Config } from '../../core/config'
import type { Logger } from '../../core/logging'
import type { RepositoryDb } from '../../infra/db/repository'
import type { Realtime } from '../../infra/realtime'
import type { Redis } from '../../infra/redis'

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  /** `<aggregate>.<past-tense verb>`: `user.deleted`, `notice.published`. */
  name: string
  payload: S
}

const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/
const CONSUMER_NAME = /^[a-z][a-z0-9_.-]{0,127}$/

export function defineEvent<S extends z.ZodType>(name: string, payload: S): EventDefinition<S> {
  if (!EVENT_NAME.test(name)) throw new Error(`event name "${name}" must look like "user.deleted"`)
  return { name, payload }
}

/** One delivered event, as a consumer sees it. */
export interface DeliveredEvent<P> {
  /** The outbox row's event id: the same for every consumer and every redelivery. */
  id: string
  name: string
  payload: P
  occurredAt: Date
}

export interface ConsumerContext<P> {
  event: DeliveredEvent<P>
  db: RepositoryDb
  /** Undefined when Redis is not configured. */
  redis: Redis | undefined
  config: Config
  /** Pushes to connected Socket.IO clients (best effort; docs/realtime.md). */
  realtime: Realtime
  /** Lines carry `event`, `event_id` and `consumer`. */
  logger: Logger
  /** Attempts before this one (0 on the first delivery). */
  attempt: number
  /**
   * Runs the consumer's database writes in one `db.batch` together with the record that this consumer applied this
   * event: a second delivery then finds the record and applies nothing. Call it once; a consumer without database
   * writes need not call it (the record is written after it returns).
   */
  apply(writes: readonly BatchItem<'sqlite'>[]): Promise<void>
}

export interface ConsumerDefinition<P = unknown> {
  /** Unique across the app: `users.end-sessions`. The processed-message record is kept per consumer name. */
  name: string
  event: EventDefinition
  /** QStash retries after the first failing delivery (0–10), then the DLQ. */
  retries: number
  handler(ctx: ConsumerContext<P>): Promise<void>
}

/** Declares a consumer of `event` (its handler gets the event's typed payload). */
export function onEvent<S extends z.ZodType>(
  event: EventDefinition<S>,
  consumer: { name: string; retries?: number; handler(ctx: ConsumerContext<z.infer<S>>): Promise<void> },
): ConsumerDefinition<z.infer<S>> {
  if (!CONSUMER_NAME.test(consumer.name))
    throw new Error(`consumer name "${consumer.name}" must match ${CONSUMER_NAME}`)
  const retries = consumer.retries ?? 3
  if (!Number.isInteger(retries) || retries < 0 || retries > 10)
    throw new Error(`consumer ${consumer.name}: retries must be an integer 0–10`)
  return { name: consumer.name, event, retries, handler: consumer.handler }
}

/** A consumer whatever its payload type (the registry's view; `handler` is a method, so this is assignable). */
export type AnyConsumerDefinition = ConsumerDefinition<unknown>
