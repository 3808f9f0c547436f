/** The `__name__` plugin's table. After changing it, run `npm run db:generate` to write a migration. */
import { sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { id, timestamps } from '../../infra/db/columns'

export const __table_var__ = sqliteTable('__table__', {
  id: id(),
  name: text('name', { length: 64 }).notNull(),
  ...timestamps(),
})

export type __Pascal__Item = typeof __table_var__.$inferSelect
