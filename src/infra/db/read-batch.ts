/**
 * Read-only batches (a list's page, its total and its related rows) sent as one Hrana-over-HTTP request built here,
 * not through `@libsql/client`. The client turns every row into an object with a property defined per column (and
 * Drizzle then copies it back into an array): on a 20-row page that is the largest item of the request's CPU
 * (docs/benchmarks.md, "Where a list's CPU still goes"). Here rows stay the arrays the server sent, which is what
 * Drizzle's result mapping reads.
 *
 * Same wire, deadline and transaction as `db.batch`: the Hrana v2 pipeline the web client uses (`POST v2/pipeline`,
 * JSON), through the request's deadline-bound `fetch`, the statements between `BEGIN DEFERRED` and `COMMIT` so the
 * total and the page see one snapshot. Databases this module cannot reach that way (`file:`, `ws:`) go through
 * `db.batch`.
 */
import { fillPlaceholders, type Placeholder, sql } from 'drizzle-orm'
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch'
import type { LibSQLDatabase } from 'drizzle-orm/libsql'
import { base64ToBytes, bytesToBase64 } from '../../core/encoding'
import { type MappablePrepared, rowMapperOf } from './row-mapper'

/** How a request's database handle is reached over HTTP (recorded by `createDb`). */
export interface HranaTransport {
  /** `http(s)://…/` with a trailing slash (a `libsql://` URL as the client reads it: HTTPS). */
  baseUrl: string
  authToken: string | undefined
  fetch: typeof fetch
}

const transports = new WeakMap<object, HranaTransport>()

/** Base URLs by configured URL (parsed once per isolate, not per request); null: not reachable over HTTP. */
const baseUrls = new Map<string, string | null>()
/** Distinct database URLs remembered (one per tenant database); past it the map starts again. */
const MAX_BASE_URLS = 256

/** `http(s)://…/` for a libSQL URL as the client reads it (`libsql://` is HTTPS unless `tls=0`), else null. */
function baseUrlOf(url: string): string | null {
  let base = baseUrls.get(url)
  if (base !== undefined) return base
  const parsed = new URL(url)
  if (parsed.protocol === 'libsql:') parsed.protocol = parsed.searchParams.get('tls') === '0' ? 'http:' : 'https:'
  base = null
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    parsed.search = ''
    if (!parsed.pathname.endsWith('/')) parsed.pathname += '/'
    base = parsed.href
  }
  if (baseUrls.size >= MAX_BASE_URLS) baseUrls.clear()
  baseUrls.set(url, base)
  return base
}

/** Records how `db` is reached, when it is over HTTP. */
export function recordTransport(db: object, url: string, authToken: string | undefined, fetcher: typeof fetch): void {
  const baseUrl = baseUrlOf(url)
  if (baseUrl) transports.set(db, { baseUrl, authToken, fetch: fetcher })
}

/** The handle `readBatch` needs: Drizzle's `db.batch` (the fallback), keyed to its transport. */
type BatchingDb = Pick<LibSQLDatabase<Record<string, unknown>>, 'batch'>

/**
 * Drizzle's prepared form of a query builder: what its own `db.batch` uses (`_prepare`, `getQuery`, `mapResult`),
 * and what ./row-mapper.ts reads to map a select's rows without it.
 */
interface Prepared extends MappablePrepared {
  executeMethod: string
  getQuery(): { sql: string; params: unknown[] }
  mapResult(response: { rows: unknown[][] }, isFromBatch: boolean): unknown
}

type HranaValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string }

interface StepResult {
  rows: HranaValue[][]
}
interface HranaError {
  message: string
  code?: string | null
}
interface PipelineResponse {
  results: (
    | {
        type: 'ok'
        response: { type: string; result?: { step_results: (StepResult | null)[]; step_errors: (HranaError | null)[] } }
      }
    | { type: 'error'; error: HranaError }
  )[]
}

/** A failure the database reported, shaped like the client's (`code`: `SQLITE_…`) so db/errors.ts reads it alike. */
export class ReadBatchError extends Error {
  override readonly name = 'ReadBatchError'
  readonly code: string | undefined
  constructor(error: HranaError) {
    super(`SQLite error: ${error.message}`)
    this.code = error.code ?? undefined
  }
}

/**
 * Runs read-only query builders in one round trip, like `db.batch(queries)` (same results); writes belong in
 * `db.batch`, which also reports affected rows.
 */
export async function readBatch<T extends readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]>(
  db: BatchingDb,
  queries: T,
): Promise<BatchResponse<T>> {
  const transport = transports.get(db)
  if (!transport) return db.batch(queries)
  return (await send(transport, queries.map(prepare), {})) as BatchResponse<T>
}

/** A page's bounds: numbers for one request, placeholders for statements built once (`readPage`). */
export interface PageBounds {
  limit: number | Placeholder
  offset: number | Placeholder
}

const BOUND_PLACEHOLDERS: PageBounds = { limit: sql.placeholder('limit'), offset: sql.placeholder('offset') }

/** Statements built once per isolate: namespace (e.g. a repository class) → key → prepared statements. */
const builtPages = new WeakMap<object, Map<string, Prepared[]>>()
/** Keys per namespace before the oldest is forgotten (a key is a shape, e.g. a sort order, not a value). */
const PAGES_PER_NAMESPACE = 64

