/**
 * THE type mapping of the code generator, in one table: a column type as the admin UI lists it
 * (`GET /code-generation/columns/types`) ↔ the SQLite/libSQL declared types it is read from ↔ the Drizzle column the
 * generated `schema.ts` declares ↔ the zod schema the generated `dto.ts` validates with ↔ the TypeScript type of a
 * row's value ↔ fba's `pd_type` (shown by the column detail). Everything else in the generator looks types up here.
 *
 * Conventions follow src/infra/db/columns.ts: datetimes are epoch milliseconds in an INTEGER (`timestamp_ms`),
 * booleans are INTEGER 0/1. BLOB has no JSON form in an admin API, so it is listed (the catalogue shows it) but
 * generating a module with one is refused with a clear error.
 */
import { str } from './literal'

export interface ColumnTypeMapping {
  /** The name the admin UI shows and `gen_column.type` stores. */
  name: string
  /** Declared SQLite types (upper case, without length) read as this type on import. */
  declared: readonly string[]
  /** Drizzle builder imported from `drizzle-orm/sqlite-core` and its mode options (`{name}` is the SQL name). */
  drizzle: { builder: 'integer' | 'real' | 'text' | 'numeric'; options?: string; length?: boolean }
  /** zod for a body field (`{max}` is the column length when it has one). */
  zod: string
  /** zod for an equality list filter from the query string, or undefined when the type is not filterable. */
  filter?: 'eq-int' | 'eq-bool' | 'like'
  /** How a row value becomes a response value: `value` as is, `datetime` through formatDateTime. */
  output: 'value' | 'datetime'
  /** The response's zod (what the detail schema declares). */
  response: string
  /** A sample JSON value for the generated test's create body. */
  sample: (column: string, length: number) => string
  /** fba's `pd_type`. */
  pdType: string
  /** Why the type cannot be generated, when it cannot. */
  unsupported?: string
}

const text = (column: string, length: number) => str(`${column} 1`.slice(0, length || undefined))

export const COLUMN_TYPES: readonly ColumnTypeMapping[] = [
  {
    name: 'BIGINT',
    declared: ['BIGINT', 'INT8', 'UNSIGNED BIG INT'],
    drizzle: { builder: 'integer' },
    zod: 'z.number().int()',
    filter: 'eq-int',
    output: 'value',
    response: 'z.number().int()',
    sample: () => '7',
    pdType: 'int',
  },
  {
    name: 'BLOB',
    declared: ['BLOB', 'BINARY', 'VARBINARY'],
    drizzle: { builder: 'text' },
    zod: 'z.never()',
    output: 'value',
    response: 'z.never()',
    sample: () => 'null',
    pdType: 'bytes',
    unsupported: 'BLOB columns have no JSON form in an admin API; store a file URL or base64 TEXT instead',
  },
  {
    name: 'BOOLEAN',
    declared: ['BOOLEAN', 'BOOL'],
    drizzle: { builder: 'integer', options: "{ mode: 'boolean' }" },
    zod: 'z.boolean()',
    filter: 'eq-bool',
    output: 'value',
    response: 'z.boolean()',
    sample: () => 'true',
    pdType: 'bool',
  },
  {
    name: 'DATE',
    declared: ['DATE'],
    drizzle: { builder: 'text', length: false },
    zod: 'z.iso.date()',
    output: 'value',
    response: 'z.string()',
    sample: () => str('2026-05-16'),
    pdType: 'date',
  },
  {
    name: 'DATETIME',
    declared: ['DATETIME', 'TIMESTAMP'],
    drizzle: { builder: 'integer', options: "{ mode: 'timestamp_ms' }" },
    zod: 'dateTimeText()',
    output: 'datetime',
    response: 'z.string()',
    sample: () => str('2026-05-16 12:00:00'),
    pdType: 'datetime',
  },
  {
    name: 'DECIMAL',
    declared: ['DECIMAL', 'NUMERIC'],
    drizzle: { builder: 'numeric' },
    zod: 'decimalText()',
    output: 'value',
    response: 'z.string()',
    sample: () => str('12.5'),
    pdType: 'Decimal',
  },
  {
    name: 'DOUBLE',
    declared: ['DOUBLE', 'DOUBLE PRECISION', 'FLOAT', 'REAL'],
    drizzle: { builder: 'real' },
    zod: 'z.number()',
    output: 'value',
    response: 'z.number()',
    sample: () => '1.5',
    pdType: 'float',
  },
  {
    name: 'INTEGER',
    declared: ['INTEGER', 'INT', 'SMALLINT', 'TINYINT', 'MEDIUMINT'],
    drizzle: { builder: 'integer' },
    zod: 'z.number().int()',
    filter: 'eq-int',
    output: 'value',
    response: 'z.number().int()',
    sample: () => '1',
    pdType: 'int',
  },
  {
    name: 'TEXT',
    declared: ['TEXT', 'CLOB', 'JSON'],
    drizzle: { builder: 'text' },
    zod: 'z.string()',
    filter: 'like',
    output: 'value',
    response: 'z.string()',
    sample: text,
    pdType: 'str',
  },
  {
    name: 'VARCHAR',
    declared: ['VARCHAR', 'CHAR', 'CHARACTER', 'NCHAR', 'NVARCHAR', 'VARYING CHARACTER', 'NATIVE CHARACTER'],
    drizzle: { builder: 'text', length: true },
    zod: 'z.string().max({max})',
    filter: 'like',
    output: 'value',
    response: 'z.string()',
    sample: text,
    pdType: 'str',
  },
]

/** The names `GET /code-generation/columns/types` lists (sorted, as fba sorts its enum's names). */
export const COLUMN_TYPE_NAMES: readonly string[] = COLUMN_TYPES.map((t) => t.name).sort()

const BY_NAME = new Map(COLUMN_TYPES.map((t) => [t.name, t]))

/** The mapping of a stored type name (case-insensitive), or undefined. */
export function columnType(name: string): ColumnTypeMapping | undefined {
  return BY_NAME.get(name.toUpperCase())
}

/**
 * The type a declared SQLite column type is imported as, with its length: `VARCHAR(64)` → VARCHAR, 64. Unknown
 * declared types follow SQLite's affinity rules (https://sqlite.org/datatype3.html §3.1), so every column of a real
 * table imports; an empty declared type (affinity BLOB) imports as BLOB, which generation then refuses.
 */
export function importedType(declared: string): { type: string; length: number } {
  const match = /^\s*([A-Za-z][A-Za-z ]*?)\s*(?:\(\s*(\d+)(?:\s*,\s*\d+)?\s*\))?\s*$/.exec(declared)
  const base = (match?.[1] ?? declared).toUpperCase()
  const length = match?.[2] ? Number(match[2]) : 0
  const known = COLUMN_TYPES.find((t) => t.declared.includes(base))
  if (known) return { type: known.name, length: known.name === 'VARCHAR' ? length : 0 }
  if (base.includes('INT')) return { type: 'INTEGER', length: 0 }
  if (/CHAR|CLOB|TEXT/.test(base)) return { type: length ? 'VARCHAR' : 'TEXT', length }
  if (base === '' || base.includes('BLOB')) return { type: 'BLOB', length: 0 }
  if (/REAL|FLOA|DOUB/.test(base)) return { type: 'DOUBLE', length: 0 }
  return { type: 'DECIMAL', length: 0 }
}
