/**
 * `sys_menu`: directories, menus, buttons, embedded pages and external links in one tree (`parent_id`, a logical
 * reference: a menu with children can't be deleted, the service checks it).
 */
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { id, timestamps } from '../../infra/db/columns'

/** `sys_menu.type` (fba `MenuType`). */
export const MenuType = {
  directory: 0,
  menu: 1,
  button: 2,
  embedded: 3,
  link: 4,
} as const
export type MenuType = (typeof MenuType)[keyof typeof MenuType]

export const sysMenu = sqliteTable(
  'sys_menu',
  {
    id: id(),
    title: text('title', { length: 64 }).notNull(),
    name: text('name', { length: 64 }).notNull(),
    path: text('path', { length: 200 }),
    sort: integer('sort').notNull().default(0),
    icon: text('icon', { length: 128 }),
    type: integer('type').notNull().default(MenuType.directory),
    component: text('component', { length: 256 }),
    /** Permission codes, comma-separated (`sys:user:add,sys:user:edit`). */
    perms: text('perms', { length: 128 }),
    status: integer('status').notNull().default(1),
    display: integer('display').notNull().default(1),
    cache: integer('cache').notNull().default(1),
    link: text('link'),
    remark: text('remark'),
    parentId: integer('parent_id'),
    ...timestamps(),
  },
  (t) => [
    // fba's rule: titles are unique among everything but buttons (many buttons are called "新增").
    uniqueIndex('sys_menu_title_unique').on(t.title).where(sql`type != 2`),
    index('sys_menu_parent_id_idx').on(t.parentId),
  ],
)

export type Menu = typeof sysMenu.$inferSelect
export type NewMenu = typeof sysMenu.$inferInsert
