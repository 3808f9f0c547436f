/**
 * What a data rule may name (contract §2.6, §7.1 "Data permission"): the models (every Drizzle table in
 * `infra/db/schema.ts` minus the data-permission tables themselves), each model's columns, and the template
 * variables. Model names are class-like, derived from the table name (`sys_dept` → `Dept`, see
 * `core/data-permission.ts`); the table name (`sys_dept`) is accepted as an alias wherever a model is looked up.
 */
import { getTableColumns, getTableName, is } from 'drizzle-orm'
import { type SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { ALL_MODELS, COLUMN_TEMPLATES, EXCLUDED_COLUMNS, modelNameOf } from '../../core/data-permission'
import { type Lang, t } from '../../core/i18n'
import * as schema from '../../infra/db/schema'
import { RuleVariable } from './schema'

export interface TemplateVariable {
  key: string
  comment: string
}

/** Models a rule may not target (fba's `DATA_PERMISSION_MODEL_EXCLUDE`: the rule/scope tables and their links). */
export const EXCLUDED_MODELS: readonly string[] = ['DataScope', 'DataRule', 'DataScopeRule', 'RoleDataScope']

/** Every table of the schema, by model name (first export wins; a table exported twice counts once). */
const TABLES: ReadonlyMap<string, SQLiteTable> = (() => {
  const tables = new Map<string, SQLiteTable>()
  for (const value of Object.values(schema)) {
    if (!is(value, SQLiteTable)) continue
    const name = modelNameOf(getTableName(value))
    if (!tables.has(name) && !EXCLUDED_MODELS.includes(name)) tables.set(name, value)
  }
  return tables
})()

/** `['__ALL__', …model names]`, model names sorted. */
export function dataRuleModels(): string[] {
  return [ALL_MODELS, ...[...TABLES.keys()].sort()]
}

/** The table behind a model name or table name (excluded models are unknown). */
export function findModelTable(model: string): SQLiteTable | undefined {
  const byModel = TABLES.get(model)
  if (byModel) return byModel
  for (const table of TABLES.values()) if (getTableName(table) === model) return table
  return undefined
}

export const isKnownModel = (model: string): boolean => model === ALL_MODELS || findModelTable(model) !== undefined

export function columnTemplateVariables(lang: Lang): TemplateVariable[] {
  return [
    { key: COLUMN_TEMPLATES.deptId, comment: t(lang, 'data_rule.template.dept_id') },
    { key: COLUMN_TEMPLATES.createdBy, comment: t(lang, 'data_rule.template.created_by') },
  ]
}

export function valueTemplateVariables(lang: Lang): TemplateVariable[] {
  return [
    { key: RuleVariable.userId, comment: t(lang, 'data_rule.template.user_id') },
    { key: RuleVariable.deptId, comment: t(lang, 'data_rule.template.user_dept_id') },
    { key: RuleVariable.now, comment: t(lang, 'data_rule.template.now') },
  ]
}

/**
 * The columns a rule on `model` may name: the table's SQL column names minus the excluded ones, then the column
 * templates; for `__ALL__` only the templates. Undefined for an unknown model. Drizzle tables carry no column
 * comments, so a column's comment is its name.
 */
export function modelColumns(model: string, lang: Lang): TemplateVariable[] | undefined {
  if (model === ALL_MODELS) return columnTemplateVariables(lang)
  const table = findModelTable(model)
  if (!table) return undefined
  const columns = Object.values(getTableColumns(table) as Record<string, SQLiteColumn>)
    .map((c) => c.name)
    .filter((name) => !EXCLUDED_COLUMNS.includes(name))
    .map((name) => ({ key: name, comment: name }))
  return [...columns, ...columnTemplateVariables(lang)]
}

/** Whether `column` is one `modelColumns(model)` offers. */
export function isKnownColumn(model: string, column: string): boolean {
  if (column === COLUMN_TEMPLATES.deptId || column === COLUMN_TEMPLATES.createdBy) return isKnownModel(model)
  if (model === ALL_MODELS || EXCLUDED_COLUMNS.includes(column)) return false
  const table = findModelTable(model)
  if (!table) return false
  return Object.values(getTableColumns(table) as Record<string, SQLiteColumn>).some((c) => c.name === column)
}