/**
 * A page read whose statements differ between requests only in their bounds (no filter values, no data-permission
 * condition): built and prepared once per isolate under `namespace` + `key`, then run with the page's bounds as
 * parameters. Building the SQL is the largest part of a list's CPU after the client's rows (docs/benchmarks.md);
 * `key` must name everything else the statements depend on (the sort order). Without an HTTP transport it builds
 * and runs them as `db.batch` does.
 */
export async function readPage<T extends readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]>(
  db: BatchingDb,
  namespace: object,
  key: string,
  build: (bounds: PageBounds) => T,
  bounds: { limit: number; offset: number },
): Promise<BatchResponse<T>> {
  const transport = transports.get(db)
  if (!transport) return db.batch(build(bounds))
  let pages = builtPages.get(namespace)
  if (!pages) {
    pages = new Map()
    builtPages.set(namespace, pages)
  }
  let prepared = pages.get(key)
  if (!prepared) {
    prepared = build(BOUND_PLACEHOLDERS).map(prepare)
    pages.set(key, prepared)
    if (pages.size > PAGES_PER_NAMESPACE) pages.delete(pages.keys().next().value as string)
  }
  return (await send(transport, prepared, bounds)) as BatchResponse<T>
}

const prepare = (query: BatchItem<'sqlite'>): Prepared => (query as unknown as { _prepare(): Prepared })._prepare()

/** One Hrana pipeline request: the statements in a deferred transaction, their rows mapped as Drizzle maps them. */
async function send(
  transport: HranaTransport,
  prepared: Prepared[],
  values: Record<string, unknown>,
): Promise<unknown[]> {
  const steps = [
    { stmt: { sql: 'BEGIN DEFERRED', want_rows: false } },
    ...prepared.map((p, i) => {
      const { sql: text, params } = p.getQuery()
      const args = fillPlaceholders(params, values).map(toHrana)
      return { condition: { type: 'ok', step: i }, stmt: { sql: text, args, want_rows: true } }
    }),
    { condition: { type: 'ok', step: prepared.length }, stmt: { sql: 'COMMIT', want_rows: false } },
    {
      condition: { type: 'not', cond: { type: 'ok', step: prepared.length + 1 } },
      stmt: { sql: 'ROLLBACK', want_rows: false },
    },
  ]
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (transport.authToken) headers.Authorization = `Bearer ${transport.authToken}`
  const res = await transport.fetch(`${transport.baseUrl}v2/pipeline`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ baton: null, requests: [{ type: 'batch', batch: { steps } }, { type: 'close' }] }),
  })
  if (!res.ok) throw new ReadBatchError({ message: `HTTP ${res.status}: ${await res.text()}` })
  const [first] = ((await res.json()) as PipelineResponse).results
  if (!first || first.type === 'error') throw new ReadBatchError(first?.error ?? { message: 'no result' })
  const result = first.response.result
  if (!result) throw new ReadBatchError({ message: `unexpected ${first.response.type} response` })
  return prepared.map((p, i) => {
    const error = result.step_errors[i + 1] ?? result.step_errors[0]
    if (error) throw new ReadBatchError(error)
    const step = result.step_results[i + 1]
    if (!step) throw new ReadBatchError({ message: 'statement not executed (transaction rolled back)' })
    return mapRows(p, step.rows)
  })
}

/** A statement's rows as Drizzle's `mapResult` gives them (`all`: every row, `get`: the first or undefined). */
function mapRows(p: Prepared, rows: HranaValue[][]): unknown {
  const mapper = p.executeMethod === 'all' || p.executeMethod === 'get' ? rowMapperOf(p) : undefined
  if (!mapper) return p.mapResult({ rows: rows.map((row) => row.map(fromHrana)) }, true)
  if (p.executeMethod === 'get') {
    const [first] = rows
    return first && mapper(first.map(fromHrana))
  }
  return rows.map((row) => mapper(row.map(fromHrana)))
}

/** A query parameter as the Hrana JSON encoding carries it (numbers as floats, as `@libsql/client` sends them). */
function toHrana(value: unknown): HranaValue {
  if (value === null || value === undefined) return { type: 'null' }
  if (typeof value === 'string') return { type: 'text', value }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers can be passed as arguments')
    return { type: 'float', value }
  }
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() }
  if (typeof value === 'boolean') return { type: 'integer', value: value ? '1' : '0' }
  if (value instanceof Date) return { type: 'float', value: value.valueOf() }
  if (value instanceof ArrayBuffer || value instanceof Uint8Array) {
    return { type: 'blob', base64: bytesToBase64(value instanceof Uint8Array ? value : new Uint8Array(value)) }
  }
  throw new TypeError(`Unsupported query parameter of type ${typeof value}`)
}

/** A column value as `@libsql/client` returns it (integers as safe numbers, blobs as ArrayBuffers). */
function fromHrana(value: HranaValue): unknown {
  switch (value.type) {
    case 'null':
      return null
    case 'text':
    case 'float':
      return value.value
    case 'integer': {
      const n = Number(value.value)
      if (!Number.isSafeInteger(n))
        throw new RangeError('Received integer which is too large to be safely represented as a JavaScript number')
      return n
    }
    case 'blob':
      return base64ToBytes(value.base64).buffer
  }
}
