/**
 * Assembles the app: middleware stack, pages, one router per API version, fallbacks and the single error handler.
 * Order matters: the request context comes first so every later failure is answered with a trace id and language.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { APP_VERSION } from './core/app-info'
import type { AppEnv } from './core/context'
import { handleError } from './core/error-handler'
import { BadRequestError } from './core/errors'
import { MemoRouter } from './core/memo-router'
import { documentVersion } from './core/openapi'
import { routeMiss } from './core/route-miss'
import { createRouter, type Router } from './core/router'
import { INVALID_VERSION_SEGMENT, versionedPath } from './core/versioning'
import { authRoutes } from './domains/auth/routes.v1'
import { dataRuleRoutes } from './domains/data-rules/routes.v1'
import { dataScopeRoutes } from './domains/data-scopes/routes.v1'
import { deptRoutes } from './domains/depts/routes.v1'
import { healthRoutes } from './domains/health/routes'
import { logRoutes } from './domains/logs/routes.v1'
import { menuRoutes } from './domains/menus/routes.v1'
import { cacheMonitorRoutes } from './domains/monitors/cache'
import { redisMonitorRoutes } from './domains/monitors/redis'
import { monitorRoutes } from './domains/monitors/routes.v1'
import { roleRoutes } from './domains/roles/routes.v1'
import { userRoutes } from './domains/users/routes.v1'
import type { ServiceFactories } from './infra/services'
import { requestPipeline } from './middleware/pipeline'
import { checkPlugins } from './plugins/check'
import { mountPlugins } from './plugins/mount'
import { PLUGINS } from './plugins/registry'
import { pluginAdminRoutes } from './plugins/routes'
import { pluginRequestContext } from './plugins/settings'
import type { PluginManifest } from './plugins/types'
import { pageRoutes } from './views/pages'

/** The API versions this build serves, each with the domain routers mounted in it. */
const API_VERSIONS: Record<string, () => Router> = {
  v1: () =>
    createRouter()
      .route('/', healthRoutes())
      .route('/', authRoutes())
      .route('/', userRoutes())
      .route('/', logRoutes())
      .route('/', monitorRoutes())
      .route('/', redisMonitorRoutes())
      .route('/', cacheMonitorRoutes())
      .route('/', roleRoutes())
      .route('/', menuRoutes())
      .route('/', deptRoutes())
      .route('/', dataRuleRoutes())
      .route('/', dataScopeRoutes()),
  v2: () => createRouter().route('/', healthRoutes()),
}

export const SUPPORTED_VERSIONS = Object.keys(API_VERSIONS)

export interface AppOptions {
  /** The plugins to mount (default: the registry, src/plugins/registry.ts); checked before anything is built. */
  plugins?: readonly PluginManifest[]
  /** How the host builds its clients where it differs from Workers (a Node host: `nodeServices()`). */
  services?: ServiceFactories
}

export function createApp(options: AppOptions = {}) {
  // A bad plugin list (missing or cyclic dependency, bad name or version) fails here, at start.
  const plugins = checkPlugins(options.plugins ?? PLUGINS, { versions: SUPPORTED_VERSIONS })
  const app = new OpenAPIHono<AppEnv>({ getPath: versionedPath, router: new MemoRouter() })

  app.use(requestPipeline({ extend: pluginRequestContext(plugins), services: options.services }))
  app.route('/', pageRoutes(SUPPORTED_VERSIONS))

  for (const [version, build] of Object.entries(API_VERSIONS)) {
    const router = build()
    // Plugin administration is part of the v1 admin API; each plugin's routers go behind its gate.
    if (version === 'v1') router.route('/', pluginAdminRoutes(plugins))
    mountPlugins(router, version, plugins)
    documentVersion(router, version, APP_VERSION)
    app.route(`/api/${version}`, router)
  }

  // Reached only when no versioned route matched: an unknown version is a 400 naming the supported ones.
  const versionFallback = (c: Context<AppEnv>) => {
    // The segment after `/api/` of the path the router matched (a header version is already folded in).
    const segment = versionedPath(c.req.raw, { env: c.env }).split('/')[2] ?? ''
    if (SUPPORTED_VERSIONS.includes(segment)) return routeMiss(c, app)
    const requested =
      segment === INVALID_VERSION_SEGMENT ? (c.req.header('x-api-version') ?? c.req.header('accept-version')) : segment
    throw new BadRequestError('error.unsupported_version', {
      params: { version: requested ?? segment, supported: SUPPORTED_VERSIONS.join(', ') },
      data: { supported_versions: SUPPORTED_VERSIONS },
    })
  }
  // Without a path parameter, so the router can remember its answers for static paths (core/memo-router.ts).
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
