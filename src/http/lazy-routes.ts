/**
 * Routers evaluated on first use (docs/architecture.md, "Lazy routers"). A domain or plugin declares its routes as
 * `lazyRoutes(() => import('./routes.v1').then((m) => m.userRoutes))`: its route modules (DTO schemas, services,
 * repositories) are evaluated when a request first needs one of its routes, not when the Worker starts. What the app
 * must know before that — which routes exist and the declarations checked before routing (body limits, the
 * default rate limit's exemptions) — comes from the route index (src/app/route-index.ts, written by
 * `npm run routes` and checked by the test suite).
 *
 * How a request reaches a lazy route: the app registers a stand-in at the route's own pattern; on the first request
 * it loads the router and runs that route's own handlers on the same context. The stand-in's pattern is the route's,
 * so `c.req.param()`, `c.req.routePath` and the operation log see exactly what the eager route would have given them.
 */
import type { Context, MiddlewareHandler, Next } from 'hono'
import { onceRetrying } from '../core/once'
import type { AppEnv } from './context'
import { handleError } from './error-handler'
import { declareBodyLimit } from './middleware/body-limit'
import { declareCarriedRateLimit, skipDefaultRateLimit } from './middleware/rate-limit'
import type { Router } from './router'

/** A router factory whose module is loaded on first use. */
export interface LazyRoutes<F> {
  readonly load: () => Promise<F>
}

/** Declares a router factory loaded on first use (the module's `routes.<version>`). */
export const lazyRoutes = <F>(load: () => Promise<F>): LazyRoutes<F> => ({ load })

/** A module's router factory for one version: built when the app is, or loaded on first use. */
export type RoutesEntry<F> = F | LazyRoutes<F>

export const isLazyRoutes = <F>(entry: RoutesEntry<F>): entry is LazyRoutes<F> =>
  typeof entry === 'object' && entry !== null && typeof (entry as LazyRoutes<F>).load === 'function'

/** `entry` with `build` applied to its factory: a factory of no arguments, loaded on first use if `entry` is. */
export function bindRoutes<F>(entry: RoutesEntry<F>, build: (factory: F) => Router): RoutesEntry<() => Router> {
  if (!isLazyRoutes(entry)) return () => build(entry)
  return lazyRoutes(async () => {
    const factory = await entry.load()
    return () => build(factory)
  })
}

/** The router factory of `entry`, loading its module if it is lazy. */
export const routesFactory = <F>(entry: RoutesEntry<F>): Promise<F> =>
  isLazyRoutes(entry) ? entry.load() : Promise.resolve(entry)

/** What the app checks before routing, declared by the route (`defineRoute`) and recorded in the index. */
export interface IndexedRouteFlags {
  /** `dependencies: 'none'` or QStash access: the default rate limit does not count it. */
  independent?: true
  /** Its rate limit is counted in the handler's own Redis pipeline (`rateLimit.carried`). */
  carried?: true
  /** Its own body limit in bytes (`defineRoute({ bodyLimit })`). */
  bodyLimit?: number
}

/** One route of a lazy router: method, Hono pattern (`/sys/users/:pk`), what it declares for before routing. */
export type IndexedRoute = readonly [method: string, path: string, flags?: IndexedRouteFlags]

/**
 * Per API version, per unit (`domain/<name>`, `plugin/<name>`, `plugins` for their administration): the routes of
 * every lazy router, in order.
 */
export type RouteIndex = Readonly<Partial<Record<string, Readonly<Record<string, readonly IndexedRoute[]>>>>>

/** The key of a module's or plugin's router in the route index. */
export const unitKey = (kind: 'domain' | 'plugin', name: string): string => `${kind}/${name}`

/** `/sys/users/:pk` → `/sys/users/{pk}` (how `defineRoute` and the registries name a path). */
export const openApiPath = (path: string): string => path.replaceAll(/\/:([^/]+)/g, '/{$1}')

