/** `sys_role` and its links to menus (`sys_role_menu`) and data scopes (`sys_role_data_scope`). */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { bool, id, timestamps } from '../../infra/db/columns'
import { sysDataScope } from '../data-scopes/schema'
import { sysMenu } from '../menus/schema'

export const sysRole = sqliteTable(
  'sys_role',
  {
    id: id(),
    name: text('name', { length: 32 }).notNull(),
    status: integer('status').notNull().default(1),
    isFilterScopes: bool('is_filter_scopes').notNull().default(true),
    remark: text('remark'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('sys_role_name_unique').on(t.name)],
)

export const sysRoleMenu = sqliteTable(
  'sys_role_menu',
  {
    id: id(),
    roleId: integer('role_id')
      .notNull()
      .references(() => sysRole.id, { onDelete: 'cascade' }),
    menuId: integer('menu_id')
      .notNull()
      .references(() => sysMenu.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('sys_role_menu_role_id_menu_id_unique').on(t.roleId, t.menuId),
    index('sys_role_menu_menu_id_idx').on(t.menuId),
  ],
)

export const sysRoleDataScope = sqliteTable(
  'sys_role_data_scope',
  {
    id: id(),
    roleId: integer('role_id')
      .notNull()
      .references(() => sysRole.id, { onDelete: 'cascade' }),
    dataScopeId: integer('data_scope_id')
      .notNull()
      .references(() => sysDataScope.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('sys_role_data_scope_role_id_data_scope_id_unique').on(t.roleId, t.dataScopeId),
    index('sys_role_data_scope_data_scope_id_idx').on(t.dataScopeId),
  ],
)

export type Role = typeof sysRole.$inferSelect
export type NewRole = typeof sysRole.$inferInsert
export type RoleMenu = typeof sysRoleMenu.$inferSelect
export type NewRoleMenu = typeof sysRoleMenu.$inferInsert
export type RoleDataScope = typeof sysRoleDataScope.$inferSelect
export type NewRoleDataScope = typeof sysRoleDataScope.$inferInsert
