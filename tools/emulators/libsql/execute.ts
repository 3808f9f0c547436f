/**
 * Running Hrana statements, batches, sequences and describes on a `DatabaseHost`'s connection.
 * Everything here is synchronous (the native binding is); the caller holds the database lock.
 */
import type { DatabaseHost } from './database.js'
import { StmtError, toStmtError } from './errors.js'
import type { BatchCond, BatchResult, BatchStep, DescribeResult, Stmt, StmtResult, WireError } from './protocol.js'
import type { SqlInfo } from './sql-text.js'
import { encodeValue, type ProtoValue, type SqlValue } from './values.js'

/** Per-stream state the executor needs: stored SQL texts and counters for the stats endpoint. */
export interface ExecContext {
  host: DatabaseHost
  sqls: ReadonlyMap<number, string>
  /** Called once per statement that reached SQLite. */
  countStatements(n: number): void
  /** Set when a statement may have changed `PRAGMA foreign_keys` (restored per stream). */
  touchedPragmas: boolean
}

export function wireError(err: StmtError): WireError {
  return { message: err.message, code: err.code }
}

function resolveSql(ctx: ExecContext, sql: string | null, sqlId: number | null): string {
  if (sql !== null) return sql
  const stored = sqlId === null ? undefined : ctx.sqls.get(sqlId)
  if (stored === undefined) throw new StmtError(`SQL text with id ${sqlId} has not been stored`, 'SQL_NOT_FOUND')
  return stored
}

function checkSingleStatement(info: SqlInfo): void {
  if (info.statements === 0) throw new StmtError('SQL string does not contain any statement', 'SQL_NO_STATEMENT')
  if (info.statements > 1) {
    throw new StmtError('SQL string contains more than one statement', 'SQL_MANY_STATEMENTS')
  }
}

/**
 * Builds the positional argument array. Named arguments are mapped through the lexer's parameter list (the
 * binding's own named binding can abort the process, see sql-text.ts). A name may be given with or without its
 * prefix (`:a` or `a`), like sqld accepts; unbound parameters are NULL, as in SQLite.
 */
function bindArgs(stmt: Stmt, info: SqlInfo): SqlValue[] {
  if (stmt.namedArgs.length === 0) return stmt.args
  if (stmt.args.length > 0) {
    throw new StmtError('Cannot use both positional and named arguments', 'ARGS_BOTH_POSITIONAL_AND_NAMED')
  }
  const byName = new Map<string, SqlValue>()
  for (const arg of stmt.namedArgs) byName.set(arg.name, arg.value)
  return info.params.map((name) => {
    if (name === null) return null
    return byName.get(name) ?? byName.get(name.slice(1)) ?? null
  })
}

function encodeRows(rows: unknown[]): ProtoValue[][] {
  const out: ProtoValue[][] = new Array(rows.length)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as unknown[]
    const encoded: ProtoValue[] = new Array(row.length)
    for (let c = 0; c < row.length; c++) encoded[c] = encodeValue(row[c])
    out[r] = encoded
  }
  return out
}

