/**
 * `/sys/users/*` and `POST /emails/captcha`, the code that confirms an email change (docs/fba-compatibility.md,
 * "Users" and "Email").
 * `/sys/users/me…` routes are registered before their `/sys/users/{pk}…` twins so `me` never reads as an id.
 */

import { crudRoutes } from '../../http/crud'
import { emailSender } from '../../http/email'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import type { AuthUser } from '../auth/auth-user'
import { dataPermission } from '../data-rules/data-permission'
import { scopedRecords } from '../data-rules/scoped-records'
import { RoleDetailSchema, toRoleDetail } from '../roles/dto'
import {
  AvatarBodySchema,
  ChangePasswordBodySchema,
  CreateUserBodySchema,
  CurrentUserSchema,
  EmailBodySchema,
  EmailCaptchaBodySchema,
  NicknameBodySchema,
  PageUserWithRelationSchema,
  PermissionQuerySchema,
  ResetPasswordBodySchema,
  toCurrentUser,
  toUserWithRelation,
  UpdateUserBodySchema,
  UserListQuerySchema,
  UserPkParamSchema,
  UserWithRelationSchema,
} from './dto'
import { USER_PERMS } from './perms'
import { sysUser } from './schema'
import { UserService, userServiceDeps } from './service'

const TAGS = ['System users']

/** Every route over other users' records: a user outside the caller's data scope is a 404 (as if unknown). */
const USER_RECORDS = scopedRecords(sysUser, { notFound: 'user.not_found' })

const users = crudRoutes({
  path: '/sys/users',
  tags: TAGS,
  pk: UserPkParamSchema,
  perms: USER_PERMS,
  dataPermission: USER_RECORDS,
  service: (c) => new UserService(userServiceDeps(c)),
})

const me = defineRoute({
  method: 'get',
  path: '/sys/users/me',
  tags: TAGS,
  summary: 'The current user (from the session snapshot)',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(CurrentUserSchema, 'Current user with department and role names') },
})

const changePassword = defineRoute({
  method: 'put',
  path: '/sys/users/me/password',
  tags: TAGS,
  summary: "Change the current user's password; ends all of the user's sessions",
  access: 'authenticated',
  request: jsonBody(ChangePasswordBodySchema),
  responses: nullEnvelope('Password changed'),
})

const updateNickname = defineRoute({
  method: 'put',
  path: '/sys/users/me/nickname',
  tags: TAGS,
  summary: "Change the current user's nickname",
  access: 'authenticated',
  request: jsonBody(NicknameBodySchema),
  responses: nullEnvelope('Nickname changed'),
})

const updateAvatar = defineRoute({
  method: 'put',
  path: '/sys/users/me/avatar',
  tags: TAGS,
  summary: "Change the current user's avatar",
  access: 'authenticated',
  request: jsonBody(AvatarBodySchema),
  responses: nullEnvelope('Avatar changed'),
})

const updateEmail = defineRoute({
  method: 'put',
  path: '/sys/users/me/email',
  tags: TAGS,
  summary: "Change the current user's email with the code sent by POST /emails/captcha",
  access: 'authenticated',
  errors: [409],
  request: jsonBody(EmailBodySchema),
  responses: nullEnvelope('Email changed'),
})

const emailCaptcha = defineRoute({
  method: 'post',
  path: '/emails/captcha',
  tags: ['Email'],
  summary: 'Send a 6-digit verification code to an address (confirms an email change)',
  access: 'authenticated',
  // Each call sends mail: limited per user (every caller is signed in), fail closed like the login's limits.
  rateLimit: { name: 'email.captcha', rates: 'RATE_LIMIT_EMAIL_CAPTCHA', by: 'user', failClosed: true },
  errors: [503],
  request: jsonBody(EmailCaptchaBodySchema),
  responses: nullEnvelope('Code sent'),
})

const roles = defineRoute({
  method: 'get',
  path: '/sys/users/{pk}/roles',
  tags: TAGS,
  summary: "A user's roles",
  access: 'authenticated',
  dataPermission: USER_RECORDS,
  errors: [404],
  request: { params: UserPkParamSchema },
  responses: { 200: jsonEnvelope(z.array(RoleDetailSchema), 'Roles') },
})

