/**
 * HTTP routing for the libSQL emulator.
 *
 *   GET  [/<db>]/v2 | /v3                 200 (protocol supported)
 *   GET  [/<db>]/v3-protobuf              404, so Hrana 3 clients fall back to JSON
 *   POST [/<db>]/v2/pipeline | /v3/pipeline   Hrana pipeline (JSON)
 *   POST [/<db>]/v3/cursor                Hrana cursor (JSON lines)
 *   GET  /_emulator/stats                 { databases: { [name]: { pipelines, statements } } }
 *   POST /_emulator/stats/reset
 *   GET  / | /health                      200 "ok"
 *
 * Errors outside stream results are `{message, code}` JSON with a 4xx/5xx status, the shape `@libsql/client`
 * turns into a `LibsqlError` with that code.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { bearerToken, type Handler, HttpError, readBody, sendJson } from '../shared/http.js'
import { DATABASE_NAME, type DatabaseRegistry, DEFAULT_DATABASE } from './databases.js'
import { ProtocolError } from './errors.js'
import { type PipelineDeps, runCursor, runPipeline } from './pipeline.js'
import { type HranaVersion, parseCursorRequest, parsePipelineRequest } from './protocol.js'
import { stringifyWithInfinity } from './values.js'

export interface ServerDeps extends PipelineDeps {
  databases: DatabaseRegistry
  /** When set, pipeline and cursor requests need `Authorization: Bearer <authToken>`. */
  authToken: string | null
}

/** `[/<db>]/<version>[/<action>]` */
const HRANA_PATH = /^\/(?:([^/]+)\/)?(v1|v2|v3|v3-protobuf)(?:\/(pipeline|cursor|execute|batch))?\/?$/

function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function fail(status: number, message: string, code: string): never {
  throw new HttpError(status, { message, code })
}

function checkAuth(deps: ServerDeps, req: IncomingMessage): void {
  if (deps.authToken === null) return
  const given = Buffer.from(bearerToken(req) ?? '')
  const expected = Buffer.from(deps.authToken)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    fail(401, 'Unauthorized: missing or invalid auth token', 'UNAUTHORIZED')
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  let raw: Buffer
  try {
    raw = await readBody(req)
  } catch (err) {
    if (err instanceof HttpError) fail(err.status, 'Request body is too large', 'HTTP_PAYLOAD_TOO_LARGE')
    throw err
  }
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    return fail(400, 'Request body is not valid JSON', 'HRANA_PROTO_ERROR')
  }
}

async function handleHrana(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) {
  const [, rawName, version, action] = match
  const name = rawName ?? DEFAULT_DATABASE
  if (!DATABASE_NAME.test(name)) fail(404, `Invalid database name (expected ${DATABASE_NAME.source})`, 'NOT_FOUND')
  if (version === 'v1' || version === 'v3-protobuf') {
    // Protobuf and the legacy v1 API are not emulated; a 404 makes Hrana 3 clients pick JSON.
    fail(404, `Hrana ${version} is not supported by this emulator`, 'NOT_FOUND')
  }
  if (action === undefined) {
    if (req.method !== 'GET') fail(405, 'Method not allowed', 'METHOD_NOT_ALLOWED')
    sendText(res, 200, '', 'text/plain')
    return
  }
  if (req.method !== 'POST') fail(405, 'Method not allowed', 'METHOD_NOT_ALLOWED')
  if (action === 'execute' || action === 'batch' || (action === 'cursor' && version === 'v2')) {
    fail(404, `/${version}/${action} is not supported by this emulator`, 'NOT_FOUND')
  }
  checkAuth(deps, req)
  const body = await readJsonBody(req)
  const hranaVersion: HranaVersion = version === 'v3' ? 3 : 2
  if (action === 'pipeline') {
    const request = parsePipelineRequest(body, hranaVersion)
    const response = await runPipeline(deps, deps.databases.get(name), request)
    sendText(res, 200, stringifyWithInfinity(response), 'application/json')
    return
  }
  const request = parseCursorRequest(body)
  const { baton, entries } = await runCursor(deps, deps.databases.get(name), request)
  const lines = [JSON.stringify({ baton, base_url: null })]
  for (const entry of entries) lines.push(stringifyWithInfinity(entry))
  sendText(res, 200, `${lines.join('\n')}\n`, 'text/plain')
}

export function createHandler(deps: ServerDeps): Handler {
  return async (req, res) => {
    try {
      let pathname: string
      try {
        pathname = new URL(req.url ?? '/', 'http://emulator').pathname
      } catch {
        return fail(400, 'Invalid request URL', 'HRANA_PROTO_ERROR')
      }
      if (pathname === '/_emulator/stats') {
        if (req.method !== 'GET') fail(405, 'Method not allowed', 'METHOD_NOT_ALLOWED')
        sendJson(res, 200, deps.stats.snapshot())
        return
      }
      if (pathname === '/_emulator/stats/reset') {
        if (req.method !== 'POST') fail(405, 'Method not allowed', 'METHOD_NOT_ALLOWED')
        deps.stats.reset()
        sendJson(res, 200, deps.stats.snapshot())
        return
      }
      if (pathname === '/' || pathname === '/health') {
        sendText(res, 200, 'ok', 'text/plain')
        return
      }
      const match = HRANA_PATH.exec(pathname)
      if (match === null) fail(404, `No route for ${pathname}`, 'NOT_FOUND')
      await handleHrana(deps, req, res, match)
    } catch (err) {
      if (err instanceof HttpError) throw err
      if (err instanceof ProtocolError) fail(err.status, err.message, err.code)
      // A bug, not bad input: answer 500 in the protocol's error shape and keep serving.
      console.error('[libsql emulator] unexpected error:', err)
      fail(500, err instanceof Error ? err.message : String(err), 'INTERNAL_ERROR')
    }
  }
}
