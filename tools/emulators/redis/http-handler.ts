/**
 * The Upstash Redis REST surface: routing, auth, body parsing and reply shapes.
 *
 *   POST [/ns/<name>]/             JSON command array           → {"result": …} | 400 {"error": …}
 *   POST [/ns/<name>]/pipeline     JSON array of command arrays → [{"result"}|{"error"}, …]
 *   POST [/ns/<name>]/multi-exec   same, atomic                 → same, or 400 {"error"} when discarded
 *   GET|POST [/ns/<name>]/<cmd>/<arg>…[?k=v]  path style; a POST/PUT body is appended as the last path argument
 *   POST [/ns/<name>]/subscribe/<channel>, /psubscribe/<pattern>   SSE stream (subscribe.ts)
 *   GET  /_emulator/stats, POST /_emulator/stats/reset          (no token: test observability)
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RedisOptions } from 'ioredis'
import { bearerToken, type Handler, HttpError, readBody, sendJson } from '../shared/http'
import {
  CommandShapeError,
  commandFromJson,
  commandFromPath,
  commandsFromJson,
  type RedisCommand,
} from './command-args'
import { type PreparedCommand, prepareCommand } from './command-policy'
import type { CommandTable, SyncToken } from './command-table'
import { type Outcome, RedisUnavailableError, runPipeline, runSingle, runTransaction } from './execute'
import {
  DEFAULT_NAMESPACE,
  isValidNamespaceName,
  type Namespace,
  NamespaceLimitError,
  type NamespaceRegistry,
} from './namespaces'
import { toUpstashResult } from './reply'
import { isSubscribeRoute, type Subscriptions } from './subscribe'

export interface HandlerDeps {
  token: string
  namespaces: NamespaceRegistry
  commandTable: CommandTable
  syncToken: SyncToken
  /** Largest accepted request body (Upstash's own limit is plan-dependent; default 32 MiB). */
  maxBodyBytes: number
  /** Where SSE subscriptions open their own Redis connection. */
  redis: RedisOptions
  subscriptions: Subscriptions
}

const ALLOWED_METHODS = new Set(['HEAD', 'GET', 'POST', 'PUT'])

type Route =
  | { kind: 'single'; namespace: string }
  | { kind: 'pipeline'; namespace: string }
  | { kind: 'multi-exec'; namespace: string }
  | { kind: 'path'; namespace: string; segments: string[] }
  | { kind: 'welcome'; namespace: string }

export function createRequestHandler(deps: HandlerDeps): Handler {
  return async (req, res) => {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://emulator.local')

    if (url.pathname === '/_emulator/stats' && method === 'GET') {
      sendJson(res, 200, { namespaces: deps.namespaces.stats() })
      return
    }
    if (url.pathname === '/_emulator/stats/reset' && method === 'POST') {
      deps.namespaces.resetStats()
      sendJson(res, 200, { result: 'OK' })
      return
    }
    if (!ALLOWED_METHODS.has(method)) {
      throw new HttpError(405, { error: `ERR method ${method} not allowed (HEAD, GET, POST or PUT)` })
    }
    if (!authorized(req, url, deps.token)) throw new HttpError(401, { error: 'Unauthorized' })
    if (req.headers['upstash-response-format'] === 'resp2') {
      throw new HttpError(400, { error: 'ERR Upstash-Response-Format: resp2 is not supported by the emulator' })
    }

    const route = parseRoute(url.pathname, method)
    const namespace = await openNamespace(deps, route.namespace)
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64'
    namespace.stats.requests++

    if (route.kind === 'welcome') {
      sendJson(res, 200, { result: 'Stratum Upstash Redis emulator: POST a JSON command array here' })
      return
    }
    const body = method === 'POST' || method === 'PUT' ? await readLimitedBody(req, deps.maxBodyBytes) : undefined
    const subscribe = route.kind === 'path' ? isSubscribeRoute(route.segments) : undefined
    if (subscribe && route.kind === 'path') {
      await deps.subscriptions.serve(req, res, deps.redis, subscribe, route.segments.slice(1))
      return
    }
    const commands = parseCommands(route, url, body)
    namespace.stats.commands += commands.length

    const prepared = commands.map((command) => prepareCommand(command, namespace.scripts))
    const headers = syncHeaders(deps, prepared)
    try {
      if (route.kind === 'pipeline' || route.kind === 'multi-exec') {
        await answerBatch(res, namespace, route.kind, prepared, base64, headers)
      } else {
        const outcome = await runSingle(namespace, prepared[0]!)
        if (!outcome.ok) throw new HttpError(400, { error: outcome.error })
        sendJson(res, 200, { result: toUpstashResult(outcome.reply, base64) }, headers)
      }
    } catch (err) {
      if (err instanceof RedisUnavailableError) throw new HttpError(500, { error: err.message })
      throw err
    }
  }
}

