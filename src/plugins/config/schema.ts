/**
 * `sys_config` (docs/fba-compatibility.md, "Config plugin"): key/value parameters, grouped by `type`. The `LOGIN` and
 * `USER_SECURITY` groups back the core's login and user-security settings (see ./settings.ts).
 */
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { bool, id, timestamps } from '../../infra/db/columns'

export const sysConfig = sqliteTable(
  'sys_config',
  {
    id: id(),
    name: text('name', { length: 32 }).notNull(),
    type: text('type', { length: 32 }),
    key: text('key', { length: 64 }).notNull(),
    value: text('value').notNull(),
    isFrontend: bool('is_frontend').notNull().default(false),
    remark: text('remark'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('sys_config_key_unique').on(t.key), index('sys_config_type_idx').on(t.type)],
)

export type ConfigRow = typeof sysConfig.$inferSelect
export type NewConfigRow = typeof sysConfig.$inferInsert
