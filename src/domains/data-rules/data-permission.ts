/**
 * The data-permission engine (docs/fba-compatibility.md, "Data permissions"): turns the data rules a user holds into
 * one SQL condition for a table, which the repository layer AND-s into its reads, updates and deletes
 * (`Repository.list/all/get/update/delete…(…, { permission })`). Routes over a table's records declare it
 * (`scopedRecords`, ./scoped-records.ts), so a record outside the condition is a 404 on every one of them.
 *
 *   const permission = dataPermission(c, sysDept)      // from the cached auth snapshot, no database query
 *   await depts.all({ delFlag: false }, { permission })
 *
 * Semantics, in order:
 *   1. superuser → unrestricted (undefined);
 *   2. any enabled role with `is_filter_scopes = false` → unrestricted;
 *   3. no rules (from enabled scopes of enabled roles) → FALSE, no rows;
 *   4. each rule that targets the table (`model` is `__ALL__`, the table's model name or its table name) and whose
 *      column the table has becomes a comparison, the value cast to the column's type;
 *   5. AND-rules (operator 0) are AND-ed, OR-rules (1) OR-ed, result `(AND-group) OR (OR-group)`; rules exist but none
 *      applies to this table → unrestricted.
 *
 * Naming: a table's model name is its table name without the `sys_` prefix in PascalCase (`sys_dept` → `Dept`,
 * `sys_login_log` → `LoginLog`); rules may name either form. Column names are SQL names (`parent_id`). Column
 * templates: `__created_by__` → `created_by`; `__dept_id__` → `dept_id`, except on the department table itself where
 * it is the department's own `id` (so "department id equals my department" means the same row there).
 * Value templates: `${user_id}`, `${dept_id}` (the user's department; none → the comparison is false), `${now}`.
 * A value that cannot be cast to the column's type makes its comparison false (fail closed, never a 500).
 */
import {
  and,
  eq,
  getTableColumns,
  getTableName,
  gt,
  gte,
  inArray,
  lt,
  lte,
  ne,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Context } from 'hono'
import { formatDateTime } from '../../core/datetime'
import type { AppEnv } from '../../http/context'
import type { AuthDataRule } from '../auth/auth-user'
import { sysDept } from '../depts/schema'
import { RuleExpression, RuleOperator, RuleVariable } from './schema'

/** The model name that makes a rule apply to every table having its column. */
export const ALL_MODELS = '__ALL__'

export const COLUMN_TEMPLATES = { deptId: '__dept_id__', createdBy: '__created_by__' } as const

/** Columns a rule may not name directly (fba's `DATA_PERMISSION_COLUMN_EXCLUDE`). */
export const EXCLUDED_COLUMNS: readonly string[] = ['id', 'sort', 'del_flag', 'created_time', 'updated_time']

/** Always false / always true, as SQL (a fresh object each time: Drizzle SQL objects are not meant to be shared). */
export const sqlFalse = (): SQL => sql`1 = 0`
export const sqlTrue = (): SQL => sql`1 = 1`

/** What the engine needs to know about a user (a subset of the cached `AuthUser`). */
export interface DataPermissionSubject {
  id: number
  deptId: number | null
  isSuperuser: boolean
  roles: readonly { status: number; isFilterScopes: boolean }[]
  /** Rules of enabled scopes of enabled roles; missing (an older snapshot) counts as none. */
  dataRules?: readonly AuthDataRule[] | undefined
}

export interface DataPermissionOptions {
  /** The value of `${now}` (default: the current time). */
  now?: Date
}

/** `sys_dept` → `Dept`, `sys_login_log` → `LoginLog`, `gen_business` → `GenBusiness`. */
export function modelNameOf(tableName: string): string {
  return tableName
    .replace(/^sys_/, '')
    .split('_')
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
}

export const modelName = (table: SQLiteTable): string => modelNameOf(getTableName(table))

/** Whether a rule's `model` targets this table (`__ALL__`, the model name or the table name). */
export function ruleTargets(model: string, table: SQLiteTable): boolean {
  if (model === ALL_MODELS) return true
  const tableName = getTableName(table)
  return model === tableName || model === modelNameOf(tableName)
}

/** The SQL column a rule's `column` means on this table, or undefined when the rule does not apply to it. */
export function resolveColumn(table: SQLiteTable, column: string): SQLiteColumn | undefined {
  const byName = new Map(Object.values(getTableColumns(table) as Record<string, SQLiteColumn>).map((c) => [c.name, c]))
  if (column === COLUMN_TEMPLATES.deptId) {
    return getTableName(table) === getTableName(sysDept) ? byName.get('id') : byName.get('dept_id')
  }
  if (column === COLUMN_TEMPLATES.createdBy) return byName.get('created_by')
  if (EXCLUDED_COLUMNS.includes(column)) return undefined
  return byName.get(column)
}

/** Superusers and holders of an enabled role that does not filter by scopes see everything. */
export function isUnrestricted(subject: DataPermissionSubject): boolean {
  return subject.isSuperuser || subject.roles.some((r) => r.status === 1 && !r.isFilterScopes)
}

