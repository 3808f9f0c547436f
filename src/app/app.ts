/**
 * Assembles the app from its module list (./domains.ts) and the plugin registry: middleware stack, pages, one router
 * per API version, fallbacks and the single error handler.
 * Order matters: the request context comes first so every later failure is answered with a trace id and language.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { APP_VERSION } from '../core/app-info'
import { BadRequestError } from '../core/errors'
import { registerMessages } from '../core/i18n'
import type { ApiVersion } from '../core/versioning'
import { INVALID_VERSION_SEGMENT, versionedPath } from '../core/versioning'
import { checkAccess } from '../domains/auth/access'
import { dispatchAfterResponse } from '../domains/events/dispatch'
import { fileServeRoutes } from '../domains/files/routes.serve'
import { operaLogCapture, RouteTitles } from '../domains/logs/opera-capture'
import { deferThroughQstash } from '../domains/logs/opera-deferred'
import type { OperaLogFallback } from '../domains/logs/opera-write'
import type { AppCatalogue, DomainModule } from '../domains/module'
import { realtimeRoutes } from '../domains/realtime/routes'
import type { AccessCheck } from '../http/access'
import type { AppEnv } from '../http/context'
import { handleError } from '../http/error-handler'
import { type MountedRoutes, mountRoutes, type RouteIndex } from '../http/lazy-routes'
import { MemoRouter } from '../http/memo-router'
import { requestPipeline } from '../http/middleware/pipeline'
import { documentVersion } from '../http/openapi'
import { routeMiss } from '../http/route-miss'
import { createRouter, type Router } from '../http/router'
import type { ServiceFactories } from '../infra/services'
import { checkPlugins } from '../plugins/check'
import { pluginMessages } from '../plugins/messages'
import { PLUGINS } from '../plugins/registry'
import { pluginRequestContext } from '../plugins/settings'
import type { PluginManifest } from '../plugins/types'
import { pageRoutes } from '../views/pages'
import { appCatalogue, DOMAINS } from './domains'
import { ROUTE_INDEX } from './route-index'
import { type RouterSources, routerUnits, versionsOf } from './routers'

export const SUPPORTED_VERSIONS: readonly string[] = versionsOf(DOMAINS)

interface VersionParts extends RouterSources {
  index: RouteIndex
  titles: RouteTitles
}

/**
 * One version's router, with stand-ins from the route index for its lazy routers (http/lazy-routes.ts), and every
 * mounted router in mount order, for the OpenAPI document.
 */
function versionRouter(version: ApiVersion, parts: VersionParts): { router: Router; mounted: MountedRoutes[] } {
  const router = createRouter()
  // The operation log's titles: each router's route summaries, once it is built (a lazy one on its first request).
  const titled = (built: Router) => parts.titles.add(built, `/api/${version}`)
  const mounted = routerUnits(version, parts).map(({ key, entry }) =>
    mountRoutes(router, key, entry, parts.index[version]?.[key], titled),
  )
  return { router, mounted }
}

export interface AppOptions {
  /** The plugins to mount (default: the registry, src/plugins/registry.ts); checked before anything is built. */
  plugins?: readonly PluginManifest[]
  /** How the host builds its clients where it differs from Workers (a Node host: `nodeServices()`). */
  services?: ServiceFactories
  /** The domain modules (default: src/app/domains.ts). */
  domains?: readonly DomainModule[]
  /**
   * The access check of non-public routes (default: the auth domain's `checkAccess`). Tests replace it to show what
   * holds without it, e.g. that data permissions refuse a scoped-out record on their own.
   */
  checkAccess?: AccessCheck
  /**
   * Where an operation-log record goes when its insert fails (domains/logs/opera-write.ts; default: published through
   * QStash and inserted by a consumer once the database is back, domains/logs/opera-deferred.ts).
   */
  operaLogFallback?: OperaLogFallback
  /** The routes of the lazy routers (default: src/app/route-index.ts, written by `npm run routes`). */
  routeIndex?: RouteIndex
}

export function createApp(options: AppOptions = {}) {
  const domains = options.domains ?? DOMAINS
  const versions = versionsOf(domains)
  // A bad plugin list (missing or cyclic dependency, bad name or version) fails here, at start.
  const plugins = checkPlugins(options.plugins ?? PLUGINS, { versions })
  for (const { messages } of [...domains, ...plugins]) if (messages) registerMessages(messages)
  registerMessages(pluginMessages)
  const app = new OpenAPIHono<AppEnv>({ getPath: versionedPath, router: new MemoRouter() })

  // Built once per app, for every version's routers (it walks every module's tables and tasks).
  const catalogue = appCatalogue(domains, plugins)
  const pluginContext = pluginRequestContext(plugins)
  app.use(
    requestPipeline({
      // Every request can submit tasks (`tasksOf(c)`, domains/tasks/submitter.ts).
      extend: (c) => {
        c.set('tasks', catalogue.tasks)
        pluginContext?.(c)
      },
      // Events a request committed are published right after its response (docs/events.md).
      after: (c) => dispatchAfterResponse(c, catalogue.events),
      services: options.services,
      checkAccess: options.checkAccess ?? checkAccess,
    }),
  )
  // Every API write is recorded in the operation log after its response; titles are filled as the routers are built.
  const titles = new RouteTitles()
  app.use(
    '/api/*',
    // A record the database refuses goes through QStash (domains/logs/opera-deferred.ts): never lost.
    operaLogCapture({ titles, fallback: options.operaLogFallback ?? deferThroughQstash(catalogue.events) }),
  )
  app.route('/', pageRoutes(versions))
  // Socket.IO's endpoint (fba's `/ws/socket.io`): the upgrade goes to the realtime hub (docs/realtime.md).
  app.route('/', realtimeRoutes())
  // Uploaded files, where fba serves them (`/static/upload/<key>`, docs/files.md).
  app.route('/', fileServeRoutes())

  const index = options.routeIndex ?? ROUTE_INDEX
  for (const version of versions) {
    const { router, mounted } = versionRouter(version, { domains, plugins, catalogue, index, titles })
    // The document loads the lazy routers on its first request (it describes every route).
    documentVersion(router, version, APP_VERSION, () => Promise.all(mounted.map((m) => m.router())))
    app.route(`/api/${version}`, router)
  }

  // Reached only when no versioned route matched: an unknown version is a 400 naming the supported ones.
  const versionFallback = (c: Context<AppEnv>) => {
    // The segment after `/api/` of the path the router matched (a header version is already folded in).
    const segment = versionedPath(c.req.raw, { env: c.env }).split('/')[2] ?? ''
    if (versions.includes(segment as ApiVersion)) return routeMiss(c, app)
    const requested =
      segment === INVALID_VERSION_SEGMENT ? (c.req.header('x-api-version') ?? c.req.header('accept-version')) : segment
    throw new BadRequestError('error.unsupported_version', {
      params: { version: requested ?? segment, supported: versions.join(', ') },
      data: { supported_versions: versions },
    })
  }
  // Without a path parameter, so the router can remember its answers for static paths (http/memo-router.ts).
  app.all('/api/*', versionFallback)

  // notFound runs outside the middleware chain's error handling, so map the error here explicitly.
  app.notFound((c) => {
    try {
      return routeMiss(c, app)
    } catch (err) {
      return handleError(err, c)
    }
  })
  app.onError(handleError)
  return app
}

export type App = ReturnType<typeof createApp>
