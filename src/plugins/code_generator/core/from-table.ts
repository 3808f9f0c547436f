/**
 * A business spec from a table's columns (as `pragma_table_info` gives them, ../catalogue.ts): what the plugin's
 * import stores and what `stratum gen <table>` generates from. The datetime mixin is on when the table has both
 * `created_time` and `updated_time`; those two are then not columns of the business. The doc comment (the menu's
 * title) defaults to the table name in words: `shop_item` → `Shop item`.
 */
import { words } from './naming'
import type { GenBusinessSpecInput, GenColumnSpec } from './spec'

const MIXIN_COLUMNS = ['created_time', 'updated_time']
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

export function specFromTable(
  app: string,
  table: string,
  columns: readonly GenColumnSpec[],
  options: { apiVersion?: 'v1' | 'v2'; docComment?: string } = {},
): GenBusinessSpecInput {
  const mixin = MIXIN_COLUMNS.every((name) => columns.some((c) => c.name === name))
  return {
    app_name: app,
    table_name: table,
    doc_comment: options.docComment ?? capitalized(words(table).join(' ')),
    datetime_mixin: mixin,
    api_version: options.apiVersion ?? 'v1',
    columns: columns.filter((c) => !(mixin && MIXIN_COLUMNS.includes(c.name))),
  }
}

/** The app name `stratum gen <table>` uses when none is given: the table name's first word (`shop_order` → shop). */
export const defaultAppName = (table: string): string => words(table)[0] ?? table
