/** Literals in generated TypeScript, quoted the way Biome formats them (single quotes unless that needs escapes). */

/** A string literal: `'text'`, or `"it's"` when the text holds a single quote and no double quote. */
export function str(value: string): string {
  const escaped = JSON.stringify(value).slice(1, -1)
  if (value.includes("'") && !value.includes('"')) return `"${escaped}"`
  return `'${escaped.replaceAll('\\"', '"').replaceAll("'", "\\'")}'`
}

/** Text safe inside a `/** … *\/` comment on one line. */
export function commentText(value: string): string {
  return value.replaceAll('*/', '* /').replace(/\s+/g, ' ').trim()
}

/**
 * A column default as stored by SQLite (`PRAGMA table_info.dflt_value`, or the spec's text) as a Drizzle
 * `.default(…)` argument: numbers and booleans as literals, quoted strings as strings, anything else (an expression
 * such as `CURRENT_TIMESTAMP`) as raw SQL.
 */
/** A SQL string literal's text (`'it''s'` → `it's`), or undefined when `value` is not one. */
export function unquote(value: string): string | undefined {
  const quoted = /^'(.*)'$/s.exec(value.trim())
  return quoted ? (quoted[1] ?? '').replaceAll("''", "'") : undefined
}

/** SQLite's "now" defaults, which a DATETIME column (epoch ms, infra/db/columns.ts) stores as `SQL_NOW_MS` instead. */
export const isNowDefault = (value: string): boolean =>
  /^\(?\s*(current_timestamp|datetime\('now'\)|unixepoch\(\))\s*\)?$/i.test(value.trim())

export function defaultLiteral(
  value: string,
  kind: 'number' | 'boolean' | 'string' | 'date',
): { code: string; sql: boolean } {
  const text = value.trim()
  const quoted = unquote(text) !== undefined
  const unquoted = unquote(text) ?? text
  if (kind === 'date' && isNowDefault(text)) return { code: 'SQL_NOW_MS', sql: false }
  if (kind === 'boolean' && /^(1|0|true|false)$/i.test(unquoted))
    return { code: String(/^(1|true)$/i.test(unquoted)), sql: false }
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(unquoted)) return { code: unquoted, sql: false }
  if (kind === 'string' && (quoted || /^-?\d+(\.\d+)?$/.test(text))) return { code: str(unquoted), sql: false }
  return { code: `sql\`${text.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${')}\``, sql: true }
}

/** Import specifiers in Biome's order: case-insensitive, upper case first on a tie. */
export function sortNames(names: readonly string[]): string[] {
  return [...names].sort((a, b) => {
    const x = a.replace(/^type /, '').toLowerCase()
    const y = b.replace(/^type /, '').toLowerCase()
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0
  })
}
