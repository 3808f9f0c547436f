/**
 * Declarative list filters. A repository declares which query fields may filter which column, and how:
 *
 *   filters: { username: filter.like(sysUser.username), status: filter.eq(sysUser.status), dept: filter.eq(sysUser.deptId) }
 *
 * Only declared fields filter anything (a whitelist); a blank value (`undefined`, `null`, `''`, `[]`) means "no
 * filter", so optional query parameters can be passed through as they come. Values are coerced to the column's type
 * (strings from a query string become numbers, booleans or dates), though DTOs should already have done it.
 */
import { and, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

export type FilterKind = 'eq' | 'like' | 'prefix' | 'in' | 'range' | 'custom'

export interface FilterSpec {
  readonly kind: FilterKind
  /** The condition for `value`, or undefined when the value is blank (no filter). */
  build(value: unknown): SQL | undefined
}

/** A range filter's value: either bound may be missing; both are inclusive. */
export type RangeValue<T = unknown> =
  | { from?: T | null; to?: T | null }
  | readonly [T | null | undefined, T | null | undefined]

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
}

const TRUE = new Set(['true', '1', 'yes', 'on'])
const FALSE = new Set(['false', '0', 'no', 'off'])

/** Converts a query-string value to what the column's driver mapping expects (Date, boolean or number). */
export function coerce(column: SQLiteColumn, value: unknown): unknown {
  switch (column.columnType) {
    case 'SQLiteTimestamp':
      if (value instanceof Date) return value
      if (typeof value === 'number') return new Date(value)
      if (typeof value === 'string') {
        const date = new Date(/^\d+$/.test(value) ? Number(value) : value)
        if (Number.isNaN(date.getTime())) throw new TypeError(`not a date: ${value}`)
        return date
      }
      return value
    case 'SQLiteBoolean':
      if (typeof value === 'string') {
        const lower = value.toLowerCase()
        if (TRUE.has(lower)) return true
        if (FALSE.has(lower)) return false
      }
      if (typeof value === 'number') return value !== 0
      return value
    case 'SQLiteInteger':
    case 'SQLiteReal':
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
      return value
    default:
      return value
  }
}

/** Escapes LIKE wildcards so user input matches literally (`a_b` does not match `axb`). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`)
}

function likePattern(column: SQLiteColumn, pattern: string): SQL {
  return sql`${column} like ${pattern} escape '\\'`
}

function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
  return [value]
}

function bounds(value: unknown): [unknown, unknown] {
  if (Array.isArray(value)) return [value[0], value[1]]
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const { from, to } = value as { from?: unknown; to?: unknown }
    return [from, to]
  }
  return [value, undefined]
}

export const filter = {
  /** `column = value`. */
  eq(column: SQLiteColumn): FilterSpec {
    return { kind: 'eq', build: (v) => (isBlank(v) ? undefined : eq(column, coerce(column, v))) }
  },
  /** `column LIKE '%value%'` (wildcards in the value are escaped; SQLite LIKE ignores ASCII case). */
  like(column: SQLiteColumn): FilterSpec {
    return {
      kind: 'like',
      build: (v) => (isBlank(v) ? undefined : likePattern(column, `%${escapeLike(String(v))}%`)),
    }
  },
  /** `column LIKE 'value%'` (e.g. fba's dept phone filter). */
  prefix(column: SQLiteColumn): FilterSpec {
    return {
      kind: 'prefix',
      build: (v) => (isBlank(v) ? undefined : likePattern(column, `${escapeLike(String(v))}%`)),
    }
  },
  /** `column IN (…)`; takes an array or a comma-separated string. An empty list means "no filter". */
  in(column: SQLiteColumn): FilterSpec {
    return {
      kind: 'in',
      build: (v) => {
        if (isBlank(v)) return undefined
        const values = listOf(v)
          .filter((x) => !isBlank(x))
          .map((x) => coerce(column, x))
        return values.length ? inArray(column, values) : undefined
      },
    }
  },
  /** `from <= column <= to`; takes `{from, to}` or `[from, to]`, either bound optional. */
  range(column: SQLiteColumn): FilterSpec {
    return {
      kind: 'range',
      build: (v) => {
        if (isBlank(v)) return undefined
        const [from, to] = bounds(v)
        const conditions = [
          isBlank(from) ? undefined : gte(column, coerce(column, from)),
          isBlank(to) ? undefined : lte(column, coerce(column, to)),
        ].filter((c): c is SQL => c !== undefined)
        return conditions.length ? and(...conditions) : undefined
      },
    }
  },
  /** Anything else: `build` gets the non-blank value and returns a condition (or undefined for none). */
  custom(build: (value: unknown) => SQL | undefined): FilterSpec {
    return { kind: 'custom', build: (v) => (isBlank(v) ? undefined : build(v)) }
  },
}

/** AND of the declared filters whose values are present; fields not declared are ignored. */
export function buildFilters(
  specs: Readonly<Record<string, FilterSpec>>,
  values: Readonly<Record<string, unknown>> | undefined,
): SQL | undefined {
  if (!values) return undefined
  const conditions: SQL[] = []
  for (const [field, spec] of Object.entries(specs)) {
    if (!Object.hasOwn(values, field)) continue
    const condition = spec.build(values[field])
    if (condition) conditions.push(condition)
  }
  return conditions.length ? and(...conditions) : undefined
}
