/**
 * The two kinds of failure in Hrana over HTTP:
 * - `ProtocolError`: the request itself is wrong (malformed body, unknown baton, reused `sql_id`). The HTTP answer is
 *   4xx with a JSON `{message, code}` body and the stream is dead.
 * - `StmtError`: a statement failed (SQL error, constraint, busy database). It becomes a `{type:"error"}` result inside
 *   a 200 response and the stream lives on.
 */

export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code = 'HRANA_PROTO_ERROR',
    readonly status = 400,
  ) {
    super(message)
  }
}

export class StmtError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

/**
 * Turns whatever the native binding threw into a `StmtError` carrying SQLite's **primary** result code: `libsql`
 * reports extended codes (`SQLITE_CONSTRAINT_UNIQUE`), but Turso's server (sqld) puts only the primary code
 * (`SQLITE_CONSTRAINT`) on the wire — Hrana's error has no field for the extended one — so `@libsql/client` over
 * HTTP surfaces `code: 'SQLITE_CONSTRAINT'` and `extendedCode: undefined`; which constraint failed is in the message
 * (`UNIQUE constraint failed: t.c`). Local `file:` databases give the same `code` plus the extended `extendedCode`.
 */
export function toStmtError(err: unknown): StmtError {
  if (err instanceof StmtError) return err
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return new StmtError(
      err.message,
      typeof code === 'string' && code !== 'SQLITE_OK' ? primaryCode(code) : 'SQLITE_ERROR',
    )
  }
  return new StmtError(String(err), 'SQLITE_ERROR')
}

/** `SQLITE_CONSTRAINT_UNIQUE` → `SQLITE_CONSTRAINT`: every primary code is `SQLITE_` plus one word. */
export function primaryCode(code: string): string {
  const match = /^SQLITE_[A-Z]+/.exec(code)
  return match ? match[0] : code
}
