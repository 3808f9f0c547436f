/**
 * Plugin seed rows, run by `seedDatabase` (app/seed.ts) in the same batch as the core seed — all or nothing —
 * for every registered plugin in dependency order:
 * 1. its `sys_plugin` row (enabled), so `GET /sys/plugins/changed` knows the database caught up with the build;
 * 2. its menus, placed under their parents by name (domains/menus/by-name.ts);
 * 3. its own `seed` items (which must be idempotent: `onConflictDoNothing`).
 */
import type { BatchItem } from 'drizzle-orm/batch'
import { menuInsert } from '../domains/menus/by-name'
import type { RepositoryDb } from '../infra/db/repository'
import { sysPlugin } from './_core/schema'
import type { PluginManifest } from './types'

export interface PluginSeedStep {
  plugin: string
  /** What the step inserts: `sys_plugin`, `sys_menu`, or `seed` (the plugin's own items). */
  target: 'sys_plugin' | 'sys_menu' | 'seed'
  query: BatchItem<'sqlite'>
}

export function pluginSeedSteps(db: RepositoryDb, plugins: readonly PluginManifest[]): PluginSeedStep[] {
  const steps: PluginSeedStep[] = []
  for (const plugin of plugins) {
    steps.push({
      plugin: plugin.name,
      target: 'sys_plugin',
      query: db.insert(sysPlugin).values({ name: plugin.name, enabled: true }).onConflictDoNothing(),
    })
    for (const menu of plugin.menus ?? []) {
      steps.push({ plugin: plugin.name, target: 'sys_menu', query: menuInsert(db, menu) })
    }
    for (const query of plugin.seed?.({ db }) ?? []) steps.push({ plugin: plugin.name, target: 'seed', query })
  }
  return steps
}