const INVALID = Symbol('invalid')
type Cast = unknown | typeof INVALID

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on'])
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off'])

/** A raw rule value (one item of a list): a template's value, or the text itself. */
function resolveTemplate(raw: string, subject: DataPermissionSubject, now: Date): unknown {
  switch (raw.trim()) {
    case RuleVariable.userId:
      return subject.id
    case RuleVariable.deptId:
      return subject.deptId
    case RuleVariable.now:
      return now
    default:
      return raw
  }
}

/** Casts a resolved value to what the column's Drizzle mapping expects, or INVALID. */
function castTo(column: SQLiteColumn, value: unknown): Cast {
  if (value === null || value === undefined) return INVALID
  switch (column.columnType) {
    case 'SQLiteBoolean': {
      if (typeof value === 'boolean') return value
      if (typeof value === 'number') return value !== 0
      if (typeof value !== 'string') return INVALID
      const word = value.trim().toLowerCase()
      if (TRUE_WORDS.has(word)) return true
      if (FALSE_WORDS.has(word)) return false
      return INVALID
    }
    case 'SQLiteTimestamp': {
      const date =
        value instanceof Date ? value : typeof value === 'number' ? new Date(value) : parseDate(String(value))
      return Number.isNaN(date.getTime()) ? INVALID : date
    }
    case 'SQLiteInteger':
    case 'SQLiteReal':
    case 'SQLiteNumeric': {
      if (value instanceof Date) return value.getTime()
      if (typeof value === 'boolean') return value ? 1 : 0
      const n =
        typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : Number.NaN
      if (!Number.isFinite(n)) return INVALID
      return column.columnType === 'SQLiteInteger' && !Number.isInteger(n) ? INVALID : n
    }
    default:
      if (value instanceof Date) return formatDateTime(value)
      return String(value)
  }
}

/**
 * Epoch milliseconds, or a date/datetime string; one without a zone (`2026-05-16 12:00:00`, the wire format) is UTC,
 * Stratum's timezone.
 */
function parseDate(value: string): Date {
  const text = value.trim()
  if (/^\d+$/.test(text)) return new Date(Number(text))
  const local = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)$/.exec(text)
  return new Date(local ? `${local[1]}T${local[2]}Z` : text)
}

/** One rule's comparison on one column. */
function comparison(column: SQLiteColumn, rule: AuthDataRule, subject: DataPermissionSubject, now: Date): SQL {
  const { expression, value } = rule
  if (expression === RuleExpression.in || expression === RuleExpression.notIn) {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => castTo(column, resolveTemplate(item, subject, now)))
    if (items.some((item) => item === INVALID)) return sqlFalse()
    if (!items.length) return expression === RuleExpression.in ? sqlFalse() : sqlTrue()
    return expression === RuleExpression.in ? inArray(column, items) : notInArray(column, items)
  }
  const cast = castTo(column, resolveTemplate(value, subject, now))
  if (cast === INVALID) return sqlFalse()
  switch (expression) {
    case RuleExpression.eq:
      return eq(column, cast)
    case RuleExpression.ne:
      return ne(column, cast)
    case RuleExpression.gt:
      return gt(column, cast)
    case RuleExpression.ge:
      return gte(column, cast)
    case RuleExpression.lt:
      return lt(column, cast)
    case RuleExpression.le:
      return lte(column, cast)
    default:
      return sqlFalse()
  }
}

/**
 * The data-permission condition of `subject` for `table`: undefined = unrestricted, otherwise SQL to AND into the
 * query (see the module comment for the rules).
 */
export function buildDataPermission(
  subject: DataPermissionSubject,
  table: SQLiteTable,
  options: DataPermissionOptions = {},
): SQL | undefined {
  if (isUnrestricted(subject)) return undefined
  const rules = subject.dataRules ?? []
  if (!rules.length) return sqlFalse()
  const now = options.now ?? new Date()
  const andGroup: SQL[] = []
  const orGroup: SQL[] = []
  for (const rule of rules) {
    if (!ruleTargets(rule.model, table)) continue
    const column = resolveColumn(table, rule.column)
    if (!column) continue
    const condition = comparison(column, rule, subject, now)
    if (rule.operator === RuleOperator.or) orGroup.push(condition)
    else andGroup.push(condition)
  }
  const groups = [and(...andGroup), or(...orGroup)].filter((g): g is SQL => g !== undefined)
  if (!groups.length) return undefined
  return groups.length === 1 ? groups[0] : or(...groups)
}

/**
 * The caller's data-permission condition for `table`, from the cached auth snapshot (`c.get('user')`). Without an
 * authenticated user nothing is visible (FALSE).
 */
export function dataPermission(
  c: Context<AppEnv>,
  table: SQLiteTable,
  options?: DataPermissionOptions,
): SQL | undefined {
  const user = c.get('user')
  if (!user) return sqlFalse()
  return buildDataPermission(user, table, options)
}
