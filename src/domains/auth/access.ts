/**
 * The app's access check (the `AccessCheck` port of http/access.ts): authenticates the Bearer token first (401 on
 * failure), then, as fba's admin API does (docs/fba-compatibility.md, "Access"):
 *   authenticated        → any signed-in user
 *   superuser            → is_superuser and is_staff, else 403
 *   { permission: code } → superusers pass; otherwise an enabled role with menus is required, staff for writes,
 *                          and the code among the user's permission codes — else 403.
 */
import type { Context } from 'hono'
import { ForbiddenError } from '../../core/errors'
import type { Access, AccessCheck } from '../../http/access'
import type { AppEnv } from '../../http/context'
import { type AuthUser, enabledRoles } from './auth-user'
import { authenticate } from './authenticate'

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The permission rule, in order. `exclude`: codes that need no menu grant (config `RBAC_PERMISSION_EXCLUDE`). */
export function checkPermission(user: AuthUser, code: string, method: string, exclude: readonly string[] = []): void {
  if (user.isSuperuser) return
  if (!enabledRoles(user).length) throw new ForbiddenError('auth.roles_locked')
  if (!user.hasMenus) throw new ForbiddenError('auth.no_menus')
  if (!READ_METHODS.has(method) && !user.isStaff) throw new ForbiddenError('auth.staff_required')
  if (exclude.includes(code)) return
  if (!user.perms.includes(code)) throw new ForbiddenError('error.permission_denied')
}

function authorize(c: Context<AppEnv>, access: Exclude<Access, 'public' | 'qstash'>, user: AuthUser): void {
  if (access === 'authenticated') return
  if (access === 'superuser') {
    if (!(user.isSuperuser && user.isStaff)) throw new ForbiddenError('error.permission_denied')
    return
  }
  checkPermission(user, access.permission, c.req.method, c.get('config').RBAC_PERMISSION_EXCLUDE)
}

export const checkAccess: AccessCheck = async (c, access) => {
  authorize(c, access, await authenticate(c))
}