/** Declares what an indexed route checks before routing, as `defineRoute` does when the route module is evaluated. */
export function declareIndexedRoute([method, path, flags]: IndexedRoute): void {
  if (!flags) return
  const declared = openApiPath(path)
  if (flags.independent) skipDefaultRateLimit(declared)
  if (flags.carried) declareCarriedRateLimit(declared)
  if (flags.bodyLimit !== undefined) declareBodyLimit(method, declared, flags.bodyLimit)
}

type Handler = MiddlewareHandler<AppEnv>

/**
 * One lazy router: built once, on the first request that needs it (concurrent first requests share the build; a
 * failed build is retried by the next request).
 */
export class LazyRouter {
  readonly router: () => Promise<Router>

  constructor(
    readonly key: string,
    build: () => Promise<Router>,
  ) {
    this.router = onceRetrying(build)
  }

  /** The stand-in registered at `METHOD path`: runs that route's own handlers once the router is loaded. */
  standIn(method: string, path: string): Handler {
    let chain: Handler[] | undefined
    return async (c, next) => {
      chain ??= await this.#chain(method, path)
      return runChain(c, chain, next)
    }
  }

  /** The handlers the router registered for `METHOD path`, in order (route middleware included). */
  async #chain(method: string, path: string): Promise<Handler[]> {
    const router = await this.router()
    const chain = router.routes
      .filter((r) => r.path === path && (r.method === method || r.method === 'ALL'))
      .map((r) => r.handler as Handler)
    if (!chain.length)
      throw new Error(`${this.key}: no route ${method} ${path} (the route index is stale: npm run routes)`)
    return chain
  }
}

/**
 * Runs `chain` on `c`, then `next`, as Hono's own composition does: an error thrown by a handler becomes its answer
 * through the app's one error handler, so the middleware before it sees a response (a carried rate limit still
 * counts a request its validation refused). Unlike Hono's, the request's route index is left alone, so parameters
 * keep resolving against the stand-in's match (the same pattern as the route's).
 */
function runChain(c: Context<AppEnv>, chain: readonly Handler[], next: Next): Promise<Response | undefined> {
  let last = -1
  const dispatch = async (i: number): Promise<void> => {
    if (i <= last) throw new Error('next() called multiple times')
    last = i
    const handler = chain[i]
    if (!handler) return next()
    let res: Response | undefined
    let failed = false
    try {
      res = (await handler(c, () => dispatch(i + 1))) ?? undefined
    } catch (err) {
      if (!(err instanceof Error)) throw err
      c.error = err
      res = handleError(err, c)
      failed = true
    }
    if (res instanceof Response && (!c.finalized || failed)) c.res = res
  }
  return dispatch(0).then(() => (c.finalized ? c.res : undefined))
}

/** A module's router for one version as the app mounted it: built already, or built on its first request. */
export interface MountedRoutes {
  router(): Promise<Router>
}

/**
 * Mounts one router for a version on `target` (at `/`: its paths carry their own prefix): a plain factory is built
 * now; a lazy one gets a stand-in per route of `indexed` (the route index's entry for `key`), and the declarations
 * those routes check before routing. `built` sees every router once it exists (now, or when loaded).
 */
export function mountRoutes(
  target: Router,
  key: string,
  entry: RoutesEntry<() => Router>,
  indexed: readonly IndexedRoute[] | undefined,
  built: (router: Router) => void,
): MountedRoutes {
  if (!isLazyRoutes(entry)) {
    const router = entry()
    target.route('/', router)
    built(router)
    return { router: () => Promise.resolve(router) }
  }
  if (!indexed) throw new Error(`${key}: its lazy routes are not in the route index (run \`npm run routes\`)`)
  const lazy = new LazyRouter(key, async () => {
    const router = (await entry.load())()
    built(router)
    return router
  })
  for (const route of indexed) {
    declareIndexedRoute(route)
    target.on(route[0], route[1], lazy.standIn(route[0], route[1]))
  }
  return lazy
}
