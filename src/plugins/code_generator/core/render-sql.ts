/**
 * The table's migration in drizzle-kit's SQL form (what `drizzle-kit generate` writes for the generated schema, with
 * `IF NOT EXISTS`: an imported table already exists in the database it came from). The preview and the download show
 * it; writing to a checkout runs drizzle-kit instead, which also records the schema snapshot and the journal entry
 * its later migrations diff against (docs/codegen.md).
 */
import { defaultLiteral, isNowDefault, unquote } from './literal'
import type { Model, ModelColumn } from './model'

const SQL_TYPE = { integer: 'integer', real: 'real', numeric: 'numeric', text: 'text' } as const
const NOW = "(cast((julianday('now') - 2440587.5) * 86400000 as integer))"

function sqlDefault(c: ModelColumn): string {
  if (c.default === null) return ''
  const raw = c.default.trim()
  const kind = c.type.name === 'BOOLEAN' ? 'boolean' : c.type.drizzle.builder === 'text' ? 'string' : 'number'
  if (c.type.output === 'datetime' && isNowDefault(raw)) return ` DEFAULT ${NOW}`
  const value = defaultLiteral(raw, kind)
  if (value.sql) return ` DEFAULT ${/^\(.*\)$/s.test(raw) ? raw : `(${raw})`}`
  if (kind === 'boolean') return ` DEFAULT ${value.code === 'true' ? 1 : 0}`
  if (kind === 'string') return ` DEFAULT '${(unquote(raw) ?? raw).replaceAll("'", "''")}'`
  return ` DEFAULT ${value.code}`
}

export function renderMigration(m: Model): string {
  const columns = [
    '`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL',
    ...m.columns.map((c) => {
      const type = SQL_TYPE[c.type.drizzle.builder] + (c.length ? `(${c.length})` : '')
      return `\`${c.sql}\` ${type}${sqlDefault(c)}${c.nullable ? '' : ' NOT NULL'}`
    }),
    ...(m.timestamps ? [`\`created_time\` integer DEFAULT ${NOW} NOT NULL`, '`updated_time` integer'] : []),
  ]
  return `CREATE TABLE IF NOT EXISTS \`${m.spec.table_name}\` (\n${columns.map((c) => `\t${c}`).join(',\n')}\n);\n`
}
