/**
 * What to answer when no handler matched: 405 with `Allow` when the path exists under other methods, else 404.
 * Hono answers both with 404, so the allowed methods are looked up in a second router built from the app's route
 * table (plain data, built once per app and cached).
 */
import type { Context, Hono } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'
import { MethodNotAllowedError, NotFoundError } from '../core/errors'
import { versionedPath } from '../core/versioning'
import type { AppEnv } from './context'

// biome-ignore lint/suspicious/noExplicitAny: any app shape; only its route table is read
type AnyApp = Hono<any, any, any>

const routers = new WeakMap<AnyApp, TrieRouter<string>>()

function methodRouter(app: AnyApp): TrieRouter<string> {
  let router = routers.get(app)
  if (!router) {
    router = new TrieRouter<string>()
    // Middleware and catch-alls are registered as ALL; only concrete methods describe what a path supports.
    for (const route of app.routes) if (route.method !== 'ALL') router.add('ALL', route.path, route.method)
    routers.set(app, router)
  }
  return router
}

export function allowedMethods(app: AnyApp, path: string): string[] {
  const [matches] = methodRouter(app).match('GET', path)
  const methods = new Set(matches.map(([method]) => method))
  if (methods.has('GET')) methods.add('HEAD')
  if (methods.size) methods.add('OPTIONS')
  return [...methods].sort()
}

/** Answers a request no handler took: 204 + `Allow` for a plain OPTIONS on a known path, else 405 or 404. */
export function routeMiss(c: Context<AppEnv>, app: AnyApp): Response {
  const path = versionedPath(c.req.raw, { env: c.env })
  const allowed = allowedMethods(app, path)
  if (c.req.method === 'OPTIONS' && allowed.length) return c.body(null, 204, { Allow: allowed.join(', ') })
  if (allowed.length && !allowed.includes(c.req.method)) {
    throw new MethodNotAllowedError(undefined, {
      params: { method: c.req.method, allowed: allowed.join(', ') },
      headers: { Allow: allowed.join(', ') },
    })
  }
  throw new NotFoundError('error.route_not_found', { params: { method: c.req.method, path: c.req.path } })
}
