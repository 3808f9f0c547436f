/**
 * `sys_plugin`: the run-time state of the plugins built into this deployment (one row per plugin name). Plugins are
 * code, installed at build time (src/plugins/registry.ts); this table only records whether each one is switched on.
 * No row means "enabled" (the default, as in fba). `stratum db seed` inserts a row for every registered plugin, so a
 * registered plugin without a row — or a row without a registered plugin — means the database has not caught up with
 * the build (`GET /sys/plugins/changed`).
 *
 * This folder is not a plugin (plugin names never start with `_`); it holds the plugin system's own table where
 * drizzle-kit looks for schemas (`src/plugins/*\/schema.ts`).
 */
import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { bool, id, timestamps } from '../../infra/db/columns'

export const sysPlugin = sqliteTable(
  'sys_plugin',
  {
    id: id(),
    /** The plugin's `name` (its folder under src/plugins). */
    name: text('name', { length: 64 }).notNull(),
    enabled: bool('enabled').notNull().default(true),
    ...timestamps(),
  },
  (t) => [uniqueIndex('sys_plugin_name_unique').on(t.name)],
)

export type PluginRow = typeof sysPlugin.$inferSelect
export type NewPluginRow = typeof sysPlugin.$inferInsert
