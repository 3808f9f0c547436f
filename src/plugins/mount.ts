/**
 * Mounting: each plugin's router for an API version goes into that version's router at `/` (its paths carry their own
 * prefix: `/sys/...` for plugins extending the admin API, the plugin's own prefix otherwise), behind the plugin's
 * gate. Every registered plugin is mounted, enabled or not — the gate decides per request, so a toggle needs no
 * redeploy.
 */
import type { Router } from '../http/router'
import { gatedRouter } from './gate'
import type { ApiVersion, PluginManifest } from './types'

export function mountPlugins(router: Router, version: string, plugins: readonly PluginManifest[]): void {
  for (const plugin of plugins) {
    const build = plugin.routes?.[version as ApiVersion]
    if (build) router.route('/', gatedRouter(plugin, build(), plugins))
  }
}
