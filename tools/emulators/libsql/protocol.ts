/**
 * Hrana over HTTP (JSON encoding): request/response shapes and a hand-written parser from `unknown`.
 *
 * Every request body is validated completely before anything runs, so a malformed pipeline fails with HTTP 400 and
 * changes nothing. Field names follow the wire (`sql_id`, `named_args`, …); see docs/emulators/libsql.md, libSQL's
 * Hrana specification and `@libsql/hrana-client`'s `json_encode.js`/`json_decode.js`.
 */
import { ProtocolError } from './errors.js'
import { decodeValue, type ProtoValue, type SqlValue } from './values.js'

export type HranaVersion = 2 | 3

export interface Stmt {
  sql: string | null
  sqlId: number | null
  args: SqlValue[]
  namedArgs: { name: string; value: SqlValue }[]
  wantRows: boolean
}

export type BatchCond =
  | { type: 'ok'; step: number }
  | { type: 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and'; conds: BatchCond[] }
  | { type: 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' }

export interface BatchStep {
  condition: BatchCond | null
  stmt: Stmt
}

export type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; steps: BatchStep[] }
  | { type: 'sequence'; sql: string | null; sqlId: number | null }
  | { type: 'describe'; sql: string | null; sqlId: number | null }
  | { type: 'store_sql'; sqlId: number; sql: string }
  | { type: 'close_sql'; sqlId: number }
  | { type: 'get_autocommit' }

export interface PipelineRequest {
  baton: string | null
  requests: StreamRequest[]
}

export interface CursorRequest {
  baton: string | null
  steps: BatchStep[]
}

// ---- responses (wire shapes, snake_case) ----

export interface WireError {
  message: string
  code: string | null
}

export interface Col {
  name: string | null
  decltype: string | null
}

export interface StmtResult {
  cols: Col[]
  rows: ProtoValue[][]
  affected_row_count: number
  last_insert_rowid: string | null
}

export interface BatchResult {
  step_results: (StmtResult | null)[]
  step_errors: (WireError | null)[]
}

export interface DescribeResult {
  params: { name: string | null }[]
  cols: Col[]
  is_explain: boolean
  is_readonly: boolean
}

export type StreamResponse =
  | { type: 'close' }
  | { type: 'execute'; result: StmtResult }
  | { type: 'batch'; result: BatchResult }
  | { type: 'sequence' }
  | { type: 'describe'; result: DescribeResult }
  | { type: 'store_sql' }
  | { type: 'close_sql' }
  | { type: 'get_autocommit'; is_autocommit: boolean }

export type StreamResult = { type: 'ok'; response: StreamResponse } | { type: 'error'; error: WireError }

export interface PipelineResponse {
  baton: string | null
  base_url: string | null
  results: StreamResult[]
}

export type CursorEntry =
  | { type: 'step_begin'; step: number; cols: Col[] }
  | { type: 'step_end'; affected_row_count: number; last_insert_rowid: string | null }
  | { type: 'step_error'; step: number; error: WireError }
  | { type: 'row'; row: ProtoValue[] }
  | { type: 'error'; error: WireError }

// ---- parsing ----

/** Conditions nest (`not`/`and`/`or`); bound the depth so hostile input cannot exhaust the stack. */
const MAX_COND_DEPTH = 64
const INT32_MAX = 2 ** 31 - 1

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new ProtocolError(`${where} must be an object`)
  return value
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${where} must be an array`)
  return value
}

function optionalArray(value: unknown, where: string): unknown[] {
  return value === undefined || value === null ? [] : array(value, where)
}

function optionalString(value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw new ProtocolError(`${where} must be a string`)
  return value
}

function int32(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -INT32_MAX - 1 || value > INT32_MAX) {
    throw new ProtocolError(`${where} must be a 32-bit integer`)
  }
  return value
}

function optionalInt32(value: unknown, where: string): number | null {
  return value === undefined || value === null ? null : int32(value, where)
}

function stepIndex(value: unknown, where: string): number {
  const step = int32(value, where)
  if (step < 0) throw new ProtocolError(`${where} must not be negative`)
  return step
}

/** `sql` xor `sql_id`, as in the protocol. */
function sqlSource(obj: Record<string, unknown>, where: string): { sql: string | null; sqlId: number | null } {
  const sql = optionalString(obj.sql, `${where}.sql`)
  const sqlId = optionalInt32(obj.sql_id, `${where}.sql_id`)
  if (sql === null && sqlId === null) throw new ProtocolError(`${where} needs either sql or sql_id`)
  if (sql !== null && sqlId !== null) throw new ProtocolError(`${where} must not have both sql and sql_id`)
  return { sql, sqlId }
}

function parseStmt(raw: unknown, where: string): Stmt {
  const obj = record(raw, where)
  const { sql, sqlId } = sqlSource(obj, where)
  const args = optionalArray(obj.args, `${where}.args`).map((v, i) => decodeValue(v, `${where}.args[${i}]`))
  const namedArgs = optionalArray(obj.named_args, `${where}.named_args`).map((v, i) => {
    const arg = record(v, `${where}.named_args[${i}]`)
    if (typeof arg.name !== 'string') throw new ProtocolError(`${where}.named_args[${i}].name must be a string`)
    return { name: arg.name, value: decodeValue(arg.value, `${where}.named_args[${i}].value`) }
  })
  const wantRows = obj.want_rows
  if (wantRows !== undefined && wantRows !== null && typeof wantRows !== 'boolean') {
    throw new ProtocolError(`${where}.want_rows must be a boolean`)
  }
  return { sql, sqlId, args, namedArgs, wantRows: wantRows !== false }
}

function parseCond(raw: unknown, where: string, version: HranaVersion, depth: number): BatchCond {
  if (depth > MAX_COND_DEPTH) throw new ProtocolError(`${where} is nested too deeply`)
  const obj = record(raw, where)
  switch (obj.type) {
    case 'ok':
    case 'error':
      return { type: obj.type, step: stepIndex(obj.step, `${where}.step`) }
    case 'not':
      return { type: 'not', cond: parseCond(obj.cond, `${where}.cond`, version, depth + 1) }
    case 'and':
    case 'or':
      return {
        type: obj.type,
        conds: array(obj.conds, `${where}.conds`).map((c, i) =>
          parseCond(c, `${where}.conds[${i}]`, version, depth + 1),
        ),
      }
    case 'is_autocommit':
      if (version < 3) throw new ProtocolError('is_autocommit conditions need Hrana 3 (use /v3/pipeline)')
      return { type: 'is_autocommit' }
    default:
      throw new ProtocolError(`${where}.type is not a known condition`)
  }
}

function parseBatch(raw: unknown, where: string, version: HranaVersion): BatchStep[] {
  const obj = record(raw, where)
  return array(obj.steps, `${where}.steps`).map((s, i) => {
    const step = record(s, `${where}.steps[${i}]`)
    const condition =
      step.condition === undefined || step.condition === null
        ? null
        : parseCond(step.condition, `${where}.steps[${i}].condition`, version, 0)
    return { condition, stmt: parseStmt(step.stmt, `${where}.steps[${i}].stmt`) }
  })
}

function parseRequest(raw: unknown, where: string, version: HranaVersion): StreamRequest {
  const obj = record(raw, where)
  switch (obj.type) {
    case 'close':
      return { type: 'close' }
    case 'execute':
      return { type: 'execute', stmt: parseStmt(obj.stmt, `${where}.stmt`) }
    case 'batch':
      return { type: 'batch', steps: parseBatch(obj.batch, `${where}.batch`, version) }
    case 'sequence':
    case 'describe':
      return { type: obj.type, ...sqlSource(obj, where) }
    case 'store_sql': {
      const sql = optionalString(obj.sql, `${where}.sql`)
      if (sql === null) throw new ProtocolError(`${where}.sql must be a string`)
      return { type: 'store_sql', sqlId: int32(obj.sql_id, `${where}.sql_id`), sql }
    }
    case 'close_sql':
      return { type: 'close_sql', sqlId: int32(obj.sql_id, `${where}.sql_id`) }
    case 'get_autocommit':
      if (version < 3) throw new ProtocolError('get_autocommit needs Hrana 3 (use /v3/pipeline)')
      return { type: 'get_autocommit' }
    default:
      throw new ProtocolError(`${where}.type is not a known request type`)
  }
}

function parseBaton(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw new ProtocolError('baton must be a string or null')
  return value
}

export function parsePipelineRequest(body: unknown, version: HranaVersion): PipelineRequest {
  const obj = record(body, 'request body')
  const baton = parseBaton(obj.baton)
  const requests = array(obj.requests, 'requests').map((r, i) => parseRequest(r, `requests[${i}]`, version))
  return { baton, requests }
}

export function parseCursorRequest(body: unknown): CursorRequest {
  const obj = record(body, 'request body')
  return { baton: parseBaton(obj.baton), steps: parseBatch(obj.batch, 'batch', 3) }
}
