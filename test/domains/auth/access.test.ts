/**
 * Permission decisions (docs/fba-compatibility.md, "Access") as pure logic, plus the configured exclusion list through
 * the app.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkPermission } from '../../../src/domains/auth/access'
import type { AuthUser } from '../../../src/domains/auth/auth-user'
import type { logRoutes } from '../../../src/domains/logs/routes.v1'
import { sysUser } from '../../../src/domains/users/schema'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { api } from '../../helpers/harness'

const base: AuthUser = {
  generation: 0,
  id: 9,
  uuid: 'u',
  username: 'u',
  nickname: 'u',
  status: 1,
  isSuperuser: false,
  isStaff: true,
  isMultiLogin: false,
  deptId: 1,
  deptStatus: 1,
  deptDeleted: false,
  deptName: 'd',
  roles: [{ id: 1, name: 'r', status: 1, isFilterScopes: true }],
  hasMenus: true,
  perms: ['sys:role:add'],
  dataRules: [],
  avatar: null,
  email: null,
  phone: null,
  joinTime: 0,
  lastLoginTime: null,
} as AuthUser

const denied = (fn: () => void) => {
  try {
    fn()
    return null
  } catch (err) {
    return (err as { messageKey?: string }).messageKey ?? String(err)
  }
}

describe('checkPermission', () => {
  it("follows fba's check order", () => {
    expect(denied(() => checkPermission({ ...base, isSuperuser: true, roles: [] }, 'x:y', 'POST'))).toBeNull()
    expect(denied(() => checkPermission({ ...base, roles: [] }, 'sys:role:add', 'GET'))).toBe('auth.roles_locked')
    expect(denied(() => checkPermission({ ...base, hasMenus: false }, 'sys:role:add', 'GET'))).toBe('auth.no_menus')
    expect(denied(() => checkPermission({ ...base, isStaff: false }, 'sys:role:add', 'POST'))).toBe(
      'auth.staff_required',
    )
    expect(denied(() => checkPermission(base, 'sys:role:del', 'GET'))).toBe('error.permission_denied')
    expect(denied(() => checkPermission(base, 'sys:role:add', 'POST'))).toBeNull()
  })

  it('lets excluded codes through without a menu grant (but not past the staff check)', () => {
    expect(denied(() => checkPermission(base, 'sys:role:del', 'DELETE', ['sys:role:del']))).toBeNull()
    expect(denied(() => checkPermission({ ...base, isStaff: false }, 'sys:role:del', 'DELETE', ['sys:role:del']))).toBe(
      'auth.staff_required',
    )
  })
})

describe('RBAC_PERMISSION_EXCLUDE through the app', () => {
  beforeAll(async () => {
    await seedFileDatabase()
    await fileDb().update(sysUser).set({ isStaff: true }).where(eq(sysUser.username, 'test'))
  })

  it('turns a 403 into an allowed call', async () => {
    const { accessToken } = await login('test')
    const deleteLogs = (overrides = {}) =>
      api<typeof logRoutes>(accessToken, { overrides }).logs.login.$delete({ json: { pks: [] } })
    expect((await deleteLogs()).status).toBe(403)
    const allowed = await deleteLogs({ RBAC_PERMISSION_EXCLUDE: 'log:login:del' })
    expect(allowed.status).not.toBe(403)
    expect(allowed.status).toBeLessThan(500)
  })
})
