/**
 * SQLite persistence for the QStash emulator (via the embedded `libsql` package).
 *
 * Every accepted message is a row before the publish call answers, and the delivery loop only ever
 * works from the table, so stopping the emulator (or crashing) loses nothing: on start, rows left
 * `active` by an interrupted delivery go back to `pending` and are attempted again.
 * Delivered and cancelled messages are deleted (QStash forgets them too); failed ones stay while the
 * DLQ references them.
 */
import Database from 'libsql'
import { redactBody, redactHeaders } from './redact'
import type {
  CallbackOptions,
  EventState,
  FlowControlLimits,
  HeaderMap,
  HttpMethod,
  MessageKind,
  MessageState,
  RedactSpec,
  StoredMessage,
} from './types'
import { HTTP_METHODS } from './types'

type Row = Record<string, unknown>
type SqlValue = string | number | bigint | Buffer | null

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  url TEXT NOT NULL,
  host TEXT NOT NULL,
  path TEXT NOT NULL,
  topic_name TEXT,
  endpoint_name TEXT,
  queue_name TEXT,
  schedule_id TEXT,
  labels TEXT NOT NULL DEFAULT '[]',
  caller_ip TEXT NOT NULL DEFAULT '',
  flow_control_key TEXT,
  flow_control TEXT,
  created_at INTEGER NOT NULL,
  not_before INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  retried INTEGER NOT NULL DEFAULT 0,
  method TEXT NOT NULL,
  headers TEXT NOT NULL,
  body BLOB NOT NULL,
  max_retries INTEGER NOT NULL,
  retry_delay TEXT,
  timeout_ms INTEGER,
  callback TEXT,
  failure_callback TEXT,
  redact TEXT
);
CREATE INDEX IF NOT EXISTS messages_due ON messages(state, next_at);
CREATE INDEX IF NOT EXISTS messages_queue ON messages(queue_name, state, seq);
CREATE INDEX IF NOT EXISTS messages_flow ON messages(flow_control_key, state);

CREATE TABLE IF NOT EXISTS dlq (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  dlq_id TEXT NOT NULL UNIQUE,
  message_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  response_status INTEGER,
  response_header TEXT,
  response_body BLOB,
  error TEXT
);

CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  state TEXT NOT NULL,
  url TEXT NOT NULL,
  host TEXT NOT NULL,
  path TEXT NOT NULL,
  topic_name TEXT,
  endpoint_name TEXT,
  queue_name TEXT,
  schedule_id TEXT,
  labels TEXT NOT NULL DEFAULT '[]',
  caller_ip TEXT NOT NULL DEFAULT '',
  flow_control_key TEXT,
  header TEXT,
  body BLOB,
  next_delivery_time INTEGER,
  response_status INTEGER,
  response_body TEXT,
  error TEXT,
  retried INTEGER
);
CREATE INDEX IF NOT EXISTS events_message ON events(message_id);