/** Executes one statement; SQL problems throw `StmtError`. */
export function executeStmt(ctx: ExecContext, stmt: Stmt): StmtResult {
  const { host } = ctx
  const sql = resolveSql(ctx, stmt.sql, stmt.sqlId)
  const info = host.info(sql)
  checkSingleStatement(info)
  const args = bindArgs(stmt, info)
  const prepared = host.prepare(sql, info)
  ctx.countStatements(1)
  if (info.firstKeyword === 'PRAGMA') ctx.touchedPragmas = true
  try {
    let result: StmtResult
    if (prepared.reader) {
      // Always drain with all(): run() on a reader leaves the statement active and the table locked.
      const rows = prepared.stmt.all(args)
      result = {
        cols: prepared.cols,
        rows: stmt.wantRows ? encodeRows(rows) : [],
        affected_row_count: 0,
        last_insert_rowid: null,
      }
      if (info.isDml) {
        // INSERT … RETURNING and friends.
        const { changes, lastInsertRowid } = host.changes()
        result.affected_row_count = changes
        result.last_insert_rowid = lastInsertRowid.toString()
      }
    } else {
      const run = prepared.stmt.run(args)
      let lastInsertRowid: string | null = null
      if (info.isDml) {
        const rowid = run.lastInsertRowid
        // The binding returns the rowid as a JS number: exact only below 2^53, so re-read big ones.
        lastInsertRowid =
          typeof rowid === 'bigint' || Number.isSafeInteger(rowid)
            ? rowid.toString()
            : host.changes().lastInsertRowid.toString()
      }
      result = {
        cols: [],
        rows: [],
        // SQLite's changes() is left over from the last DML for DDL/transaction statements; report 0 there.
        affected_row_count: info.isDml ? run.changes : 0,
        last_insert_rowid: lastInsertRowid,
      }
    }
    return result
  } catch (err) {
    throw toStmtError(err)
  } finally {
    if (info.mayChangeSchema) host.invalidateStatements()
  }
}

type StepOutcome = 'ok' | 'error' | 'skipped' | undefined

function evalCond(cond: BatchCond, outcomes: StepOutcome[], host: DatabaseHost): boolean {
  switch (cond.type) {
    case 'ok':
      return outcomes[cond.step] === 'ok'
    case 'error':
      return outcomes[cond.step] === 'error'
    case 'not':
      return !evalCond(cond.cond, outcomes, host)
    case 'and':
      return cond.conds.every((c) => evalCond(c, outcomes, host))
    case 'or':
      return cond.conds.some((c) => evalCond(c, outcomes, host))
    case 'is_autocommit':
      return !host.inTransaction
  }
}

/** Hook for cursors, which report each step as it ends. */
export interface BatchObserver {
  stepDone(step: number, result: StmtResult | null, error: WireError | null): void
}

/**
 * Runs a batch: a failing step does not stop it, later steps decide through their conditions (the client adds
 * BEGIN/COMMIT/ROLLBACK steps itself). A condition naming a step that has not run yet is false.
 */
export function executeBatch(ctx: ExecContext, steps: BatchStep[], observer?: BatchObserver): BatchResult {
  const outcomes: StepOutcome[] = []
  const result: BatchResult = { step_results: [], step_errors: [] }
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!
    if (step.condition !== null && !evalCond(step.condition, outcomes, ctx.host)) {
      outcomes.push('skipped')
      result.step_results.push(null)
      result.step_errors.push(null)
      continue
    }
    try {
      const stepResult = executeStmt(ctx, step.stmt)
      outcomes.push('ok')
      result.step_results.push(stepResult)
      result.step_errors.push(null)
      observer?.stepDone(i, stepResult, null)
    } catch (err) {
      const error = wireError(toStmtError(err))
      outcomes.push('error')
      result.step_results.push(null)
      result.step_errors.push(error)
      observer?.stepDone(i, null, error)
    }
  }
  return result
}

/** Runs several statements separated by semicolons, without results (`executeMultiple`). */
export function executeSequence(ctx: ExecContext, sql: string | null, sqlId: number | null): void {
  const text = resolveSql(ctx, sql, sqlId)
  const info = ctx.host.info(text)
  ctx.countStatements(info.statements)
  ctx.touchedPragmas = true
  try {
    ctx.host.exec(text)
  } finally {
    ctx.host.invalidateStatements()
  }
}

/** Describes a statement without running it. `is_readonly` is the lexer's best guess (see sql-text.ts). */
export function describeStmt(ctx: ExecContext, sql: string | null, sqlId: number | null): DescribeResult {
  const text = resolveSql(ctx, sql, sqlId)
  const info = ctx.host.info(text)
  checkSingleStatement(info)
  const prepared = ctx.host.prepare(text, info)
  return {
    params: info.params.map((name) => ({ name })),
    cols: prepared.cols,
    is_explain: info.firstKeyword === 'EXPLAIN',
    is_readonly: info.isReadonly,
  }
}
