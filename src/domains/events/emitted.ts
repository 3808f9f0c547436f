/**
 * Completing the event that the statement just before emitted, inside the same `db.batch` (no round trip): right
 * after `events.emit(…)`, SQLite's `last_insert_rowid()` is that outbox row's id (the batch runs on one connection).
 *
 * - A "created" event carries the id the database gives the new row, unknown until the batch runs: emit it with
 *   `NEW_ROW_ID` where the id goes, after the row's insert, and follow the emit with
 *   `fillEmitted(db, { user_id: newRowId(sysUser) }, aggregateOf('user', newRowId(sysUser)))`. Every table's id is
 *   AUTOINCREMENT (infra/db/columns.ts), so inside the batch's transaction the newest row's id is `max(id)`.
 * - An event about a row the write may not find (an update answered 404 by its result, a delete of several ids where
 *   unknown ones are no error) is kept only when the row is there: `keepEmittedIf(db, exists(…))` right after the emit.
 *   An event exists if and only if its write changed something.
 *
 * Each helper must come right after its emit: another insert in between moves `last_insert_rowid()`.
 */
import { and, eq, not, type SQL, sql } from 'drizzle-orm'
import type { RepositoryDb, TableWithId } from '../../infra/db/repository'
import { eventOutbox } from './schema'

/** The placeholder of an id the batch fills in (`fillEmitted`); never seen by a consumer. */
export const NEW_ROW_ID = 0

const lastEmitted = sql`last_insert_rowid()`

/** The id of the row the batch just inserted into `table` (AUTOINCREMENT: the largest). */
export const newRowId = (table: TableWithId): SQL => sql`(select max(${table.id}) from ${table})`

/** `<kind>:<id>` for an id known only inside the batch. */
export const aggregateOf = (kind: string, id: SQL): SQL => sql`${`${kind}:`} || ${id}`

/**
 * Sets top-level payload fields of the event emitted just before to values computed by the database (a new row's id,
 * names read inside the batch); with `aggregate`, its aggregate too. A value meant as JSON (an array) goes in `json(…)`.
 */
export function fillEmitted(db: RepositoryDb, fields: Readonly<Record<string, SQL>>, aggregate?: SQL) {
  const pairs = Object.entries(fields).map(([field, value]) => sql`${`$.${field}`}, ${value}`)
  return db
    .update(eventOutbox)
    .set({
      payload: sql`json_set(${eventOutbox.payload}, ${sql.join(pairs, sql`, `)})`,
      ...(aggregate ? { aggregate } : {}),
    })
    .where(eq(eventOutbox.id, lastEmitted))
}

/** Drops the event emitted just before unless `condition` holds when the batch runs. */
export function keepEmittedIf(db: RepositoryDb, condition: SQL) {
  return db.delete(eventOutbox).where(and(eq(eventOutbox.id, lastEmitted), not(condition)))
}
