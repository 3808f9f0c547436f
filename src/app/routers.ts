/**
 * The routers each API version mounts, in mount order — every module's, then (v1) the plugin administration, then
 * every plugin's behind its gate — each with its key in the route index. The app mounts them (./app.ts) and
 * `npm run routes` lists the lazy ones from the same list (tools/cli/lib/route-index.ts), so the two cannot differ.
 */
import type { ApiVersion } from '../core/versioning'
import type { AppCatalogue, DomainModule } from '../domains/module'
import { bindRoutes, type RoutesEntry, unitKey } from '../http/lazy-routes'
import type { Router } from '../http/router'
import { PLUGIN_ADMIN_UNIT, pluginAdminRouter } from '../plugins/admin'
import { gatedRouter } from '../plugins/gate'
import type { PluginManifest } from '../plugins/types'

/** One router a version mounts: its key in the route index, and its factory (built now, or on first use). */
export interface RouterUnit {
  key: string
  entry: RoutesEntry<() => Router>
}

export interface RouterSources {
  domains: readonly DomainModule[]
  plugins: readonly PluginManifest[]
  catalogue: AppCatalogue
}

/** The API versions some module serves, in order. */
export const versionsOf = (domains: readonly DomainModule[]): ApiVersion[] =>
  [...new Set(domains.flatMap((d) => Object.keys(d.routes ?? {}) as ApiVersion[]))].sort()

export function routerUnits(version: ApiVersion, { domains, plugins, catalogue }: RouterSources): RouterUnit[] {
  const units: RouterUnit[] = []
  const add = <F>(key: string, entry: RoutesEntry<F> | undefined, build: (factory: F) => Router) => {
    if (entry) units.push({ key, entry: bindRoutes(entry, build) })
  }
  for (const domain of domains) add(unitKey('domain', domain.name), domain.routes?.[version], (f) => f(catalogue))
  // Plugin administration is part of the v1 admin API.
  if (version === 'v1') add(PLUGIN_ADMIN_UNIT, pluginAdminRouter, (f) => f(plugins))
  // Every plugin is mounted, enabled or not: its gate decides per request, so a toggle needs no redeploy.
  for (const plugin of plugins) {
    add(unitKey('plugin', plugin.name), plugin.routes?.[version], (f) => gatedRouter(plugin, f(), plugins))
  }
  return units
}
