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
 * Turns whatever the native binding threw into a `StmtError`. `libsql` reports extended result codes
 * (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_CONSTRAINT_FOREIGNKEY`, …), which is what `@libsql/client` surfaces as
 * `LibsqlError.code` for local files too.
 */
export function toStmtError(err: unknown): StmtError {
  if (err instanceof StmtError) return err
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return new StmtError(err.message, typeof code === 'string' && code !== 'SQLITE_OK' ? code : 'SQLITE_ERROR')
  }
  return new StmtError(String(err), 'SQLITE_ERROR')
}
