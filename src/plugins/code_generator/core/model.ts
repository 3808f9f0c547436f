/**
 * From a spec to the names and column facts every template reads, checked once: a spec the generator cannot turn
 * into code a reviewer would accept throws `CodegenError` here, naming the business or column and what to change.
 */
import { type ColumnTypeMapping, columnType } from './column-types'
import { COLUMN_NAME, camel, constant, identifier, kebab, pascal, RESERVED_PROPERTIES, snake, words } from './naming'
import { CodegenError, type GenBusinessSpec, type GenColumnSpec } from './spec'

export interface ModelColumn {
  /** The SQL column name, as the table has it. */
  sql: string
  /** The Drizzle property (camelCase). */
  prop: string
  /** The wire name (snake_case, fba's style). */
  wire: string
  /** Human words for descriptions: `unit price`. */
  label: string
  type: ColumnTypeMapping
  length: number
  nullable: boolean
  default: string | null
  comment: string | null
}

export interface Model {
  spec: GenBusinessSpec
  /** Folder under src/domains and test/domains, and the module name: `shop-order`. */
  folder: string
  /** The Drizzle table's export: `shopOrder`. */
  table: string
  /** Row type and class prefix: `ShopOrder`. */
  className: string
  /** DTO component prefix (fba's schema_name): `ShopOrder`. */
  schemaName: string
  /** Constants prefix: `SHOP_ORDER`. */
  constName: string
  /** camelCase stem for functions and the module: `shopOrder`. */
  stem: string
  /** URL path under `/api/<version>`: `/shop/shop-order`. */
  path: string
  /** Permission code prefix: `shop:shop_order`. */
  permPrefix: string
  /** i18n key of "not found": `shop_order.not_found`. */
  notFoundKey: string
  /** Human words: `shop order`. */
  label: string
  version: 'v1' | 'v2'
  timestamps: boolean
  columns: ModelColumn[]
}

const MIXIN_COLUMNS = new Set(['created_time', 'updated_time'])
const INTEGER_PK = new Set(['INTEGER', 'BIGINT'])

function checkPk(spec: GenBusinessSpec): GenColumnSpec[] {
  const pks = spec.columns.filter((c) => c.is_pk)
  if (pks.length > 1)
    throw new CodegenError(
      `${spec.table_name}: composite primary keys (${pks.map((c) => c.name).join(', ')}) are not supported; ` +
        'give the table an integer primary key named id',
    )
  const [pk] = pks
  if (pk && (pk.name !== 'id' || !INTEGER_PK.has(pk.type.toUpperCase())))
    throw new CodegenError(
      `${spec.table_name}.${pk.name}: the primary key must be an INTEGER column named id (Stratum's repositories ` +
        `address rows by id); got ${pk.type} ${pk.name}`,
    )
  return spec.columns.filter((c) => !c.is_pk && c.name !== 'id')
}

function modelColumn(spec: GenBusinessSpec, column: GenColumnSpec): ModelColumn {
  const where = `${spec.table_name}.${column.name}`
  if (!COLUMN_NAME.test(column.name))
    throw new CodegenError(`${where}: a column name must start with a letter and hold only letters, digits and _`)
  const type = columnType(column.type)
  if (!type) throw new CodegenError(`${where}: unsupported column type ${column.type}`)
  if (type.unsupported) throw new CodegenError(`${where}: ${type.unsupported}`)
  const prop = camel(column.name)
  if (RESERVED_PROPERTIES.has(prop)) throw new CodegenError(`${where}: ${prop} cannot be a property name`)
  return {
    sql: column.name,
    prop,
    wire: snake(column.name),
    label: words(column.name).join(' '),
    type,
    length: type.drizzle.length ? column.length : 0,
    nullable: column.is_nullable,
    default: column.default ?? null,
    comment: column.comment ?? null,
  }
}

/** Two columns must not meet as one property or one wire field (`user_id` and `userId`). */
function checkClashes(spec: GenBusinessSpec, columns: ModelColumn[]): void {
  const taken = new Map<string, string>([['id', 'id']])
  if (spec.datetime_mixin) for (const mixin of MIXIN_COLUMNS) taken.set(camel(mixin), mixin)
  for (const column of columns) {
    for (const key of new Set([column.prop, column.wire])) {
      const other = taken.get(key)
      if (other !== undefined)
        throw new CodegenError(
          `${spec.table_name}: columns ${other} and ${column.sql} both become ${key}; rename one of them`,
        )
      taken.set(key, column.sql)
    }
  }
}

/** The checked model of `spec`; throws `CodegenError` when it cannot be generated. */
export function buildModel(spec: GenBusinessSpec): Model {
  const base = spec.filename ?? spec.table_name
  if (!words(base).length) throw new CodegenError(`${spec.table_name}: the file name has no letters`)
  const className = spec.class_name ? pascal(spec.class_name) : pascal(base)
  const columns = checkPk(spec)
    // The datetime mixin declares these two itself (src/infra/db/columns.ts `timestamps()`).
    .filter((c) => !(spec.datetime_mixin && MIXIN_COLUMNS.has(c.name)))
    .sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0))
    .map((c) => modelColumn(spec, c))
  if (!columns.length) throw new CodegenError(`${spec.table_name}: no columns besides the primary key to generate`)
  checkClashes(spec, columns)
  return {
    spec,
    folder: kebab(base),
    table: identifier(camel(spec.table_name), 'Table'),
    className: identifier(className, 'Row'),
    schemaName: spec.schema_name ? pascal(spec.schema_name) : className,
    constName: constant(base),
    stem: camel(base),
    path: `/${kebab(spec.app_name)}/${kebab(base)}`,
    permPrefix: `${snake(spec.app_name)}:${snake(base)}`,
    notFoundKey: `${snake(base)}.not_found`,
    label: words(base).join(' '),
    version: spec.api_version,
    timestamps: spec.datetime_mixin,
    columns,
  }
}
