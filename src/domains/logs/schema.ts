/**
 * `sys_login_log` and `sys_opera_log`: append-only, so no `updated_time`. Rows keep the username as text and have no
 * foreign key: logs outlive the users they mention.
 */
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createdTime, datetime, id } from '../../infra/db/columns'

export const sysLoginLog = sqliteTable(
  'sys_login_log',
  {
    id: id(),
    userUuid: text('user_uuid', { length: 64 }).notNull(),
    username: text('username', { length: 64 }).notNull(),
    /** 0 failure, 1 success. */
    status: integer('status').notNull().default(0),
    ip: text('ip', { length: 64 }).notNull(),
    country: text('country', { length: 64 }),
    region: text('region', { length: 64 }),
    city: text('city', { length: 64 }),
    userAgent: text('user_agent', { length: 512 }),
    os: text('os', { length: 64 }),
    browser: text('browser', { length: 64 }),
    device: text('device', { length: 64 }),
    msg: text('msg').notNull(),
    loginTime: datetime('login_time').notNull(),
    createdTime: createdTime(),
  },
  (t) => [index('sys_login_log_created_time_idx').on(t.createdTime)],
)

export const sysOperaLog = sqliteTable(
  'sys_opera_log',
  {
    id: id(),
    traceId: text('trace_id', { length: 32 }).notNull(),
    username: text('username', { length: 64 }),
    method: text('method', { length: 32 }).notNull(),
    title: text('title', { length: 256 }).notNull(),
    path: text('path', { length: 512 }).notNull(),
    ip: text('ip', { length: 64 }).notNull(),
    country: text('country', { length: 64 }),
    region: text('region', { length: 64 }),
    city: text('city', { length: 64 }),
    userAgent: text('user_agent', { length: 512 }),
    os: text('os', { length: 64 }),
    browser: text('browser', { length: 64 }),
    device: text('device', { length: 64 }),
    /** Request arguments (JSON text). */
    args: text('args', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** 0 error, 1 success. */
    status: integer('status').notNull(),
    code: text('code', { length: 32 }).notNull().default('200'),
    msg: text('msg'),
    /** Milliseconds. */
    costTime: real('cost_time').notNull().default(0),
    operaTime: datetime('opera_time').notNull(),
    createdTime: createdTime(),
  },
  (t) => [index('sys_opera_log_created_time_idx').on(t.createdTime)],
)

export type LoginLog = typeof sysLoginLog.$inferSelect
export type NewLoginLog = typeof sysLoginLog.$inferInsert
export type OperaLog = typeof sysOperaLog.$inferSelect
export type NewOperaLog = typeof sysOperaLog.$inferInsert
