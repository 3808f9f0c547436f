/**
 * Stand-ins for the two PostgreSQL modules drizzle-orm's dialect-neutral core imports (`sql/sql.js` asks whether a
 * value is a pg enum, `relations.js` whether it is a pg primary key), which pull ~40 modules of `pg-core` into a
 * SQLite-only Worker (wrangler.toml `[alias]`, docs/benchmarks.md "Worker bundle"). Stratum defines no pg object, so
 * both answers are always "no": `isPgEnum` says so, and `PrimaryKeyBuilder` carries pg's entity kind so that drizzle's
 * `is(value, PrimaryKeyBuilder)` stays false for every SQLite value, as with the real class.
 */
import { entityKind } from 'drizzle-orm'

export function isPgEnum(_value: unknown): boolean {
  return false
}

// biome-ignore lint/complexity/noStaticOnlyClass: drizzle's `is()` takes a class (`instanceof`, static entity kind)
export class PrimaryKeyBuilder {
  static readonly [entityKind] = 'PgPrimaryKeyBuilder'
}
