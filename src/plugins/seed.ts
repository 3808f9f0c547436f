/**
 * Plugin seed rows, run by `seedDatabase` (infra/db/seed.ts) in the same batch as the core seed — all or nothing —
 * for every registered plugin in dependency order:
 * 1. its `sys_plugin` row (enabled), so `GET /sys/plugins/changed` knows the database caught up with the build;
 * 2. its menus: a plugin names parents by menu `name`, so each menu is one `INSERT … SELECT` that looks its parent up
 *    in the same statement (the parent may have been inserted earlier in this batch). A menu is inserted only when
 *    no menu has its `name` yet (`INSERT OR IGNORE` also skips a title clash), so a re-run changes nothing and a
 *    menu an administrator edited is never overwritten; a deleted one comes back, like the core seed's rows;
 * 3. its own `seed` items (which must be idempotent: `onConflictDoNothing`).
 */
import { sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { RepositoryDb } from '../infra/db/repository'
import { sysPlugin } from './_core/schema'
import type { PluginManifest, PluginMenu } from './types'

export interface PluginSeedStep {
  plugin: string
  /** What the step inserts: `sys_plugin`, `sys_menu`, or `seed` (the plugin's own items). */
  target: 'sys_plugin' | 'sys_menu' | 'seed'
  query: BatchItem<'sqlite'>
}

function menuInsert(db: RepositoryDb, menu: PluginMenu): BatchItem<'sqlite'> {
  const parent = menu.parent
    ? sql`(select id from sys_menu where name = ${menu.parent} and type != 2 order by id limit 1)`
    : sql`null`
  return db.run(sql`
    insert or ignore into sys_menu
      (title, name, path, sort, icon, type, component, perms, status, display, cache, link, remark, parent_id)
    select ${menu.title}, ${menu.name}, ${menu.path ?? null}, ${menu.sort ?? 0}, ${menu.icon ?? null}, ${menu.type},
      ${menu.component ?? null}, ${menu.perms ?? null}, 1, ${menu.display ?? 1}, 1, null, null, ${parent}
    where not exists (select 1 from sys_menu where name = ${menu.name})`)
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
