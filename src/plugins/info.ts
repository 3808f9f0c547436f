/**
 * A manifest as fba's admin UI knows a plugin: the parsed `plugin.toml` dict plus `plugin.name` and `plugin.enable`
 * (docs/fba-compatibility.md, "Plugins"). The plugin page reads `plugin.{name, summary, author, description, version,
 * enable}`; the rest mirrors plugin.toml (`[app] extend`/`router`, `[api.*] prefix`/`tags`, `[settings]`) with
 * Stratum's values, plus `plugin.required` (fba's `PLUGIN_REQUIRED`).
 */
import { onceRetrying } from '../core/once'
import { type RoutesEntry, routesFactory } from '../http/lazy-routes'
import type { Router } from '../http/router'
import { ownFlag, type PluginStates } from './state'
import type { ApiVersion, PluginManifest } from './types'

export interface PluginApiInfo {
  /** The longest path prefix the plugin's routes share in this version, e.g. `/sys/notices`. */
  prefix: string
  /** OpenAPI tags of its routes, comma-separated. */
  tags: string
}

export interface PluginInfo {
  plugin: {
    name: string
    summary: string
    version: string
    description: string
    author: string
    tags: string[]
    depends_on: string[]
    required: boolean
    /** `'1'` enabled, `'0'` disabled (a string, as fba stores it). */
    enable: '1' | '0'
  }
  app: { extend: 'admin' } | { router: ApiVersion[] }
  /** Extend plugins: their routes per API version (fba: `[api.<file>]`). */
  api?: Partial<Record<ApiVersion, PluginApiInfo>>
  /** Default values of the plugin's settings (fba: `[settings]`). */
  settings?: Record<string, unknown>
}

/** Longest common prefix of route paths, by whole segments, stopping at parameters and wildcards. */
export function commonPrefix(paths: readonly string[]): string {
  const split = paths.map((p) => p.split('/').filter(Boolean))
  const first = split[0] ?? []
  const out: string[] = []
  for (let i = 0; i < first.length; i++) {
    const segment = first[i] as string
    if (segment.startsWith(':') || segment.includes('*') || segment.startsWith('{')) break
    if (!split.every((s) => s[i] === segment)) break
    out.push(segment)
  }
  return `/${out.join('/')}`
}

function apiInfo(router: Router): PluginApiInfo {
  const paths: string[] = []
  const tags = new Set<string>()
  for (const def of router.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue
    paths.push(def.route.path)
    for (const tag of def.route.tags ?? []) tags.add(tag)
  }
  if (!paths.length) paths.push(...router.routes.filter((r) => r.method !== 'ALL').map((r) => r.path))
  return { prefix: commonPrefix(paths), tags: [...tags].join(', ') }
}

type PluginApi = Partial<Record<ApiVersion, PluginApiInfo>>

async function describeApi(plugin: PluginManifest): Promise<PluginApi> {
  const api: PluginApi = {}
  for (const [version, entry] of Object.entries(plugin.routes ?? {}) as [ApiVersion, RoutesEntry<() => Router>][]) {
    api[version] = apiInfo((await routesFactory(entry))())
  }
  return api
}

/** Route summaries are derived by building the plugin's routers (loading lazy ones) once per isolate. */
const apiCache = new WeakMap<PluginManifest, () => Promise<PluginApi>>()

function apiOf(plugin: PluginManifest): Promise<PluginApi> {
  let api = apiCache.get(plugin)
  if (!api) {
    api = onceRetrying(() => describeApi(plugin))
    apiCache.set(plugin, api)
  }
  return api()
}

function settingsDefaults(plugin: PluginManifest): Record<string, unknown> | undefined {
  if (!plugin.settings) return undefined
  const parsed = plugin.settings.safeParse({})
  return parsed.success ? (parsed.data as Record<string, unknown>) : undefined
}

export async function describePlugin(plugin: PluginManifest, states: PluginStates): Promise<PluginInfo> {
  const versions = Object.keys(plugin.routes ?? {}) as ApiVersion[]
  const info: PluginInfo = {
    plugin: {
      name: plugin.name,
      summary: plugin.summary,
      version: plugin.version,
      description: plugin.description,
      author: plugin.author,
      tags: [...plugin.tags],
      depends_on: [...(plugin.dependencies ?? [])],
      required: plugin.required === true,
      enable: ownFlag(plugin, states) ? '1' : '0',
    },
    app: plugin.kind === 'extend' ? { extend: 'admin' } : { router: versions },
  }
  if (plugin.kind === 'extend' && versions.length) info.api = await apiOf(plugin)
  const settings = settingsDefaults(plugin)
  if (settings) info.settings = settings
  return info
}
