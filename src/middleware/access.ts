/**
 * Enforces a route's access declaration (contract §4.2): public routes pass without looking at any token; every
 * other route authenticates the Bearer token first (401 on failure), then:
 *   superuser            → is_superuser and is_staff, else 403
 *   { permission: code } → superusers pass; otherwise an enabled role with menus is required, staff for writes,
 *                          and the code among the user's permission codes — else 403.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../core/context'
import { ForbiddenError } from '../core/errors'
import type { Access } from '../core/openapi'
import { type AuthUser, enabledRoles } from '../domains/auth/auth-user'
import { authenticate } from '../domains/auth/authenticate'

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Contract §4.2, in order. `exclude`: codes that need no menu grant (config `RBAC_PERMISSION_EXCLUDE`). */
export function checkPermission(user: AuthUser, code: string, method: string, exclude: readonly string[] = []): void {
  if (user.isSuperuser) return
  if (!enabledRoles(user).length) throw new ForbiddenError('auth.roles_locked')
  if (!user.hasMenus) throw new ForbiddenError('auth.no_menus')
  if (!READ_METHODS.has(method) && !user.isStaff) throw new ForbiddenError('auth.staff_required')
  if (exclude.includes(code)) return
  if (!user.perms.includes(code)) throw new ForbiddenError('error.permission_denied')
}

function authorize(c: Context<AppEnv>, access: Exclude<Access, 'public'>, user: AuthUser): void {
  if (access === 'authenticated') return
  if (access === 'superuser') {
    if (!(user.isSuperuser && user.isStaff)) throw new ForbiddenError('error.permission_denied')
    return
  }
  checkPermission(user, access.permission, c.req.method, c.get('config').RBAC_PERMISSION_EXCLUDE)
}

/**
 * The access-check middleware for a route; none for a public route (no layer to pass through: the default rate limit
 * of an unauthenticated request is counted before routing, see `withDefaultRateLimit`).
 */
export function requireAccess(access: Access): MiddlewareHandler<AppEnv> | undefined {
  if (access === 'public') return undefined
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = await authenticate(c)
    authorize(c, access, user)
    await next()
  })
}
