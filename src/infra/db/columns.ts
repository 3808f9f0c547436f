/**
 * Column helpers shared by every table, so the conventions live in one place:
 * - `id`: `INTEGER PRIMARY KEY AUTOINCREMENT` (ids are never reused after a delete);
 * - datetimes: epoch milliseconds in an INTEGER, read as a JS `Date` (`mode: 'timestamp_ms'`);
 * - `created_time`: set on insert (by Drizzle, with a SQL default as a fallback for raw inserts);
 * - `updated_time`: NULL until the row is first updated; the repository sets it on every update.
 * Column names are explicit snake_case (fba's names), so queries don't depend on the driver's `casing` option.
 */
import { sql } from 'drizzle-orm'
import { integer } from 'drizzle-orm/sqlite-core'

/** Current time in epoch ms, in SQL: the database default behind `$defaultFn(() => new Date())`. */
export const SQL_NOW_MS = sql`(cast((julianday('now') - 2440587.5) * 86400000 as integer))`

export const now = (): Date => new Date()

/** Integer autoincrement primary key. */
export const id = () => integer('id').primaryKey({ autoIncrement: true })

/** A datetime column (epoch ms ↔ `Date`). */
export const datetime = (name: string) => integer(name, { mode: 'timestamp_ms' })

/** `created_time`: NOT NULL, defaults to now. */
export const createdTime = () => datetime('created_time').notNull().$defaultFn(now).default(SQL_NOW_MS)

/** `updated_time`: NULL until the first update (set by `Repository.update`/`updateQuery`). */
export const updatedTime = () => datetime('updated_time')

/** `created_time` + `updated_time`, spread into a table definition. */
export const timestamps = () => ({ createdTime: createdTime(), updatedTime: updatedTime() })

/** An INTEGER column read as a boolean (stored 0/1). */
export const bool = (name: string) => integer(name, { mode: 'boolean' })
