/**
 * Rows to objects as Drizzle's `mapResultRow` builds them, with the per-cell work done once per statement. Drizzle
 * works out each cell's decoder with several `is()` checks and walks its path on every row; on a 20-row list that was
 * ~10 % of the request's JavaScript time on workerd (docs/benchmarks.md, "Lists, third pass"). Here a statement's
 * selected fields become a plan (key, nested object, decoder or none) and a row is a loop over it.
 *
 * Same results as Drizzle for what a select can produce: flat fields, one level of nested objects (a join's
 * `{ dept: { id, name } }`), and a left-joined object set to null when its first column is null (Drizzle's rule,
 * read from its `joinsNotNullableMap`). Deeper paths and relational queries are left to Drizzle (`undefined`).
 */
import { Column, getTableName, is, SQL, Subquery } from 'drizzle-orm'

interface Decoder {
  mapFromDriverValue(value: unknown): unknown
}

/** A selected field as Drizzle's prepared query holds it. */
export interface SelectedField {
  path: string[]
  field: unknown
}

/** The parts of Drizzle's prepared select this reads. */
export interface MappablePrepared {
  fields?: SelectedField[]
  joinsNotNullableMap?: Record<string, boolean>
  customResultMapper?: unknown
}

export type RowMapper = (row: readonly unknown[]) => Record<string, unknown>

interface Cell {
  key: string
  /** The nested object the cell belongs to; undefined for a top-level field. */
  object: string | undefined
  /** The first cell of its nested object: creates it. */
  opens: boolean
  /** Undefined when the decoder returns what it is given (text, plain integers, counts). */
  decoder: Decoder | undefined
}

/** A nested object Drizzle sets to null when its first column (`key`) is null (a left join that found nothing). */
interface NullableObject {
  name: string
  key: string
}

/** `SQL#decoder` is marked internal in Drizzle's types; it is what Drizzle's own mapping reads. */
const sqlDecoder = (value: SQL): Decoder => (value as unknown as { decoder: Decoder }).decoder

const identity = [Column.prototype.mapFromDriverValue, sqlDecoder(new SQL([])).mapFromDriverValue]

function decoderOf(field: unknown): Decoder {
  if (is(field, Column)) return field
  if (is(field, SQL)) return sqlDecoder(field)
  if (is(field, Subquery)) return sqlDecoder(field._.sql as SQL)
  return sqlDecoder((field as { sql: SQL }).sql)
}

/** Drizzle's blob normalisation (its libSQL session's `normalizeFieldValue`): a Buffer where there is one. */
function normalize(value: unknown): unknown {
  if (!(value instanceof ArrayBuffer)) return value
  if (typeof Buffer !== 'undefined') return Buffer.from(value)
  return new TextDecoder().decode(value)
}

const plans = new WeakMap<SelectedField[], RowMapper | null>()

/** A mapper for `prepared`'s rows, or undefined when Drizzle must map them itself. Built once per field list. */
export function rowMapperOf(prepared: MappablePrepared): RowMapper | undefined {
  const { fields, customResultMapper } = prepared
  if (!fields || customResultMapper) return undefined
  let mapper = plans.get(fields)
  if (mapper === undefined) {
    mapper = compile(fields, prepared.joinsNotNullableMap)
    plans.set(fields, mapper)
  }
  return mapper ?? undefined
}

function compile(fields: SelectedField[], joinsNotNullable: Record<string, boolean> | undefined): RowMapper | null {
  const cells: Cell[] = []
  const opened = new Set<string>()
  const flat = new Set<string>()
  /** Per nested object: its first column's key and table, or false once its columns span tables. */
  const firstColumn = new Map<string, { key: string; table: string } | false>()
  for (const { path, field } of fields) {
    if (path.length > 2) return null
    const [head = '', tail] = path
    const object = tail === undefined ? undefined : head
    const key = tail ?? head
    // A top-level key that is also a nested object's name: Drizzle merges them; leave that to Drizzle.
    if (object === undefined ? opened.has(key) : flat.has(object)) return null
    if (object === undefined) flat.add(key)
    const decoder = decoderOf(field)
    cells.push({
      key,
      object,
      opens: object !== undefined && !opened.has(object),
      decoder: identity.includes(decoder.mapFromDriverValue) ? undefined : decoder,
    })
    if (object === undefined) continue
    opened.add(object)
    if (!is(field, Column)) continue
    const table = getTableName(field.table)
    const first = firstColumn.get(object)
    if (first === undefined) firstColumn.set(object, { key, table })
    else if (first && first.table !== table) firstColumn.set(object, false)
  }
  const nullable: NullableObject[] = []
  if (joinsNotNullable) {
    for (const [name, first] of firstColumn) {
      if (first && !joinsNotNullable[first.table]) nullable.push({ name, key: first.key })
    }
  }
  return (row) => {
    const result: Record<string, unknown> = {}
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as Cell
      const raw = row[i]
      let value: unknown = null
      if (raw !== null) {
        // Only a blob arrives as an object.
        const driverValue = typeof raw === 'object' ? normalize(raw) : raw
        value = cell.decoder ? cell.decoder.mapFromDriverValue(driverValue) : driverValue
      }
      if (cell.object === undefined) result[cell.key] = value
      else {
        if (cell.opens) result[cell.object] = {}
        ;(result[cell.object] as Record<string, unknown>)[cell.key] = value
      }
    }
    for (const { name, key } of nullable) {
      if ((result[name] as Record<string, unknown>)[key] === null) result[name] = null
    }
    return result
  }
}