CREATE TABLE IF NOT EXISTS queues (
  name TEXT PRIMARY KEY,
  parallelism INTEGER NOT NULL,
  paused INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS schedules (
  id TEXT PRIMARY KEY,
  cron TEXT NOT NULL,
  destination TEXT NOT NULL,
  spec TEXT NOT NULL,
  body BLOB NOT NULL,
  paused INTEGER NOT NULL DEFAULT 0,
  caller_ip TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_schedule_time INTEGER,
  next_run_at INTEGER
);

CREATE TABLE IF NOT EXISTS topics (
  name TEXT PRIMARY KEY,
  endpoints TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS dedup (
  key TEXT PRIMARY KEY,
  response TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`

// ---- row narrowing helpers (libsql returns `unknown` rows) ----

function str(row: Row, key: string): string {
  const value = row[key]
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value)
}

function optStr(row: Row, key: string): string | null {
  const value = row[key]
  return typeof value === 'string' ? value : null
}

function num(row: Row, key: string): number {
  const value = row[key]
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : 0
}

function optNum(row: Row, key: string): number | null {
  const value = row[key]
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : null
}

function blob(row: Row, key: string): Buffer {
  const value = row[key]
  if (value instanceof ArrayBuffer) return Buffer.from(value)
  if (value instanceof Uint8Array) return Buffer.from(value)
  if (typeof value === 'string') return Buffer.from(value)
  return Buffer.alloc(0)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseJson(text: string | null): unknown {
  if (text === null || text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export function asHeaderMap(value: unknown): HeaderMap {
  const out: HeaderMap = {}
  if (!isRecord(value)) return out
  for (const [name, values] of Object.entries(value)) {
    if (Array.isArray(values)) out[name] = values.filter((v): v is string => typeof v === 'string')
  }
  return out
}

export function asRedact(value: unknown): RedactSpec | null {
  if (!isRecord(value)) return null
  return { body: value.body === true, allHeaders: value.allHeaders === true, headers: asStringArray(value.headers) }
}

function asStringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

export function asFlowControl(value: unknown): FlowControlLimits | null {
  if (!isRecord(value)) return null
  const limit = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null)
  return { parallelism: limit(value.parallelism), rate: limit(value.rate), period: limit(value.period) ?? 1 }
}

export function asMethod(value: unknown): HttpMethod {
  return HTTP_METHODS.find((m) => m === value) ?? 'POST'
}

export function asCallback(value: unknown): CallbackOptions | null {
  if (!isRecord(value) || typeof value.url !== 'string') return null
  return {
    url: value.url,
    method: asMethod(value.method),
    headers: asHeaderMap(value.headers),
    maxRetries: typeof value.maxRetries === 'number' ? value.maxRetries : 3,
    retryDelay: typeof value.retryDelay === 'string' ? value.retryDelay : null,
    timeoutMs: typeof value.timeoutMs === 'number' ? value.timeoutMs : null,
  }
}

const MESSAGE_KINDS: MessageKind[] = ['message', 'callback', 'failure-callback']
const MESSAGE_STATES: MessageState[] = ['pending', 'active', 'delivered', 'failed', 'cancelled']

function rowToMessage(row: Row): StoredMessage {
  return {
    seq: num(row, 'seq'),
    id: str(row, 'id'),
    kind: MESSAGE_KINDS.find((k) => k === row.kind) ?? 'message',
    state: MESSAGE_STATES.find((s) => s === row.state) ?? 'pending',
    url: str(row, 'url'),
    topicName: optStr(row, 'topic_name'),
    endpointName: optStr(row, 'endpoint_name'),
    queueName: optStr(row, 'queue_name'),
    scheduleId: optStr(row, 'schedule_id'),
    labels: asStringArray(parseJson(optStr(row, 'labels'))),
    callerIp: str(row, 'caller_ip'),
    flowControlKey: optStr(row, 'flow_control_key'),
    flowControl: asFlowControl(parseJson(optStr(row, 'flow_control'))),
    createdAt: num(row, 'created_at'),
    notBefore: num(row, 'not_before'),
    nextAt: num(row, 'next_at'),
    retried: num(row, 'retried'),
    method: asMethod(row.method),
    headers: asHeaderMap(parseJson(optStr(row, 'headers'))),
    body: blob(row, 'body'),
    maxRetries: num(row, 'max_retries'),
    retryDelay: optStr(row, 'retry_delay'),
    timeoutMs: optNum(row, 'timeout_ms'),
    callback: asCallback(parseJson(optStr(row, 'callback'))),
    failureCallback: asCallback(parseJson(optStr(row, 'failure_callback'))),
    redact: asRedact(parseJson(optStr(row, 'redact'))),
  }
}

/** Host and path of a destination, stored for the `host`/`path` filters. */
function hostPath(url: string): { host: string; path: string } {
  try {
    const parsed = new URL(url)
    return { host: parsed.host, path: parsed.pathname }
  } catch {
    return { host: '', path: '' }
  }
}

// ---- filters shared by messages, events and the DLQ ----

/** Query filter: name → accepted values (OR within a name, AND across names). */
export type Filters = Map<string, string[]>

/** Reads filters from a query string: repeated keys and comma lists both mean "any of". */
export function filtersFromQuery(params: URLSearchParams, names: readonly string[]): Filters {
  const filters: Filters = new Map()
  for (const name of names) {
    const values = params
      .getAll(name)
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter((value) => value !== '')
    if (values.length > 0) filters.set(name, values)
  }
  return filters
}

interface FilterColumns {
  /** Table alias prefix, e.g. `m.` */
  alias: string
  /** Column holding the message id. */
  messageId: string
  /** Column compared with fromDate/toDate. */
  time: string
}

/** Translates filters into a SQL WHERE fragment with bound parameters (no string interpolation of values). */
function whereClause(filters: Filters, columns: FilterColumns, extra: Record<string, string> = {}) {
  const a = columns.alias
  const simple: Record<string, string> = {
    messageId: columns.messageId,
    messageIds: columns.messageId,
    url: `${a}url`,
    topicName: `${a}topic_name`,
    urlGroup: `${a}topic_name`,
    scheduleId: `${a}schedule_id`,
    queueName: `${a}queue_name`,
    callerIp: `${a}caller_ip`,
    host: `${a}host`,
    path: `${a}path`,
    flowControlKey: `${a}flow_control_key`,
    ...extra,
  }
  const clauses: string[] = []
  const params: SqlValue[] = []
  for (const [name, values] of filters) {
    const column = simple[name]
    if (column) {
      clauses.push(`${column} IN (${values.map(() => '?').join(',')})`)
      params.push(...values)
    } else if (name === 'label') {
      clauses.push(`EXISTS (SELECT 1 FROM json_each(${a}labels) WHERE value IN (${values.map(() => '?').join(',')}))`)
      params.push(...values)
    } else if (name === 'fromDate' || name === 'toDate') {
      const value = Number(values[0])
      if (!Number.isFinite(value)) continue
      clauses.push(`${columns.time} ${name === 'fromDate' ? '>=' : '<='} ?`)
      params.push(value)
    }
  }
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1=1', params }
}

// ---- public row shapes ----

export interface EventRecord {
  seq: number
  time: number
  messageId: string
  state: EventState
  url: string
  topicName: string | null
  endpointName: string | null
  queueName: string | null
  scheduleId: string | null
  labels: string[]
  callerIp: string
  flowControlKey: string | null
  header: HeaderMap
  body: Buffer | null
  nextDeliveryTime: number | null
  responseStatus: number | null
  responseBody: string | null
  error: string | null
  retried: number | null
}

export interface NewEvent {
  state: EventState
  time: number
  nextDeliveryTime?: number | null
  responseStatus?: number | null
  responseBody?: string | null
  error?: string | null
}

export interface DlqRecord {
  seq: number
  dlqId: string
  createdAt: number
  responseStatus: number | null
  responseHeader: HeaderMap
  responseBody: Buffer | null
  error: string | null
  message: StoredMessage
}

export interface QueueRecord {
  name: string
  parallelism: number
  paused: boolean
  createdAt: number
  updatedAt: number
}

export interface ScheduleRecord {
  id: string
  cron: string
  destination: string
  /** PublishSpec minus body, as JSON (parsed by the schedules module). */
  spec: unknown
  body: Buffer
  paused: boolean
  callerIp: string
  createdAt: number
  updatedAt: number
  lastScheduleTime: number | null
  nextRunAt: number | null
}

export interface TopicEndpoint {
  name?: string
  url: string
}

export interface TopicRecord {
  name: string
  endpoints: TopicEndpoint[]
  createdAt: number
  updatedAt: number
}

/** Largest body copied into an event row; logs don't need megabytes of payload per state change. */
const EVENT_BODY_LIMIT = 256 * 1024

export class Store {
  /** Shared with flow-control.ts, whose table lives in the same file. */
  readonly db: Database.Database

  constructor(path: string) {
    this.db = new Database(path)
    if (path !== ':memory:') {
      // WAL + NORMAL: durable across process stops, cheap enough for a message per request.
      this.db.exec('PRAGMA journal_mode = WAL')
      this.db.exec('PRAGMA synchronous = NORMAL')
    }
    this.db.exec(SCHEMA)
    // Data files written before `Upstash-Redact-Fields` was honoured lack the column.
    const columns = this.db.prepare('PRAGMA table_info(messages)').all() as { name?: unknown }[]
    if (!columns.some((c) => c.name === 'redact')) this.db.exec('ALTER TABLE messages ADD COLUMN redact TEXT')
    // …and before flow control was enforced.
    if (!columns.some((c) => c.name === 'flow_control')) {
      this.db.exec('ALTER TABLE messages ADD COLUMN flow_control TEXT')
    }
  }

  close(): void {
    try {
      // Fold the WAL back into the main file so a stopped emulator leaves a single self-contained .db.
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    } catch {
      // In-memory databases have no WAL.
    }
    this.db.close()
  }

  /** Runs `fn` atomically (e.g. a batch publish is all-or-nothing). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  private all(sql: string, ...params: SqlValue[]): Row[] {
    return this.db.prepare(sql).all(...params) as Row[]
  }

  private get(sql: string, ...params: SqlValue[]): Row | undefined {
    return this.db.prepare(sql).get(...params) as Row | undefined
  }

  private run(sql: string, ...params: SqlValue[]): number {
    return this.db.prepare(sql).run(...params).changes
  }

  // ---- messages ----

  insertMessage(m: Omit<StoredMessage, 'seq'>): void {
    const { host, path } = hostPath(m.url)
    this.run(
      `INSERT INTO messages (id, kind, state, url, host, path, topic_name, endpoint_name, queue_name, schedule_id,
         labels, caller_ip, flow_control_key, flow_control, created_at, not_before, next_at, retried, method, headers,
         body, max_retries, retry_delay, timeout_ms, callback, failure_callback, redact)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      m.id,
      m.kind,
      m.state,
      m.url,
      host,
      path,
      m.topicName,
      m.endpointName,
      m.queueName,
      m.scheduleId,
      JSON.stringify(m.labels),
      m.callerIp,
      m.flowControlKey,
      m.flowControl ? JSON.stringify(m.flowControl) : null,
      m.createdAt,
      m.notBefore,
      m.nextAt,
      m.retried,
      m.method,
      JSON.stringify(m.headers),
      m.body,
      m.maxRetries,
      m.retryDelay,
      m.timeoutMs,
      m.callback ? JSON.stringify(m.callback) : null,
      m.failureCallback ? JSON.stringify(m.failureCallback) : null,
      m.redact ? JSON.stringify(m.redact) : null,
    )
  }

  getMessage(id: string): StoredMessage | undefined {
    const row = this.get('SELECT * FROM messages WHERE id = ?', id)
    return row ? rowToMessage(row) : undefined
  }

  /** Due messages outside queues, oldest first, leaving out the flow-control keys in `blockedKeys`. */
  dueMessages(now: number, limit: number, blockedKeys: string[] = []): StoredMessage[] {
    const unblocked =
      blockedKeys.length === 0
        ? ''
        : `AND (flow_control_key IS NULL OR flow_control_key NOT IN (${blockedKeys.map(() => '?').join(',')}))`
    return this.all(
      `SELECT * FROM messages WHERE state = 'pending' AND queue_name IS NULL AND next_at <= ? ${unblocked}
       ORDER BY next_at, seq LIMIT ?`,
      now,
      ...blockedKeys,
      limit,
    ).map(rowToMessage)
  }

  /**
   * The first `parallelism` unfinished messages of a queue in FIFO order. Only these may be in flight,
   * so a message waiting for its retry keeps its slot (strict ordering with parallelism 1).
   */
  queueHeads(queueName: string, parallelism: number): StoredMessage[] {
    return this.all(
      `SELECT * FROM messages WHERE queue_name = ? AND state IN ('pending', 'active') ORDER BY seq LIMIT ?`,
      queueName,
      parallelism,
    ).map(rowToMessage)
  }

  /** Queue names with unfinished messages (queues are auto-created on enqueue, so normally all exist). */
  queuesWithWork(): string[] {
    return this.all(
      `SELECT DISTINCT queue_name FROM messages WHERE queue_name IS NOT NULL AND state IN ('pending', 'active')`,
    ).map((row) => str(row, 'queue_name'))
  }

  /** pending → active; false if the row changed meanwhile (cancelled). */
  markActive(id: string): boolean {
    return this.run(`UPDATE messages SET state = 'active' WHERE id = ? AND state = 'pending'`, id) === 1
  }

  /** Puts an interrupted attempt back in line without counting it as a retry. */
  requeueActive(id: string, nextAt: number): void {
    this.run(`UPDATE messages SET state = 'pending', next_at = ? WHERE id = ? AND state = 'active'`, nextAt, id)
  }

  /** Start-up recovery: deliveries cut off by a stop are attempted again. */
  resetAllActive(now: number): number {
    return this.run(`UPDATE messages SET state = 'pending', next_at = ? WHERE state = 'active'`, now)
  }

  scheduleRetry(id: string, retried: number, nextAt: number): boolean {
    return (
      this.run(
        `UPDATE messages SET state = 'pending', retried = ?, next_at = ? WHERE id = ? AND state = 'active'`,
        retried,
        nextAt,
        id,
      ) === 1
    )
  }

  markFailed(id: string): boolean {
    return this.run(`UPDATE messages SET state = 'failed' WHERE id = ? AND state = 'active'`, id) === 1
  }

  /** A delivered message is forgotten, as in QStash (GET /v2/messages/{id} → 404 afterwards). */
  deleteDeliveredIfActive(id: string): boolean {
    return this.run(`DELETE FROM messages WHERE id = ? AND state = 'active'`, id) === 1
  }

  deleteMessage(id: string): void {
    this.run('DELETE FROM messages WHERE id = ?', id)
  }

  /** Pending/active messages matching the filters (for bulk cancel). */
  /** Unfinished messages matching `filters`, oldest first; at most `limit` of them when given. */
  findUnfinished(filters: Filters, limit?: number): StoredMessage[] {
    const where = whereClause(filters, { alias: '', messageId: 'id', time: 'created_at' })
    const cap = limit === undefined ? '' : ' LIMIT ?'
    return this.all(
      `SELECT * FROM messages WHERE state IN ('pending', 'active') AND ${where.sql} ORDER BY seq${cap}`,
      ...where.params,
      ...(limit === undefined ? [] : [limit]),
    ).map(rowToMessage)
  }

  queueLag(queueName: string): number {
    return num(
      this.get(
        `SELECT count(*) AS n FROM messages WHERE queue_name = ? AND state IN ('pending', 'active')`,
        queueName,
      ) ?? {},
      'n',
    )
  }

  // ---- events ----

  addEvent(m: StoredMessage, e: NewEvent): void {
    const { host, path } = hostPath(m.url)
    const shown = redactBody(m.body, m.redact)
    const body = shown.length > EVENT_BODY_LIMIT ? shown.subarray(0, EVENT_BODY_LIMIT) : shown
    this.run(
      `INSERT INTO events (time, message_id, state, url, host, path, topic_name, endpoint_name, queue_name,
         schedule_id, labels, caller_ip, flow_control_key, header, body, next_delivery_time, response_status,
         response_body, error, retried)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.time,
      m.id,
      e.state,
      m.url,
      host,
      path,
      m.topicName,
      m.endpointName,
      m.queueName,
      m.scheduleId,
      JSON.stringify(m.labels),
      m.callerIp,
      m.flowControlKey,
      JSON.stringify(redactHeaders(m.headers, m.redact)),
      body,
      e.nextDeliveryTime ?? null,
      e.responseStatus ?? null,
      e.responseBody ?? null,
      e.error ?? null,
      m.retried,
    )
  }

  /** Newest first; the cursor is the `seq` to continue below. */
  listEvents(filters: Filters, cursor: number | null, count: number): { events: EventRecord[]; cursor: number | null } {
    const where = whereClause(filters, { alias: '', messageId: 'message_id', time: 'time' }, { state: 'state' })
    const rows = this.all(
      `SELECT * FROM events WHERE ${where.sql} ${cursor !== null ? 'AND seq < ?' : ''} ORDER BY seq DESC LIMIT ?`,
      ...where.params,
      ...(cursor !== null ? [cursor] : []),
      count + 1,
    )
    const page = rows.slice(0, count).map((row) => ({
      seq: num(row, 'seq'),
      time: num(row, 'time'),
      messageId: str(row, 'message_id'),
      state: str(row, 'state') as EventState,
      url: str(row, 'url'),
      topicName: optStr(row, 'topic_name'),
      endpointName: optStr(row, 'endpoint_name'),
      queueName: optStr(row, 'queue_name'),
      scheduleId: optStr(row, 'schedule_id'),
      labels: asStringArray(parseJson(optStr(row, 'labels'))),
      callerIp: str(row, 'caller_ip'),
      flowControlKey: optStr(row, 'flow_control_key'),
      header: asHeaderMap(parseJson(optStr(row, 'header'))),
      body: row.body === null ? null : blob(row, 'body'),
      nextDeliveryTime: optNum(row, 'next_delivery_time'),
      responseStatus: optNum(row, 'response_status'),
      responseBody: optStr(row, 'response_body'),
      error: optStr(row, 'error'),
      retried: optNum(row, 'retried'),
    }))
    const last = page.at(-1)
    return { events: page, cursor: rows.length > count && last ? last.seq : null }
  }

  /** Keeps the log bounded for long-running dev sessions. */
  pruneEvents(keep: number): void {
    this.run('DELETE FROM events WHERE seq <= (SELECT max(seq) FROM events) - ?', keep)
  }

  // ---- DLQ ----

  addDlq(entry: {
    dlqId: string
    messageId: string
    createdAt: number
    responseStatus: number | null
    responseHeader: HeaderMap
    responseBody: Buffer | null
    error: string | null
  }): void {
    this.run(
      `INSERT INTO dlq (dlq_id, message_id, created_at, response_status, response_header, response_body, error)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      entry.dlqId,
      entry.messageId,
      entry.createdAt,
      entry.responseStatus,
      JSON.stringify(entry.responseHeader),
      entry.responseBody,
      entry.error,
    )
  }

  private rowToDlq(row: Row): DlqRecord {
    return {
      seq: num(row, 'd_seq'),
      dlqId: str(row, 'dlq_id'),
      createdAt: num(row, 'd_created_at'),
      responseStatus: optNum(row, 'response_status'),
      responseHeader: asHeaderMap(parseJson(optStr(row, 'response_header'))),
      responseBody: row.response_body === null ? null : blob(row, 'response_body'),
      error: optStr(row, 'd_error'),
      message: rowToMessage(row),
    }
  }

  private static readonly DLQ_SELECT = `SELECT m.*, d.seq AS d_seq, d.dlq_id, d.created_at AS d_created_at,
    d.response_status, d.response_header, d.response_body, d.error AS d_error
    FROM dlq d JOIN messages m ON m.id = d.message_id`

  getDlq(dlqId: string): DlqRecord | undefined {
    const row = this.get(`${Store.DLQ_SELECT} WHERE d.dlq_id = ?`, dlqId)
    return row ? this.rowToDlq(row) : undefined
  }

  /** Newest first; the cursor is the `seq` to continue below. */
  listDlq(filters: Filters, cursor: number | null, count: number): { entries: DlqRecord[]; cursor: number | null } {
    const where = whereClause(
      filters,
      { alias: 'm.', messageId: 'm.id', time: 'd.created_at' },
      { dlqIds: 'd.dlq_id', responseStatus: 'd.response_status' },
    )
    const rows = this.all(
      `${Store.DLQ_SELECT} WHERE ${where.sql} ${cursor !== null ? 'AND d.seq < ?' : ''} ORDER BY d.seq DESC LIMIT ?`,
      ...where.params,
      ...(cursor !== null ? [cursor] : []),
      count + 1,
    )
    const entries = rows.slice(0, count).map((row) => this.rowToDlq(row))
    const last = entries.at(-1)
    return { entries, cursor: rows.length > count && last ? last.seq : null }
  }

  /** Removes the DLQ entry and the failed message it kept alive. */
  deleteDlq(dlqId: string): boolean {
    const entry = this.get('SELECT message_id FROM dlq WHERE dlq_id = ?', dlqId)
    if (!entry) return false
    this.run('DELETE FROM dlq WHERE dlq_id = ?', dlqId)
    this.run(`DELETE FROM messages WHERE id = ? AND state = 'failed'`, str(entry, 'message_id'))
    return true
  }

  // ---- queues ----

  private rowToQueue(row: Row): QueueRecord {
    return {
      name: str(row, 'name'),
      parallelism: num(row, 'parallelism'),
      paused: num(row, 'paused') === 1,
      createdAt: num(row, 'created_at'),
      updatedAt: num(row, 'updated_at'),
    }
  }

  upsertQueue(name: string, parallelism: number, paused: boolean, now: number): void {
    this.run(
      `INSERT INTO queues (name, parallelism, paused, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET parallelism = excluded.parallelism, paused = excluded.paused,
         updated_at = excluded.updated_at`,
      name,
      parallelism,
      paused ? 1 : 0,
      now,
      now,
    )
  }

  /** Enqueueing to an unknown queue creates it with parallelism 1, as QStash does. */
  ensureQueue(name: string, now: number): void {
    this.run(
      'INSERT OR IGNORE INTO queues (name, parallelism, paused, created_at, updated_at) VALUES (?, 1, 0, ?, ?)',
      name,
      now,
      now,
    )
  }

  getQueue(name: string): QueueRecord | undefined {
    const row = this.get('SELECT * FROM queues WHERE name = ?', name)
    return row ? this.rowToQueue(row) : undefined
  }

  listQueues(): QueueRecord[] {
    return this.all('SELECT * FROM queues ORDER BY created_at, name').map((row) => this.rowToQueue(row))
  }

  setQueuePaused(name: string, paused: boolean, now: number): boolean {
    return this.run('UPDATE queues SET paused = ?, updated_at = ? WHERE name = ?', paused ? 1 : 0, now, name) === 1
  }

  deleteQueue(name: string): boolean {
    return this.run('DELETE FROM queues WHERE name = ?', name) === 1
  }

  // ---- schedules ----

  private rowToSchedule(row: Row): ScheduleRecord {
    return {
      id: str(row, 'id'),
      cron: str(row, 'cron'),
      destination: str(row, 'destination'),
      spec: parseJson(optStr(row, 'spec')),
      body: blob(row, 'body'),
      paused: num(row, 'paused') === 1,
      callerIp: str(row, 'caller_ip'),
      createdAt: num(row, 'created_at'),
      updatedAt: num(row, 'updated_at'),
      lastScheduleTime: optNum(row, 'last_schedule_time'),
      nextRunAt: optNum(row, 'next_run_at'),
    }
  }

  /** Upsert keeps createdAt and lastScheduleTime of an existing schedule with the same id. */
  upsertSchedule(s: Omit<ScheduleRecord, 'createdAt' | 'updatedAt' | 'lastScheduleTime'>, now: number): void {
    this.run(
      `INSERT INTO schedules (id, cron, destination, spec, body, paused, caller_ip, created_at, updated_at, next_run_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET cron = excluded.cron, destination = excluded.destination, spec = excluded.spec,
         body = excluded.body, paused = excluded.paused, caller_ip = excluded.caller_ip,
         updated_at = excluded.updated_at, next_run_at = excluded.next_run_at`,
      s.id,
      s.cron,
      s.destination,
      JSON.stringify(s.spec),
      s.body,
      s.paused ? 1 : 0,
      s.callerIp,
      now,
      now,
      s.nextRunAt,
    )
  }

  getSchedule(id: string): ScheduleRecord | undefined {
    const row = this.get('SELECT * FROM schedules WHERE id = ?', id)
    return row ? this.rowToSchedule(row) : undefined
  }

  listSchedules(): ScheduleRecord[] {
    return this.all('SELECT * FROM schedules ORDER BY created_at, id').map((row) => this.rowToSchedule(row))
  }

  dueSchedules(now: number): ScheduleRecord[] {
    return this.all(
      'SELECT * FROM schedules WHERE paused = 0 AND next_run_at IS NOT NULL AND next_run_at <= ? ORDER BY next_run_at',
      now,
    ).map((row) => this.rowToSchedule(row))
  }

  setScheduleRun(id: string, lastScheduleTime: number | null, nextRunAt: number | null): void {
    this.run(
      'UPDATE schedules SET last_schedule_time = coalesce(?, last_schedule_time), next_run_at = ? WHERE id = ?',
      lastScheduleTime,
      nextRunAt,
      id,
    )
  }

  setSchedulePaused(id: string, paused: boolean, nextRunAt: number | null, now: number): boolean {
    return (
      this.run(
        'UPDATE schedules SET paused = ?, next_run_at = ?, updated_at = ? WHERE id = ?',
        paused ? 1 : 0,
        nextRunAt,
        now,
        id,
      ) === 1
    )
  }

  deleteSchedule(id: string): boolean {
    return this.run('DELETE FROM schedules WHERE id = ?', id) === 1
  }

  // ---- URL groups (topics) ----

  private rowToTopic(row: Row): TopicRecord {
    const endpoints = parseJson(optStr(row, 'endpoints'))
    return {
      name: str(row, 'name'),
      endpoints: Array.isArray(endpoints)
        ? endpoints.flatMap((e: unknown) =>
            isRecord(e) && typeof e.url === 'string'
              ? [typeof e.name === 'string' && e.name !== '' ? { name: e.name, url: e.url } : { url: e.url }]
              : [],
          )
        : [],
      createdAt: num(row, 'created_at'),
      updatedAt: num(row, 'updated_at'),
    }
  }

  getTopic(name: string): TopicRecord | undefined {
    const row = this.get('SELECT * FROM topics WHERE name = ?', name)
    return row ? this.rowToTopic(row) : undefined
  }

  listTopics(): TopicRecord[] {
    return this.all('SELECT * FROM topics ORDER BY created_at, name').map((row) => this.rowToTopic(row))
  }

  saveTopic(name: string, endpoints: TopicEndpoint[], now: number): void {
    this.run(
      `INSERT INTO topics (name, endpoints, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET endpoints = excluded.endpoints, updated_at = excluded.updated_at`,
      name,
      JSON.stringify(endpoints),
      now,
      now,
    )
  }

  deleteTopic(name: string): boolean {
    return this.run('DELETE FROM topics WHERE name = ?', name) === 1
  }

  // ---- deduplication ----

  getDedup(key: string, now: number): unknown {
    const row = this.get('SELECT response FROM dedup WHERE key = ? AND expires_at > ?', key, now)
    return row ? parseJson(optStr(row, 'response')) : undefined
  }

  putDedup(key: string, response: unknown, expiresAt: number): void {
    this.run(
      'INSERT OR REPLACE INTO dedup (key, response, expires_at) VALUES (?, ?, ?)',
      key,
      JSON.stringify(response),
      expiresAt,
    )
  }

  pruneDedup(now: number): void {
    this.run('DELETE FROM dedup WHERE expires_at <= ?', now)
  }
}
