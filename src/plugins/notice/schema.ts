/**
 * `sys_notice` (docs/fba-compatibility.md, "Notice plugin"): system notices (type 0) and announcements (type 1), shown
 * (status 1) or hidden (0).
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { id, timestamps } from '../../infra/db/columns'

/** `sys_notice.type`. */
export const NoticeType = { notice: 0, announcement: 1 } as const

export const sysNotice = sqliteTable(
  'sys_notice',
  {
    id: id(),
    title: text('title', { length: 64 }).notNull(),
    type: integer('type').notNull(),
    status: integer('status').notNull(),
    content: text('content').notNull(),
    ...timestamps(),
  },
  // The list is ordered by `created_time desc`.
  (t) => [index('sys_notice_created_time_idx').on(t.createdTime)],
)

export type Notice = typeof sysNotice.$inferSelect
export type NewNotice = typeof sysNotice.$inferInsert
