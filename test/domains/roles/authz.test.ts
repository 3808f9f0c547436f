/**
 * Role and menu changes reach signed-in users on their very next request (no re-login): permission codes,
 * granted and revoked; a disabled role locks its users out. Also `/auth/codes` against the seed.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { authRoutes } from '../../../src/domains/auth/routes.v1'
import type { menuRoutes } from '../../../src/domains/menus/routes.v1'
import { sysMenu } from '../../../src/domains/menus/schema'
import { MENU_SEED } from '../../../src/domains/menus/seed'
import type { roleRoutes } from '../../../src/domains/roles/routes.v1'
import { sysRole } from '../../../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../../../src/domains/users/schema'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { answer, api, failure } from '../../helpers/harness'
import { pk } from '../depts/helpers'

/** The routes these tests call, signed in with `token`. */
const clientsOf = (token: string) => ({
  roles: api<typeof roleRoutes>(token).sys.roles,
  menus: api<typeof menuRoutes>(token).sys.menus,
  codes: api<typeof authRoutes>(token).auth.codes,
})

let admin: ReturnType<typeof clientsOf>
let test: ReturnType<typeof clientsOf>

const tokens = seedAndSignIn(['admin', 'test'], {
  prepare: async () => {
    const db = fileDb()
    // Writes need staff as well as the permission code; set it before logging in.
    await db.update(sysUser).set({ isStaff: true }).where(eq(sysUser.username, 'test'))
    // The seeded admin's only role is role 1 too, and a user whose roles are all disabled is locked out — superusers
    // included (fba's rule). Give admin a second role so it can disable role 1 and still act.
    const [ops] = await db.insert(sysRole).values({ name: 'Ops' }).returning()
    await db.insert(sysUserRole).values({ userId: 1, roleId: ops?.id as number })
  },
})

beforeAll(() => {
  admin = clientsOf(tokens.admin)
  test = clientsOf(tokens.test)
})

const codes = async (user: ReturnType<typeof clientsOf>) => {
  const { status, data } = await answer(user.codes.$get())
  expect(status).toBe(200)
  return data
}

const SEEDED_ROLE_MENUS = [1, 2, 3, 50]
const ROLE_1 = pk(1)
const roleBody = (name: string, status = 1) => ({ json: { name, status } })
const setRole1Menus = async (menus: number[]) =>
  (await answer(admin.roles[':pk'].menus.$put({ ...ROLE_1, json: { menus } }))).status

describe('/auth/codes', () => {
  it("gives the superuser every enabled menu's codes", async () => {
    const splitCodes = (perms: (string | null | undefined)[]) =>
      [...new Set(perms.flatMap((p) => (p ? p.split(',') : [])))].sort()
    const core = splitCodes(MENU_SEED.map((m) => m.perms))
    expect(core).toHaveLength(23)
    const menus = await fileDb().select().from(sysMenu) // the core seed plus any plugin menus
    const actual = (await codes(admin)).sort()
    expect(actual).toEqual(splitCodes(menus.filter((m) => m.status === 1).map((m) => m.perms)))
    expect(actual).toEqual(expect.arrayContaining(core))
  })

  it("gives the test user its role's codes: none of its menus carries any", async () => {
    expect(await codes(test)).toEqual([])
  })
})

describe('immediate effect of role changes', () => {
  it('grants and revokes a permission on the next request', async () => {
    // Staff, roles with menus, but no `sys:role:add`.
    const before = await failure(test.roles.$post(roleBody('Granted?')))
    expect(before.status).toBe(403)
    expect(before.body.msg).toBe('Permission denied')

    // Menu 12 is SysRole's "新增" button: `sys:role:add`.
    expect(await setRole1Menus([...SEEDED_ROLE_MENUS, 12])).toBe(200)
    expect(await codes(test)).toEqual(['sys:role:add'])
    const granted = await answer(test.roles.$post(roleBody('Granted')))
    expect(granted.status).toBe(200)

    expect(await setRole1Menus(SEEDED_ROLE_MENUS)).toBe(200)
    const revoked = await failure(test.roles.$post(roleBody('Revoked')))
    expect(revoked.status).toBe(403)
    expect(revoked.body.msg).toBe('Permission denied')
    expect(await codes(test)).toEqual([])
  })

  it('revokes a permission when its menu is disabled or deleted', async () => {
    expect(await setRole1Menus([...SEEDED_ROLE_MENUS, 12])).toBe(200)
    expect((await answer(test.roles.$post(roleBody('ViaMenu')))).status).toBe(200)
    const button = {
      title: '新增',
      name: 'AddSysRole',
      parent_id: 11,
      type: 2,
      perms: 'sys:role:add',
      status: 0,
      display: 0,
      cache: 1,
    }
    const MENU_12 = pk(12)
    expect((await answer(admin.menus[':pk'].$put({ ...MENU_12, json: button }))).status).toBe(200)
    expect((await failure(test.roles.$post(roleBody('DisabledMenu')))).status).toBe(403)
    expect((await answer(admin.menus[':pk'].$put({ ...MENU_12, json: { ...button, status: 1 } }))).status).toBe(200)
    expect((await answer(test.roles.$post(roleBody('ReEnabled')))).status).toBe(200)
    expect((await answer(admin.menus[':pk'].$delete(MENU_12))).status).toBe(200)
    expect((await failure(test.roles.$post(roleBody('DeletedMenu')))).status).toBe(403)
  })

  it('a role without menus leaves its users with no menus: an empty sidebar and 403 on permission routes', async () => {
    expect(await setRole1Menus([])).toBe(200)
    const sidebar = await answer(test.menus.sidebar.$get())
    expect(sidebar.status).toBe(200)
    expect(sidebar.data).toEqual([])
    const denied = await failure(test.roles.$post(roleBody('NoMenus')))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('The user has no menus assigned, please contact the administrator')
    expect(await setRole1Menus(SEEDED_ROLE_MENUS)).toBe(200)
  })

  it("disabling the user's only role locks the user out on the next request", async () => {
    expect((await answer(test.menus.sidebar.$get())).status).toBe(200)
    expect((await answer(admin.roles[':pk'].$put({ ...ROLE_1, ...roleBody('测试', 0) }))).status).toBe(200)
    const locked = await failure(test.menus.sidebar.$get())
    expect(locked.status).toBe(403)
    expect(locked.body.msg).toBe("The user's roles are locked, please contact the administrator")
    expect((await failure(test.codes.$get())).status).toBe(403)
    // The superuser is not affected (and re-enables the role).
    expect((await answer(admin.roles[':pk'].$put({ ...ROLE_1, ...roleBody('测试', 1) }))).status).toBe(200)
    expect((await answer(test.menus.sidebar.$get())).status).toBe(200)
  })

  it('deleting the role takes its permissions away on the next request', async () => {
    const [button] = MENU_SEED.filter((m) => m.perms === 'sys:role:edit') // menu 13 (12 was deleted above)
    expect(await setRole1Menus([...SEEDED_ROLE_MENUS, button!.id!])).toBe(200)
    expect((await answer(test.roles[':pk'].$put({ ...ROLE_1, ...roleBody('测试', 1) }))).status).toBe(200)
    expect((await answer(admin.roles.$delete({ json: { pks: [1] } }))).status).toBe(200)
    // No roles at all: the account is not locked, but it has nothing.
    expect(await codes(test)).toEqual([])
    expect((await answer(test.menus.sidebar.$get())).data).toEqual([])
    const denied = await failure(test.roles[':pk'].$put({ ...ROLE_1, ...roleBody('测试', 1) }))
    expect(denied.status).toBe(403)
  })
})
