/**
 * `sys_dept`: the department tree. Departments are deleted logically (`del_flag`), so nothing references them with a
 * cascading foreign key; `parent_id` and `sys_user.dept_id` are logical references checked by the services.
 */
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { bool, id, timestamps } from '../../infra/db/columns'

export const sysDept = sqliteTable(
  'sys_dept',
  {
    id: id(),
    name: text('name', { length: 64 }).notNull(),
    sort: integer('sort').notNull().default(0),
    leader: text('leader', { length: 32 }),
    phone: text('phone', { length: 11 }),
    email: text('email', { length: 64 }),
    status: integer('status').notNull().default(1),
    delFlag: bool('del_flag').notNull().default(false),
    parentId: integer('parent_id'),
    ...timestamps(),
  },
  (t) => [
    // Names are unique among live departments: a deleted department's name can be reused.
    uniqueIndex('sys_dept_name_unique').on(t.name).where(sql`del_flag = 0`),
    index('sys_dept_parent_id_idx').on(t.parentId),
  ],
)

export type Dept = typeof sysDept.$inferSelect
export type NewDept = typeof sysDept.$inferInsert
