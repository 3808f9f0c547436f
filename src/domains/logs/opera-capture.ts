/**
 * The operation log's capture: a middleware the app installs on `/api/*` (src/app/app.ts). Every write (POST, PUT,
 * PATCH, DELETE) that reached a route, was not refused for want of a valid token (401) and is not excluded by
 * `OPERA_LOG_EXCLUDE` becomes one `sys_opera_log` record (opera-record.ts). Reads are not operations and are not
 * logged (fba logs them too; docs/fba-compatibility.md, "Logs").
 *
 * Nothing here is on the response path but a clock read and a few context reads: the arguments are collected, the
 * record built and the insert made after the response, in `waitUntil` (opera-write.ts). The body is taken from what
 * the route parsed (Hono's body cache), never read again; a request refused before its body was read (a 403) is
 * logged without it.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { ExcludeRule } from '../../core/config'
import { describeError } from '../../core/logging'
import { urlVersion } from '../../core/versioning'
import { clientInfo } from '../../http/client-info'
import type { AppEnv } from '../../http/context'
import type { Router } from '../../http/router'
import { type CapturedOperation, operaLogRecord } from './opera-record'
import { logOperaRecord, type OperaLogFallback, writeOperaLog } from './opera-write'

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Route summaries by `METHOD /api/v1/pattern` (Hono's pattern syntax, as `matchedRoutes` reports it). */
export class RouteTitles {
  readonly #titles = new Map<string, string>()

  /** Adds every documented route of a version's router, mounted at `prefix` (e.g. `/api/v1`). */
  add(router: Router, prefix: string): void {
    for (const def of router.openAPIRegistry.definitions) {
      if (def.type !== 'route') continue
      // The same conversion @hono/zod-openapi makes when it registers the route: `{pk}` → `:pk`.
      const pattern = prefix + def.route.path.replaceAll(/\/{(.+?)}/g, '/:$1')
      this.#titles.set(`${def.route.method.toUpperCase()} ${pattern}`, def.route.summary ?? '')
    }
  }

  get(method: string, pattern: string): string | undefined {
    return this.#titles.get(`${method} ${pattern}`)
  }
}

/** Whether `METHOD path` is excluded: a rule's path covers itself and everything below it (whole segments). */
export function isExcluded(rules: readonly ExcludeRule[], method: string, path: string): boolean {
  return rules.some(
    (rule) =>
      (rule.method === undefined || rule.method === method) &&
      (path === rule.path || path.startsWith(rule.path.endsWith('/') ? rule.path : `${rule.path}/`)),
  )
}

/** The path as routed: an unversioned `/api/...` path with the version it was served as (from a header or default). */
const routedPath = (path: string, version: string) => (urlVersion(path) ? path : `/api/${version}${path.slice(4)}`)

/**
 * The route the request was for: the first real route (not catch-all middleware such as a plugin's gate) from where
 * the request stopped on. Undefined when no route matched the path (those answers are not operations).
 */
function servedRoute(c: Context<AppEnv>): { method: string; path: string } | undefined {
  const routes = matchedRoutes(c)
  for (let i = c.req.routeIndex; i < routes.length; i++) {
    const route = routes[i]
    if (route && route.method !== 'ALL') return route
  }
  return undefined
}

/** A form's fields, files described by name, type and size (their bytes are not an argument anyone reads in a log). */
function formArgs(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of form.entries()) {
    const item =
      typeof value === 'string' ? value : { filename: value.name, content_type: value.type, size: value.size }
    const seen = out[key]
    out[key] = seen === undefined ? item : Array.isArray(seen) ? [...seen, item] : [seen, item]
  }
  return out
}

/** The body as the route read it (Hono's cache), or nothing when the route never read it. */
async function bodyArgs(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const cache = c.req.bodyCache
  try {
    if (cache.formData) return { 'form-data': formArgs(await cache.formData) }
    if (cache.text !== undefined) {
      const text = await cache.text
      if (!text) return {}
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        // Not JSON (the route answered 422): its text may hold anything, a secret included, and cannot be masked.
        return { data: { _unparsed: true, _size: new TextEncoder().encode(text).length } }
      }
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? { json: parsed }
        : { data: parsed }
    }
    if (cache.arrayBuffer) {
      const bytes = await cache.arrayBuffer
      return { data: { content_type: c.req.header('Content-Type') ?? null, size: bytes.byteLength } }
    }
  } catch {
    // The body could not be read (over the size limit, cut off): the request failed with it, there is nothing to log.
  }
  return {}
}

interface Seen extends Omit<CapturedOperation, 'client' | 'args'> {
  params: Record<string, string>
}

async function record(c: Context<AppEnv>, seen: Seen, fallback: OperaLogFallback): Promise<void> {
  const { params, ...operation } = seen
  const query = c.req.query()
  const args: Record<string, unknown> = {
    ...(Object.keys(query).length ? { query_params: query } : {}),
    ...(Object.keys(params).length ? { path_params: params } : {}),
    ...(await bodyArgs(c)),
  }
  const config = c.get('config')
  const entry = operaLogRecord(
    { ...operation, args, client: clientInfo(c.req.raw) },
    { redactKeys: config.OPERA_LOG_REDACT_KEYS },
  )
  await writeOperaLog({ db: c.get('services').db, logger: c.get('logger'), fallback: (r) => fallback(r, c) }, entry)
}

export interface OperaLogCaptureOptions {
  titles: RouteTitles
  /** Where a record goes when its insert fails (default: the error log, `logOperaRecord`). */
  fallback?: OperaLogFallback | undefined
}

export function operaLogCapture(options: OperaLogCaptureOptions): MiddlewareHandler<AppEnv> {
  const fallback = options.fallback ?? logOperaRecord
  return async (c, next) => {
    const method = c.req.method
    if (READS.has(method)) return next()
    const path = c.req.path
    if (isExcluded(c.get('config').OPERA_LOG_EXCLUDE, method, routedPath(path, c.get('apiVersion')))) return next()
    const startedAt = new Date()
    const started = performance.now()
    await next()
    const costMs = performance.now() - started
    // A refused token is not an operation anyone performed (fba never logs those either: D12); a 403 is, and is kept.
    if (c.res.status === 401) return
    const route = servedRoute(c)
    if (!route) return
    const seen: Seen = {
      traceId: c.get('traceId'),
      username: c.get('user')?.username ?? null,
      method,
      path,
      title: options.titles.get(route.method, route.path) ?? route.path,
      params: c.req.param(),
      httpStatus: c.res.status,
      msg: c.get('responseMsg') ?? null,
      startedAt,
      costMs,
    }
    // Everything else (arguments, client, the insert) happens after the response.
    c.executionCtx.waitUntil(
      record(c, seen, fallback).catch((err: unknown) =>
        c.get('logger').error('operation log not written', {
          operation: { ...seen, startedAt: startedAt.toISOString() },
          ...describeError(err),
        }),
      ),
    )
  }
}
