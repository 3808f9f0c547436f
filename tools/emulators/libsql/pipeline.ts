/**
 * One HTTP round trip on a stream: `/vN/pipeline` (a list of stream requests) and `/v3/cursor` (one batch, results
 * as a list of cursor entries). Finds or opens the stream, waits for the database, runs everything synchronously,
 * then either parks the stream under a new baton or closes it.
 */
import type { DatabaseHost } from './database.js'
import type { Stats } from './databases.js'
import { ProtocolError, StmtError, toStmtError } from './errors.js'
import { describeStmt, type ExecContext, executeBatch, executeSequence, executeStmt, wireError } from './execute.js'
import type {
  CursorEntry,
  CursorRequest,
  PipelineRequest,
  PipelineResponse,
  StreamRequest,
  StreamResponse,
  StreamResult,
} from './protocol.js'
import { MAX_STORED_SQL, type Stream, type StreamRegistry } from './streams.js'

export interface PipelineDeps {
  streams: StreamRegistry
  stats: Stats
  /** How long a request waits for a database held by another stream's transaction. */
  busyTimeoutMs: number
}

function resolveStream(deps: PipelineDeps, host: DatabaseHost, baton: string | null): Stream {
  if (baton === null) return deps.streams.open(host)
  const stream = deps.streams.take(baton, host)
  if (stream === undefined) {
    throw new ProtocolError('The stream has expired or the baton is invalid', 'STREAM_EXPIRED')
  }
  return stream
}

/**
 * Runs `body` on `stream` while holding the database. If the database stays busy, `body` still runs (so
 * stream-local requests such as `close` and `store_sql` work) but receives the SQLITE_BUSY error to report.
 * Afterwards the stream is parked (new baton) or, if it was closed or `body` threw, closed with a rollback.
 */
async function onStream(
  deps: PipelineDeps,
  host: DatabaseHost,
  baton: string | null,
  body: (ctx: ExecContext, stream: Stream, busy: StmtError | null) => void,
): Promise<string | null> {
  const stream = resolveStream(deps, host, baton)
  const counters = deps.stats.of(host.name)
  counters.pipelines++
  let completed = false
  try {
    let busy: StmtError | null = null
    const wait = host.acquire(stream, deps.busyTimeoutMs)
    if (wait !== null) {
      try {
        await wait
      } catch (err) {
        busy = toStmtError(err)
      }
    }
    // The emulator may have been closed while this request waited.
    if (busy === null && host.closed) busy = new StmtError('The database has been closed', 'SQLITE_MISUSE')
    const ctx: ExecContext = {
      host,
      sqls: stream.sqls,
      countStatements: (n) => {
        counters.statements += n
      },
      touchedPragmas: false,
    }
    if (busy === null) host.setForeignKeys(stream.foreignKeys)
    body(ctx, stream, busy)
    if (busy === null && ctx.touchedPragmas) stream.foreignKeys = host.readForeignKeys()
    completed = true
  } finally {
    if (!completed || stream.closed) deps.streams.close(stream)
    else host.release(stream)
  }
  return stream.closed ? null : deps.streams.park(stream)
}

const STREAM_CLOSED = new StmtError('The stream has been closed by an earlier request', 'STREAM_CLOSED')

function runRequest(ctx: ExecContext, stream: Stream, request: StreamRequest, busy: StmtError | null): StreamResult {
  const ok = (response: StreamResponse): StreamResult => ({ type: 'ok', response })
  if (stream.closed) return { type: 'error', error: wireError(STREAM_CLOSED) }
  // Stream-local requests need no database.
  switch (request.type) {
    case 'close':
      stream.closed = true
      return ok({ type: 'close' })
    case 'store_sql':
      if (stream.sqls.has(request.sqlId)) {
        throw new ProtocolError(`SQL text with id ${request.sqlId} is already stored`, 'SQL_STORE_ID_EXISTS')
      }
      if (stream.sqls.size >= MAX_STORED_SQL) {
        throw new ProtocolError(`A stream may store at most ${MAX_STORED_SQL} SQL texts`, 'SQL_STORE_FULL')
      }
      stream.sqls.set(request.sqlId, request.sql)
      return ok({ type: 'store_sql' })
    case 'close_sql':
      stream.sqls.delete(request.sqlId)
      return ok({ type: 'close_sql' })
  }
  if (busy !== null) return { type: 'error', error: wireError(busy) }
  try {
    switch (request.type) {
      case 'execute':
        return ok({ type: 'execute', result: executeStmt(ctx, request.stmt) })
      case 'batch':
        return ok({ type: 'batch', result: executeBatch(ctx, request.steps) })
      case 'sequence':
        executeSequence(ctx, request.sql, request.sqlId)
        return ok({ type: 'sequence' })
      case 'describe':
        return ok({ type: 'describe', result: describeStmt(ctx, request.sql, request.sqlId) })
      case 'get_autocommit':
        return ok({ type: 'get_autocommit', is_autocommit: !ctx.host.inTransaction })
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw err
    return { type: 'error', error: wireError(toStmtError(err)) }
  }
}

export async function runPipeline(
  deps: PipelineDeps,
  host: DatabaseHost,
  request: PipelineRequest,
): Promise<PipelineResponse> {
  let results: StreamResult[] = []
  const baton = await onStream(deps, host, request.baton, (ctx, stream, busy) => {
    results = request.requests.map((r) => runRequest(ctx, stream, r, busy))
  })
  return { baton, base_url: null, results }
}

/** `/v3/cursor`: the batch runs to completion first; its entries are then written as NDJSON by the server. */
export async function runCursor(
  deps: PipelineDeps,
  host: DatabaseHost,
  request: CursorRequest,
): Promise<{ baton: string | null; entries: CursorEntry[] }> {
  const entries: CursorEntry[] = []
  const baton = await onStream(deps, host, request.baton, (ctx, stream, busy) => {
    if (busy !== null) {
      entries.push({ type: 'error', error: wireError(busy) })
      return
    }
    if (stream.closed) return
    executeBatch(ctx, request.steps, {
      stepDone(step, result, error) {
        if (result === null) {
          entries.push({ type: 'step_error', step, error: error ?? wireError(STREAM_CLOSED) })
          return
        }
        entries.push({ type: 'step_begin', step, cols: result.cols })
        for (const row of result.rows) entries.push({ type: 'row', row })
        entries.push({
          type: 'step_end',
          affected_row_count: result.affected_row_count,
          last_insert_rowid: result.last_insert_rowid,
        })
      },
    })
  })
  return { baton, entries }
}
