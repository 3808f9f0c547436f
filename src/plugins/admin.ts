/**
 * The plugin administration routes (v1 `/sys/plugins`, ./routes.ts), loaded on their first request like every other
 * router (docs/architecture.md, "Lazy routers"); their key in the route index is `PLUGIN_ADMIN_UNIT`.
 */
import { lazyRoutes } from '../http/lazy-routes'

export const PLUGIN_ADMIN_UNIT = 'plugins'

export const pluginAdminRouter = lazyRoutes(() => import('./routes').then((m) => m.pluginAdminRoutes))
