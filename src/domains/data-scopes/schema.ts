/** `sys_data_scope` (a named set of data rules) and its rule links (`sys_data_scope_rule`). */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { id, timestamps } from '../../infra/db/columns'
import { sysDataRule } from '../data-rules/schema'

export const sysDataScope = sqliteTable(
  'sys_data_scope',
  {
    id: id(),
    name: text('name', { length: 64 }).notNull(),
    status: integer('status').notNull().default(1),
    ...timestamps(),
  },
  (t) => [uniqueIndex('sys_data_scope_name_unique').on(t.name)],
)

export const sysDataScopeRule = sqliteTable(
  'sys_data_scope_rule',
  {
    id: id(),
    dataScopeId: integer('data_scope_id')
      .notNull()
      .references(() => sysDataScope.id, { onDelete: 'cascade' }),
    dataRuleId: integer('data_rule_id')
      .notNull()
      .references(() => sysDataRule.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('sys_data_scope_rule_data_scope_id_data_rule_id_unique').on(t.dataScopeId, t.dataRuleId),
    index('sys_data_scope_rule_data_rule_id_idx').on(t.dataRuleId),
  ],
)

export type DataScope = typeof sysDataScope.$inferSelect
export type NewDataScope = typeof sysDataScope.$inferInsert
export type DataScopeRule = typeof sysDataScopeRule.$inferSelect
export type NewDataScopeRule = typeof sysDataScopeRule.$inferInsert
