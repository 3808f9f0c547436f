/**
 * The build check: the registry must describe a consistent set of plugins, or the app refuses to start (`createApp`
 * calls `checkPlugins`), so a bad plugin list fails at the first request of a deployment — and in every test — rather
 * than somewhere in a handler. Checked: names (lowercase folder names, unique), versions (`x.y.z`), the
 * descriptive fields the admin UI shows, `kind`/`extends`, route versions, and dependencies (present, not itself,
 * no cycles). Returns the plugins in dependency order (a plugin after everything it depends on; otherwise registry
 * order) — the order they are mounted and seeded in.
 */
import { isLazyRoutes } from '../http/lazy-routes'
import type { ApiVersion, PluginManifest } from './types'

/** Folder-name rule: lowercase letter first, then lowercase letters, digits or `_` (`dict`, `code_generator`). */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/

/** `x.y.z` with an optional pre-release/build suffix (`1.2.3`, `0.1.0-beta.1`). */
export const PLUGIN_VERSION_PATTERN = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/

/** fba's plugin tag vocabulary (plugin.schema.json); other tags are allowed but these are what fba's UI knows. */
export const KNOWN_PLUGIN_TAGS = [
  'ai',
  'mcp',
  'agent',
  'auth',
  'storage',
  'notification',
  'task',
  'payment',
  'other',
] as const

export class PluginCheckError extends Error {
  override readonly name = 'PluginCheckError'
  constructor(readonly problems: string[]) {
    super(`invalid plugin registry: ${problems.join('; ')}`)
  }
}

export interface CheckOptions {
  /** API versions the app serves; a plugin with routes for another version is an error. */
  versions?: readonly string[]
}

const text = (value: unknown, min: number, max: number) =>
  typeof value === 'string' && value.trim().length >= min && value.length <= max

function manifestProblems(p: PluginManifest, versions: readonly string[] | undefined): string[] {
  const problems: string[] = []
  const label = typeof p.name === 'string' ? `plugin "${p.name}"` : 'a plugin'
  if (typeof p.name !== 'string' || !PLUGIN_NAME_PATTERN.test(p.name)) {
    problems.push(`${label}: name must match ${PLUGIN_NAME_PATTERN} (the folder name under src/plugins)`)
  }
  if (typeof p.version !== 'string' || !PLUGIN_VERSION_PATTERN.test(p.version)) {
    problems.push(`${label}: version ${JSON.stringify(p.version)} is not x.y.z`)
  }
  if (!text(p.summary, 1, 100)) problems.push(`${label}: summary must be 1–100 characters`)
  if (!text(p.description, 1, 500)) problems.push(`${label}: description must be 1–500 characters`)
  if (!text(p.author, 1, 50)) problems.push(`${label}: author must be 1–50 characters`)
  if (!Array.isArray(p.tags) || !p.tags.length || !p.tags.every((t) => text(t, 1, 32))) {
    problems.push(`${label}: tags must list at least one tag (e.g. ${KNOWN_PLUGIN_TAGS.join(', ')})`)
  }
  if (p.kind !== 'app' && p.kind !== 'extend') problems.push(`${label}: kind must be "app" or "extend"`)
  if (p.kind === 'extend' && p.extends !== 'admin')
    problems.push(`${label}: an "extend" plugin must set extends: "admin"`)
  if (p.kind === 'app' && p.extends !== undefined) problems.push(`${label}: only "extend" plugins set extends`)
  for (const version of Object.keys(p.routes ?? {})) {
    if (versions && !versions.includes(version)) {
      problems.push(`${label}: has routes for ${version}, which this app does not serve (${versions.join(', ')})`)
    }
    const entry = p.routes?.[version as ApiVersion]
    if (typeof entry !== 'function' && !(entry && isLazyRoutes(entry))) {
      problems.push(`${label}: routes.${version} must be a function returning a router, or lazyRoutes(…)`)
    }
  }
  return problems
}

/**
 * Validates the plugin list and returns it in dependency order. Throws `PluginCheckError` listing every problem,
 * e.g. `plugin "a" depends on missing "b"` or `dependency cycle: a → b → a`.
 */
export function checkPlugins<P extends PluginManifest>(list: readonly P[], options: CheckOptions = {}): P[] {
  const problems: string[] = []
  const byName = new Map<string, P>()
  for (const p of list) {
    problems.push(...manifestProblems(p, options.versions))
    if (byName.has(p.name)) problems.push(`plugin "${p.name}" is registered twice`)
    else byName.set(p.name, p)
  }
  for (const p of byName.values()) {
    for (const dep of p.dependencies ?? []) {
      if (dep === p.name) problems.push(`plugin "${p.name}" depends on itself`)
      else if (!byName.has(dep)) problems.push(`plugin "${p.name}" depends on missing "${dep}"`)
      else if (p.required && !byName.get(dep)?.required) {
        // A required plugin is always on, so whatever it needs must be too.
        problems.push(`plugin "${p.name}" is required but depends on "${dep}", which is not`)
      }
    }
  }

  // Depth-first topological sort; a back edge is a cycle, reported with its path.
  const ordered: P[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const cycles = new Set<string>()
  const visit = (p: P, path: string[]) => {
    const seen = state.get(p.name)
    if (seen === 'done') return
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(p.name)), p.name]
      cycles.add(`dependency cycle: ${cycle.join(' → ')}`)
      return
    }
    state.set(p.name, 'visiting')
    for (const dep of p.dependencies ?? []) {
      const target = byName.get(dep)
      if (target && dep !== p.name) visit(target, [...path, p.name])
    }
    state.set(p.name, 'done')
    ordered.push(p)
  }
  for (const p of byName.values()) visit(p, [])
  problems.push(...cycles)

  if (problems.length) throw new PluginCheckError(problems)
  return ordered
}

/** Every plugin `name` depends on, directly or not (for a checked list: no cycles). */
export function dependenciesOf(name: string, list: readonly PluginManifest[]): string[] {
  const byName = new Map(list.map((p) => [p.name, p]))
  const out = new Set<string>()
  const walk = (n: string) => {
    for (const dep of byName.get(n)?.dependencies ?? []) {
      if (out.has(dep) || dep === name) continue
      out.add(dep)
      walk(dep)
    }
  }
  walk(name)
  return [...out]
}

/** The plugins that depend on `name`, directly or not. */
export function dependentsOf(name: string, list: readonly PluginManifest[]): string[] {
  return list.filter((p) => p.name !== name && dependenciesOf(p.name, list).includes(name)).map((p) => p.name)
}