const permissions = defineRoute({
  method: 'put',
  path: '/sys/users/{pk}/permissions',
  tags: TAGS,
  summary:
    "Toggle one of another user's flags; disabling ends its sessions, turning multi-login off keeps only its newest",
  access: 'superuser',
  dataPermission: USER_RECORDS,
  errors: [404],
  request: { params: UserPkParamSchema, query: PermissionQuerySchema },
  responses: nullEnvelope('Flag toggled'),
})

const resetPassword = defineRoute({
  method: 'put',
  path: '/sys/users/{pk}/password',
  tags: TAGS,
  summary: "Reset a user's password; ends all of that user's sessions",
  access: 'superuser',
  dataPermission: USER_RECORDS,
  errors: [404],
  request: { params: UserPkParamSchema, ...jsonBody(ResetPasswordBodySchema) },
  responses: nullEnvelope('Password reset'),
})

/** Set by the access middleware on every non-public route. */
const currentUser = (user: AuthUser | undefined): AuthUser => {
  if (!user) throw new Error('access middleware did not authenticate the request')
  return user
}

export function userRoutes() {
  const service = (c: Parameters<typeof userServiceDeps>[0]) => new UserService(userServiceDeps(c))
  return (
    createRouter()
      // Served from the auth snapshot the access check already loaded: no database query on a warm path.
      .openapi(me, (c) => ok(c, toCurrentUser(currentUser(c.get('user')))))
      .openapi(changePassword, async (c) => {
        await service(c).changePassword(currentUser(c.get('user')).id, c.req.valid('json'))
        return ok(c, null)
      })
      .openapi(updateNickname, async (c) => {
        await service(c).updateProfile(currentUser(c.get('user')).id, { nickname: c.req.valid('json').nickname })
        return ok(c, null)
      })
      .openapi(updateAvatar, async (c) => {
        await service(c).updateProfile(currentUser(c.get('user')).id, { avatar: c.req.valid('json').avatar })
        return ok(c, null)
      })
      .openapi(updateEmail, async (c) => {
        const { email, captcha } = c.req.valid('json')
        await service(c).updateEmail(currentUser(c.get('user')).id, email, captcha)
        return ok(c, null)
      })
      .openapi(emailCaptcha, async (c) => {
        const { recipients } = c.req.valid('json')
        const sender = await emailSender(c)
        const addresses = typeof recipients === 'string' ? [recipients] : recipients
        await service(c).sendEmailCode(currentUser(c.get('user')).id, addresses, sender)
        return ok(c, null)
      })
      .openapiRoutes([
        users.list(
          {
            summary: 'Users, paged (newest first)',
            query: UserListQuerySchema,
            page: PageUserWithRelationSchema,
            description: 'Page of users',
          },
          (s, query, c) => s.list(query, dataPermission(c, sysUser)),
          (r) => toUserWithRelation(r.user, r.dept, r.roles),
        ),
        users.create(
          {
            summary: 'Create a user',
            access: 'superuser',
            errors: [404, 409],
            body: CreateUserBodySchema,
            data: UserWithRelationSchema,
            description: 'The new user',
          },
          async (s, body) => {
            const created = await s.create(body)
            return toUserWithRelation(created.user, created.dept, created.roles)
          },
        ),
        users.detail(
          { summary: 'A user with department and roles', data: UserWithRelationSchema, description: 'User' },
          async (s, pk) => {
            const found = await s.detail(pk)
            return toUserWithRelation(found.user, found.dept, found.roles)
          },
        ),
        users.update({
          summary: 'Update a user (roles are replaced)',
          access: 'superuser',
          errors: [409],
          body: UpdateUserBodySchema,
          description: 'User updated',
        }),
        users.removeOne(
          {
            summary: 'Delete a user, its role links and password history; ends its sessions',
            description: 'User deleted',
          },
          (s, pk, c) => s.delete(currentUser(c.get('user')), pk),
        ),
      ])
      .openapi(roles, async (c) => {
        const found = await service(c).detail(c.req.valid('param').pk)
        return ok(c, found.roles.map(toRoleDetail))
      })
      .openapi(permissions, async (c) => {
        await service(c).togglePermission(
          currentUser(c.get('user')),
          c.req.valid('param').pk,
          c.req.valid('query').type,
        )
        return ok(c, null)
      })
      .openapi(resetPassword, async (c) => {
        await service(c).resetPassword(c.req.valid('param').pk, c.req.valid('json').password)
        return ok(c, null)
      })
  )
}
