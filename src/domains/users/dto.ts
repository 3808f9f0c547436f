/** User shapes of the v1 admin API (docs/fba-compatibility.md, "Users"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import {
  blankToUndefined,
  emptyToNull,
  imageUrl,
  nameText,
  optionalFlagQuery,
  optionalTextQuery,
  pkParam,
} from '../../core/schemas'
import type { AuthUser } from '../auth/auth-user'
import { DeptDetailSchema, toDeptDetail } from '../depts/dto'
import type { Dept } from '../depts/schema'
import { RoleDetailSchema, toRoleDetail } from '../roles/dto'
import type { Role } from '../roles/schema'
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

/** The fields UserInfo reads: a `sys_user` row, or the auth snapshot with its times as Dates. */
export type UserInfoSource = Pick<
  User,
  | 'id'
  | 'uuid'
  | 'username'
  | 'nickname'
  | 'deptId'
  | 'avatar'
  | 'email'
  | 'phone'
  | 'status'
  | 'isSuperuser'
  | 'isStaff'
  | 'isMultiLogin'
  | 'joinTime'
  | 'lastLoginTime'
>

export function toUserInfo(user: UserInfoSource): UserInfo {
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

/** The same shape from the cached auth snapshot (no database query; its times are epoch ms). */
export function authUserInfo(user: AuthUser): UserInfo {
  return toUserInfo({
    ...user,
    joinTime: new Date(user.joinTime),
    lastLoginTime: user.lastLoginTime === null ? null : new Date(user.lastLoginTime),
  })
}

export const CurrentUserSchema = UserInfoSchema.extend({
  dept: z.string().nullable().openapi({ description: 'Department name' }),
  roles: z.array(z.string()).openapi({ description: 'Role names' }),
}).openapi('CurrentUser')

// ---- relations (`DeptDetail`, `RoleDetail`, `UserWithRelation`) ---------------------------------------------------

// `DeptDetail` and `RoleDetail` belong to the departments and roles domains; users embed them.

/** A role as listed with a user: `menus` and `scopes` are always empty here (as in fba's user list). */
export const UserRoleDetailSchema = RoleDetailSchema.extend({
  menus: z.array(z.unknown()).openapi({ description: 'Always empty here; see the role endpoints' }),
  scopes: z.array(z.unknown()).openapi({ description: 'Always empty here; see the role endpoints' }),
}).openapi('UserRoleDetail')

export const UserWithRelationSchema = UserInfoSchema.extend({
  dept: DeptDetailSchema.nullable(),
  roles: z.array(UserRoleDetailSchema),
}).openapi('UserWithRelation')

export type UserWithRelation = z.infer<typeof UserWithRelationSchema>

export const PageUserWithRelationSchema = pageSchema(UserWithRelationSchema).openapi('PageUserWithRelation')

export function toUserWithRelation(
  user: UserInfoSource,
  dept: Dept | null | undefined,
  roles: readonly Role[],
): UserWithRelation {
  return {
    ...toUserInfo(user),
    dept: dept ? toDeptDetail(dept) : null,
    roles: roles.map((role) => ({ ...toRoleDetail(role), menus: [], scopes: [] })),
  }
}

/** `GET /sys/users/me` from the cached auth snapshot: no database query. */
export function toCurrentUser(user: AuthUser): z.infer<typeof CurrentUserSchema> {
  return { ...authUserInfo(user), dept: user.deptName, roles: user.roles.map((r) => r.name) }
}

// ---- requests ------------------------------------------------------------------------------------------------------

/** An optional integer query parameter; an empty value (`?dept=`) means "not given". */
const optionalIntQuery = (description: string) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().optional()).openapi({ type: 'integer', description })

export const UserListQuerySchema = PageQuerySchema.extend({
  dept: optionalIntQuery('Department id'),
  username: optionalTextQuery(64, 'Username contains'),
  phone: optionalTextQuery(64, 'Phone contains'),
  status: optionalFlagQuery('1 enabled, 0 locked'),
})

export const UserPkParamSchema = pkParam('User id')

/** fba's `CustomEmailStr`: an email, with an empty string meaning "none". */
const optionalEmail = z.preprocess(
  emptyToNull,
  z.email().max(256).nullish().openapi({ type: 'string', format: 'email', example: 'user@example.com' }),
)

/** fba's `CustomPhoneNumber` (a mainland-China mobile number); empty means "none". */
const optionalPhone = z.preprocess(
  emptyToNull,
  z
    .string()
    .regex(/^1[3-9]\d{9}$/)
    .nullish()
    .openapi({ type: 'string', example: '13800138000' }),
)

const username = nameText(64).openapi({ example: 'alice' })
const nickname = nameText(64).openapi({ example: 'Alice' })
const roleIds = z
  .array(z.number().int().positive())
  .max(100)
  .openapi({ example: [1] })

export const CreateUserBodySchema = z
  .object({
    username,
    password: z.string().max(256).openapi({ example: 'Passw0rd' }),
    nickname: nickname.nullish().openapi({ description: 'Defaults to the username' }),
    email: optionalEmail,
    phone: optionalPhone,
    dept_id: z.number().int().positive(),
    roles: roleIds,
  })
  .openapi('CreateUserBody')

export type CreateUserBody = z.infer<typeof CreateUserBodySchema>

export const UpdateUserBodySchema = z
  .object({
    dept_id: z.number().int().positive().nullish(),
    username,
    nickname,
    avatar: imageUrl(256).nullish(),
    email: optionalEmail,
    phone: optionalPhone,
    roles: roleIds,
  })
  .openapi('UpdateUserBody')

export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>

export const PERMISSION_TYPES = ['superuser', 'staff', 'status', 'multi_login'] as const
export type PermissionType = (typeof PERMISSION_TYPES)[number]

export const PermissionQuerySchema = z.object({
  type: z.enum(PERMISSION_TYPES).openapi({ description: 'Which flag of the target user to toggle' }),
})

export const ChangePasswordBodySchema = z
  .object({
    old_password: z.string().max(256),
    new_password: z.string().max(256),
    confirm_password: z.string().max(256),
  })
  .openapi('ChangePasswordBody')

export const ResetPasswordBodySchema = z.object({ password: z.string().max(256) }).openapi('ResetPasswordBody')

export const NicknameBodySchema = z.object({ nickname }).openapi('NicknameBody')

/**
 * The UI's avatar form sends a link typed by the user. fba takes any string; Stratum takes only an http(s) or
 * `data:image` URL, since the UI loads it as an image and a `javascript:` URL there is an XSS waiting to happen.
 */
export const AvatarBodySchema = z.object({ avatar: imageUrl(256) }).openapi('AvatarBody')

export const EmailBodySchema = z
  .object({
    captcha: z.string().trim().min(1).max(16).openapi({ description: 'Code from POST /emails/captcha' }),
    email: z.email().max(256),
  })
  .openapi('EmailBody')

export const EmailCaptchaBodySchema = z
  .object({
    recipients: z
      .union([z.email().max(256), z.array(z.email().max(256)).min(1).max(5)])
      .openapi({ description: 'One address or a list' }),
  })
  .openapi('EmailCaptchaBody')
