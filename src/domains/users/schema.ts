/**
 * `sys_user`, its role links (`sys_user_role`) and its password history (`sys_user_password_history`).
 * Passwords are PBKDF2 strings that carry their own salt, so fba's separate `salt` column is not kept.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { bool, createdTime, datetime, id, now, SQL_NOW_MS, timestamps } from '../../infra/db/columns'
import { sysRole } from '../roles/schema'

export const sysUser = sqliteTable(
  'sys_user',
  {
    id: id(),
    uuid: text('uuid', { length: 64 })
      .notNull()
      .$defaultFn(() => crypto.randomUUID()),
    username: text('username', { length: 64 }).notNull(),
    nickname: text('nickname', { length: 64 }).notNull(),
    password: text('password', { length: 256 }),
    email: text('email', { length: 256 }),
    phone: text('phone', { length: 11 }),
    avatar: text('avatar', { length: 256 }),
    status: integer('status').notNull().default(1),
    isSuperuser: bool('is_superuser').notNull().default(false),
    isStaff: bool('is_staff').notNull().default(false),
    isMultiLogin: bool('is_multi_login').notNull().default(false),
    joinTime: datetime('join_time').notNull().$defaultFn(now).default(SQL_NOW_MS),
    /** Changes only on login (fba's column `onupdate` is not copied). */
    lastLoginTime: datetime('last_login_time'),
    lastPasswordChangedTime: datetime('last_password_changed_time').$defaultFn(now).default(SQL_NOW_MS),
    /** Logical reference to `sys_dept.id` (departments are deleted logically). */
    deptId: integer('dept_id'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('sys_user_uuid_unique').on(t.uuid),
    uniqueIndex('sys_user_username_unique').on(t.username),
    // NULLs are distinct in a SQLite unique index: many users may have no email.
    uniqueIndex('sys_user_email_unique').on(t.email),
    index('sys_user_status_idx').on(t.status),
    index('sys_user_dept_id_idx').on(t.deptId),
  ],
)

export const sysUserRole = sqliteTable(
  'sys_user_role',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => sysUser.id, { onDelete: 'cascade' }),
    roleId: integer('role_id')
      .notNull()
      .references(() => sysRole.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('sys_user_role_user_id_role_id_unique').on(t.userId, t.roleId),
    index('sys_user_role_role_id_idx').on(t.roleId),
  ],
)

export const sysUserPasswordHistory = sqliteTable(
  'sys_user_password_history',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => sysUser.id, { onDelete: 'cascade' }),
    password: text('password', { length: 256 }).notNull(),
    createdTime: createdTime(),
  },
  (t) => [index('sys_user_password_history_user_id_idx').on(t.userId)],
)

export type User = typeof sysUser.$inferSelect
export type NewUser = typeof sysUser.$inferInsert
export type UserRole = typeof sysUserRole.$inferSelect
export type NewUserRole = typeof sysUserRole.$inferInsert
export type UserPasswordHistory = typeof sysUserPasswordHistory.$inferSelect
export type NewUserPasswordHistory = typeof sysUserPasswordHistory.$inferInsert