async function answerBatch(
  res: ServerResponse,
  namespace: Namespace,
  kind: 'pipeline' | 'multi-exec',
  prepared: PreparedCommand[],
  base64: boolean,
  headers: Record<string, string>,
): Promise<void> {
  let outcomes: Outcome[]
  if (kind === 'pipeline') {
    outcomes = await runPipeline(namespace, prepared)
  } else {
    const transaction = await runTransaction(namespace, prepared)
    if (!transaction.ok) throw new HttpError(400, { error: transaction.error })
    outcomes = transaction.outcomes
  }
  // Each item's `result` is decoded on its own by the client, so each gets the top-level "OK" rule.
  const items = outcomes.map((outcome) =>
    outcome.ok ? { result: toUpstashResult(outcome.reply, base64) } : { error: outcome.error },
  )
  sendJson(res, 200, items, headers)
}

/**
 * The body, or 413. A body we stop reading leaves bytes on the socket, so that response also closes the
 * connection: otherwise the client's keep-alive pool would reuse a socket the server has given up on.
 */
async function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(413, { error: `ERR request body larger than ${limit} bytes` }, { connection: 'close' })
  if (Number(req.headers['content-length']) > limit) throw tooLarge()
  try {
    return await readBody(req, limit)
  } catch (err) {
    if (err instanceof HttpError && err.status === 413) throw tooLarge()
    throw err
  }
}

/** Bearer header (what the SDK sends) or `?_token=` (curl-friendly), compared in constant time. */
function authorized(req: IncomingMessage, url: URL, token: string): boolean {
  const given = bearerToken(req) ?? url.searchParams.get('_token') ?? ''
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function parseRoute(pathname: string, method: string): Route {
  let segments: string[]
  try {
    segments = pathname.split('/').slice(1).map(decodeURIComponent)
  } catch {
    throw new HttpError(400, { error: 'ERR malformed percent-encoding in the URL path' })
  }
  if (segments.at(-1) === '') segments.pop() // trailing slash
  let namespace = DEFAULT_NAMESPACE
  if (segments[0] === 'ns') {
    const name = segments[1]
    if (name === undefined || !isValidNamespaceName(name)) {
      throw new HttpError(400, {
        error: `ERR invalid namespace ${JSON.stringify(name ?? '')}: use 1-128 characters of A-Z a-z 0-9 . _ ~ -`,
      })
    }
    namespace = name
    segments = segments.slice(2)
  }
  if (segments.length === 0)
    return method === 'POST' || method === 'PUT' ? { kind: 'single', namespace } : { kind: 'welcome', namespace }
  if (segments.length === 1 && method === 'POST') {
    if (segments[0] === 'pipeline') return { kind: 'pipeline', namespace }
    if (segments[0] === 'multi-exec') return { kind: 'multi-exec', namespace }
  }
  return { kind: 'path', namespace, segments }
}

async function openNamespace(deps: HandlerDeps, name: string): Promise<Namespace> {
  try {
    return await deps.namespaces.get(name)
  } catch (err) {
    if (err instanceof NamespaceLimitError) throw new HttpError(503, { error: err.message })
    throw new HttpError(500, { error: `ERR emulator could not open namespace '${name}': ${String(err)}` })
  }
}

function parseCommands(route: Exclude<Route, { kind: 'welcome' }>, url: URL, body: Buffer | undefined): RedisCommand[] {
  try {
    if (route.kind === 'path') return [commandFromPath(route.segments, url.searchParams, body)]
    const json = parseJson(body)
    return route.kind === 'single' ? [commandFromJson(json)] : commandsFromJson(json)
  } catch (err) {
    if (err instanceof CommandShapeError) throw new HttpError(400, { error: err.message })
    throw err
  }
}

function parseJson(body: Buffer | undefined): unknown {
  try {
    return JSON.parse(body?.toString('utf8') ?? '')
  } catch {
    throw new CommandShapeError('ERR the request body is not valid JSON (expected a command array)')
  }
}

/** Moves the sync token forward unless every command only reads (clients echo it back for read-your-writes). */
function syncHeaders(deps: HandlerDeps, prepared: PreparedCommand[]): Record<string, string> {
  const writes = prepared.some((command) => !deps.commandTable.isReadOnly(command.name))
  return { 'upstash-sync-token': writes ? deps.syncToken.advance() : deps.syncToken.value }
}
