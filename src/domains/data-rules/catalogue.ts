/**
 * What a data rule may name (docs/fba-compatibility.md, "Data permissions"): the models (every domain table the app
 * lists, minus the data-permission tables themselves), each model's columns, and the template variables. Model
 * names are class-like, derived from the table name (`sys_dept` → `Dept`, see ./data-permission.ts); the table name
 * (`sys_dept`) is accepted as an alias wherever a model is looked up. The app builds the catalogue once from its
 * module list (src/app/domains.ts) and hands it to the data-rule routes.
 */
import { getTableColumns, getTableName, is } from 'drizzle-orm'
import { type SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { type Lang, t } from '../../core/i18n'
import { ALL_MODELS, COLUMN_TEMPLATES, EXCLUDED_COLUMNS, modelNameOf } from './data-permission'
import { RuleVariable } from './schema'

export interface TemplateVariable {
  key: string
  comment: string
}

/** Models a rule may not target (fba's `DATA_PERMISSION_MODEL_EXCLUDE`: the rule/scope tables and their links). */
export const EXCLUDED_MODELS: readonly string[] = ['DataScope', 'DataRule', 'DataScopeRule', 'RoleDataScope']

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

/** The models and columns of one app's tables. */
export class ModelCatalogue {
  /** Tables by model name (first wins; a table listed twice counts once). */
  private readonly tables = new Map<string, SQLiteTable>()

  constructor(tables: Readonly<Record<string, unknown>>) {
    for (const value of Object.values(tables)) {
      if (!is(value, SQLiteTable)) continue
      const name = modelNameOf(getTableName(value))
      if (!this.tables.has(name) && !EXCLUDED_MODELS.includes(name)) this.tables.set(name, value)
    }
  }

  /** `['__ALL__', …model names]`, model names sorted. */
  models(): string[] {
    return [ALL_MODELS, ...[...this.tables.keys()].sort()]
  }

  /** The table behind a model name or table name (excluded models are unknown). */
  findTable(model: string): SQLiteTable | undefined {
    const byModel = this.tables.get(model)
    if (byModel) return byModel
    for (const table of this.tables.values()) if (getTableName(table) === model) return table
    return undefined
  }

  isKnownModel(model: string): boolean {
    return model === ALL_MODELS || this.findTable(model) !== undefined
  }

  /**
   * The columns a rule on `model` may name: the table's SQL column names minus the excluded ones, then the column
   * templates; for `__ALL__` only the templates. Undefined for an unknown model. Drizzle tables carry no column
   * comments, so a column's comment is its name.
   */
  columns(model: string, lang: Lang): TemplateVariable[] | undefined {
    if (model === ALL_MODELS) return columnTemplateVariables(lang)
    const table = this.findTable(model)
    if (!table) return undefined
    const columns = columnNames(table)
      .filter((name) => !EXCLUDED_COLUMNS.includes(name))
      .map((name) => ({ key: name, comment: name }))
    return [...columns, ...columnTemplateVariables(lang)]
  }

  /** Whether `column` is one `columns(model)` offers. */
  isKnownColumn(model: string, column: string): boolean {
    if (column === COLUMN_TEMPLATES.deptId || column === COLUMN_TEMPLATES.createdBy) return this.isKnownModel(model)
    if (model === ALL_MODELS || EXCLUDED_COLUMNS.includes(column)) return false
    const table = this.findTable(model)
    return table !== undefined && columnNames(table).includes(column)
  }
}

const columnNames = (table: SQLiteTable): string[] =>
  Object.values(getTableColumns(table) as Record<string, SQLiteColumn>).map((c) => c.name)
