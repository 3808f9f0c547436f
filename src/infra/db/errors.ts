/**
 * Recognising database errors. Drizzle wraps driver errors (`DrizzleQueryError`, the libSQL error in `cause`). Over
 * HTTP (Turso, the emulator) `@libsql/client` reports only the primary code (`code: 'SQLITE_CONSTRAINT'`, no
 * `extendedCode`), so the kind of constraint comes from SQLite's message; local `file:` databases add the extended
 * code (`extendedCode: 'SQLITE_CONSTRAINT_UNIQUE'`), which is preferred when present. Checked down the `cause` chain.
 */

export type ConstraintKind = 'UNIQUE' | 'FOREIGNKEY' | 'PRIMARYKEY' | 'NOTNULL' | 'CHECK'

const MESSAGES: Record<ConstraintKind, string> = {
  UNIQUE: 'UNIQUE constraint failed',
  FOREIGNKEY: 'FOREIGN KEY constraint failed',
  PRIMARYKEY: 'UNIQUE constraint failed',
  NOTNULL: 'NOT NULL constraint failed',
  CHECK: 'CHECK constraint failed',
}

/**
 * The most precise libSQL/SQLite error code of an error or of any error in its cause chain: the extended code where
 * the client has one (local files: `SQLITE_CONSTRAINT_UNIQUE`), else the primary one (HTTP: `SQLITE_CONSTRAINT`).
 */
export function sqliteErrorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, extendedCode } = e as { code?: unknown; extendedCode?: unknown }
    if (typeof extendedCode === 'string' && extendedCode.startsWith('SQLITE_')) return extendedCode
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code
  }
  return undefined
}

function messages(err: unknown): string {
  const parts: string[] = []
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof Error) parts.push(e.message)
  }
  return parts.join('\n')
}

/** Whether `err` is a violated constraint of this kind (any kind when omitted). */
export function isConstraintViolation(err: unknown, kind?: ConstraintKind): boolean {
  const code = sqliteErrorCode(err)
  if (!code?.startsWith('SQLITE_CONSTRAINT')) return false
  if (!kind) return true
  if (code === `SQLITE_CONSTRAINT_${kind}`) return true
  return code === 'SQLITE_CONSTRAINT' && messages(err).includes(MESSAGES[kind])
}

/** A duplicate key (unique index or constraint): answer it with a friendly 409. */
export const isUniqueViolation = (err: unknown): boolean =>
  isConstraintViolation(err, 'UNIQUE') || isConstraintViolation(err, 'PRIMARYKEY')

/** Which unique index a UNIQUE violation hit, as `table.column[, …]` from SQLite's message (when present). */
export function violatedColumns(err: unknown): string[] {
  const match = /UNIQUE constraint failed: ([^\n]+)/.exec(messages(err))
  return match?.[1] ? match[1].split(',').map((s) => s.trim()) : []
}
