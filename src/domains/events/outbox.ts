/**
 * Emitting: the outbox row is one more statement of the caller's own `db.batch`, so the event is committed with the
 * change that caused it and costs no extra round trip:
 *
 *   const events = eventsOf(c)            // in the route, handed to the service with its other deps
 *   await db.batch([repo.deleteQuery(id), events.emit(db, userDeleted, { user_id: id }, `user:${id}`)])
 *
 * After the response the app publishes what the request emitted; the cron sweep catches anything left behind.
 *
 * The payload is checked against the event's schema here: a wrong payload is a bug in the emitting code, found in
 * its own tests, never a delivery that fails later.
 */
import type { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../http/context'
import type { RepositoryDb } from '../../infra/db/repository'
import type { EventDefinition } from './define'
import { eventOutbox } from './schema'

export function emitQuery<S extends z.ZodType>(
  db: RepositoryDb,
  event: EventDefinition<S>,
  payload: z.input<S>,
  aggregate?: string,
) {
  const parsed = event.payload.parse(payload)
  return db.insert(eventOutbox).values({
    eventId: crypto.randomUUID(),
    name: event.name,
    payload: parsed,
    aggregate: aggregate ?? null,
  })
}

/**
 * A request's view of the outbox: `emit` builds the insert for the caller's batch and remembers that the request
 * emitted, so the app publishes right after the response (src/app/app.ts). Services get it in their deps.
 */
export class EventSink {
  written = false

  emit<S extends z.ZodType>(db: RepositoryDb, event: EventDefinition<S>, payload: z.input<S>, aggregate?: string) {
    this.written = true
    return emitQuery(db, event, payload, aggregate)
  }
}

declare module '../../http/context' {
  interface Variables {
    /** This request's outbox sink, created on first use (`eventsOf(c)`). */
    events?: EventSink
  }
}

/** The request's event sink (one per request, created on first use). */
export function eventsOf(c: Context<AppEnv>): EventSink {
  let sink = c.get('events')
  if (!sink) {
    sink = new EventSink()
    c.set('events', sink)
  }
  return sink
}
