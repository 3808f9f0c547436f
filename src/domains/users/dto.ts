/** User shapes of the v1 admin API (contract §2 "UserInfo"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import type { AuthUser } from '../auth/auth-user'
import type { User } from './schema'

export const UserInfoSchema = z
  .object({
    id: z.number().int(),
    uuid: z.string(),
    username: z.string(),
    nickname: z.string(),
    dept_id: z.number().int().nullable(),
    avatar: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    status: z.number().int().openapi({ description: '1 enabled, 0 locked' }),
    is_superuser: z.boolean(),
    is_staff: z.boolean(),
    is_multi_login: z.boolean(),
    join_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
    last_login_time: z.string().nullable(),
  })
  .openapi('UserInfo')

export type UserInfo = z.infer<typeof UserInfoSchema>

export function toUserInfo(user: User): UserInfo {
  return {
    id: user.id,
    uuid: user.uuid,
    username: user.username,
    nickname: user.nickname,
    dept_id: user.deptId,
    avatar: user.avatar,
    email: user.email,
    phone: user.phone,
    status: user.status,
    is_superuser: user.isSuperuser,
    is_staff: user.isStaff,
    is_multi_login: user.isMultiLogin,
    join_time: formatDateTime(user.joinTime) ?? '',
    last_login_time: formatDateTime(user.lastLoginTime),
  }
}

/** The same shape from the cached auth snapshot (no database query). */
export function authUserInfo(user: AuthUser): UserInfo {
  return {
    id: user.id,
    uuid: user.uuid,
    username: user.username,
    nickname: user.nickname,
    dept_id: user.deptId,
    avatar: user.avatar,
    email: user.email,
    phone: user.phone,
    status: user.status,
    is_superuser: user.isSuperuser,
    is_staff: user.isStaff,
    is_multi_login: user.isMultiLogin,
    join_time: formatDateTime(new Date(user.joinTime)) ?? '',
    last_login_time: user.lastLoginTime === null ? null : formatDateTime(new Date(user.lastLoginTime)),
  }
}

export const CurrentUserSchema = UserInfoSchema.extend({
  dept: z.string().nullable().openapi({ description: 'Department name' }),
  roles: z.array(z.string()).openapi({ description: 'Role names' }),
}).openapi('CurrentUser')
