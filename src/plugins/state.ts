/**
 * Which plugins are switched on. The flags live in `sys_plugin` (no row = enabled) and are read through the two-level
 * cache as one map per deployment, because the gate reads them on every plugin request: an L1 hit costs no I/O.
 * A toggle invalidates the entry, so it applies on the next request in the isolate that made it and within the
 * cache's L1 bound (`Cache` `l1Seconds`, 5 s by default) everywhere else.
 */
import type { BatchItem } from 'drizzle-orm/batch'
import type { RepositoryDb } from '../infra/db/repository'
import type { Services } from '../infra/services'
import { sysPlugin } from './_core/schema'
import { dependenciesOf } from './check'
import type { PluginManifest } from './types'

/** Plugin name → its stored flag (plugins without a row are absent, which means enabled). */
export type PluginStates = Readonly<Record<string, boolean>>

export const PLUGIN_STATE_CACHE = { name: 'plugin', key: 'state', ttlSeconds: 3600 } as const

export async function loadPluginStates(db: RepositoryDb): Promise<PluginStates> {
  const rows = await db.select({ name: sysPlugin.name, enabled: sysPlugin.enabled }).from(sysPlugin)
  return Object.fromEntries(rows.map((r) => [r.name, r.enabled]))
}

/**
 * The stored flags, cached. Without a database every plugin counts as enabled; when Redis fails the flags are read
 * from the database (slower, still correct).
 */
export async function pluginStates(services: Pick<Services, 'db' | 'cache'>): Promise<PluginStates> {
  const db = services.db
  if (!db) return {}
  const cache = services.cache
  if (!cache) return loadPluginStates(db)
  const { name, key, ttlSeconds } = PLUGIN_STATE_CACHE
  let databaseFailed = false
  const load = async () => {
    try {
      return await loadPluginStates(db)
    } catch (err) {
      databaseFailed = true
      throw err
    }
  }
  try {
    return await cache.getOrLoad(name, key, load, ttlSeconds)
  } catch (err) {
    if (databaseFailed) throw err
    return loadPluginStates(db)
  }
}

/** The plugin's own stored flag (required plugins are always on). */
export function ownFlag(plugin: PluginManifest, states: PluginStates): boolean {
  return plugin.required === true || states[plugin.name] !== false
}

/** Whether the plugin serves requests: its own flag and every dependency's. */
export function isEffectivelyEnabled(
  plugin: PluginManifest,
  states: PluginStates,
  plugins: readonly PluginManifest[],
): boolean {
  if (!ownFlag(plugin, states)) return false
  const byName = new Map(plugins.map((p) => [p.name, p]))
  return dependenciesOf(plugin.name, plugins).every((dep) => {
    const d = byName.get(dep)
    return d !== undefined && ownFlag(d, states)
  })
}

/**
 * Stores a flag (insert or update) and drops the cached map. `withFlag`: statements committed in the same batch (the
 * toggle's event), at no extra round trip.
 */
export async function storeFlag(
  services: Pick<Services, 'cache'>,
  db: RepositoryDb,
  name: string,
  enabled: boolean,
  withFlag: readonly BatchItem<'sqlite'>[] = [],
): Promise<void> {
  await db.batch([
    db
      .insert(sysPlugin)
      .values({ name, enabled })
      .onConflictDoUpdate({ target: sysPlugin.name, set: { enabled, updatedTime: new Date() } }),
    ...withFlag,
  ])
  await services.cache?.invalidate(PLUGIN_STATE_CACHE.name, PLUGIN_STATE_CACHE.key)
}

/** Names with a `sys_plugin` row (what the database was last seeded or toggled with). */
export async function knownPluginNames(db: RepositoryDb): Promise<string[]> {
  const rows = await db.select({ name: sysPlugin.name }).from(sysPlugin)
  return rows.map((r) => r.name)
}
