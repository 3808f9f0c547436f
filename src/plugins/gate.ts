/**
 * The gate in front of every plugin route: a switched-off plugin (or one whose dependency is switched off) answers
 * **403** in the envelope — `{code: 403, msg: "Plugin notice is disabled…", data: {plugin: "notice"}}` — instead of
 * fba's 500. 403 rather than 404: the route exists (it is in the OpenAPI document) and an administrator can switch
 * it back on; `data.plugin` tells it apart from a permission failure. The gate runs before the route's own access
 * check, so a disabled plugin answers the same to everyone. Required plugins are never gated.
 *
 * Hono runs a sub-router's `use('*')` middleware for every path of the parent it is mounted in, so the gate is not
 * a catch-all: the plugin's router is wrapped in one that registers the gate on exactly the plugin's own paths.
 */
import { createMiddleware } from 'hono/factory'
import { ForbiddenError } from '../core/errors'
import type { AppEnv } from '../http/context'
import { createRouter, type Router } from '../http/router'
import { isEffectivelyEnabled, pluginStates } from './state'
import type { PluginManifest } from './types'

export function pluginGate(plugin: PluginManifest, plugins: readonly PluginManifest[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!plugin.required) {
      const states = await pluginStates(c.get('services'))
      if (!isEffectivelyEnabled(plugin, states, plugins)) {
        throw new ForbiddenError('plugin.disabled', { params: { name: plugin.name }, data: { plugin: plugin.name } })
      }
    }
    await next()
  })
}

/** The distinct paths a router serves (Hono syntax, e.g. `/sys/notices/:pk`), without catch-all middleware. */
export function routerPaths(router: Router): string[] {
  return [...new Set(router.routes.filter((r) => r.method !== 'ALL').map((r) => r.path))]
}

/** Catch-all middleware in a plugin router would run for every route of the API version it is mounted in. */
export function catchAllPaths(router: Router): string[] {
  return [...new Set(router.routes.filter((r) => r.method === 'ALL' && /^\/?\*$/.test(r.path)).map((r) => r.path))]
}

/** `router` behind the plugin's gate, ready to be mounted at `/` of an API version router. */
export function gatedRouter(plugin: PluginManifest, router: Router, plugins: readonly PluginManifest[]): Router {
  const catchAll = catchAllPaths(router)
  if (catchAll.length) {
    throw new Error(
      `plugin "${plugin.name}": its router registers middleware on ${catchAll.join(', ')}, which would run for every ` +
        'route of the API; put middleware on the routes (defineRoute `middleware`) or on the plugin’s own paths',
    )
  }
  const wrapper = createRouter()
  const gate = pluginGate(plugin, plugins)
  for (const path of routerPaths(router)) wrapper.use(path, gate)
  return wrapper.route('/', router)
}
