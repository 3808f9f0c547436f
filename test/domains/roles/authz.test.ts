/**
 * Role and menu changes reach signed-in users on their very next request (no re-login): permission codes,
 * granted and revoked; a disabled role locks its users out. Also `/auth/codes` against the seed.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysMenu } from '../../../src/domains/menus/schema'
import { MENU_SEED } from '../../../src/domains/menus/seed'
import { sysRole } from '../../../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../../../src/domains/users/schema'
import { type Body, jsonInit } from '../../helpers/app'
import { authed, login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'

let admin: string
let test: string

beforeAll(async () => {
  await seedFileDatabase()
  const db = fileDb()
  // Writes need staff as well as the permission code; set it before logging in.
  await db.update(sysUser).set({ isStaff: true }).where(eq(sysUser.username, 'test'))
  // The seeded admin's only role is role 1 too, and a user whose roles are all disabled is locked out — superusers
  // included (fba's rule). Give admin a second role so it can disable role 1 and still act.
  const [ops] = await db.insert(sysRole).values({ name: 'Ops' }).returning()
  await db.insert(sysUserRole).values({ userId: 1, roleId: ops?.id as number })
  admin = (await login('admin')).accessToken
  test = (await login('test')).accessToken
})

async function send(method: string, path: string, token: string, payload?: unknown) {
  const res = await authed(`/api/v1${path}`, token, payload === undefined ? { method } : jsonInit(method, payload))
  return { status: res.status, body: (await res.json()) as Body }
}

const codes = async (token: string) => {
  const { status, body } = await send('GET', '/auth/codes', token)
  expect(status).toBe(200)
  return body.data as string[]
}

const SEEDED_ROLE_MENUS = [1, 2, 3, 50]
const roleBody = (name: string, status = 1) => ({ name, status })

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
    const before = await send('POST', '/sys/roles', test, roleBody('Granted?'))
    expect(before.status).toBe(403)
    expect(before.body.msg).toBe('Permission denied')

    // Menu 12 is SysRole's "新增" button: `sys:role:add`.
    expect((await send('PUT', '/sys/roles/1/menus', admin, { menus: [...SEEDED_ROLE_MENUS, 12] })).status).toBe(200)
    expect(await codes(test)).toEqual(['sys:role:add'])
    const granted = await send('POST', '/sys/roles', test, roleBody('Granted'))
    expect(granted.status).toBe(200)

    expect((await send('PUT', '/sys/roles/1/menus', admin, { menus: SEEDED_ROLE_MENUS })).status).toBe(200)
    const revoked = await send('POST', '/sys/roles', test, roleBody('Revoked'))
    expect(revoked.status).toBe(403)
    expect(revoked.body.msg).toBe('Permission denied')
    expect(await codes(test)).toEqual([])
  })

  it('revokes a permission when its menu is disabled or deleted', async () => {
    expect((await send('PUT', '/sys/roles/1/menus', admin, { menus: [...SEEDED_ROLE_MENUS, 12] })).status).toBe(200)
    expect((await send('POST', '/sys/roles', test, roleBody('ViaMenu'))).status).toBe(200)
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
    expect((await send('PUT', '/sys/menus/12', admin, button)).status).toBe(200)
    expect((await send('POST', '/sys/roles', test, roleBody('DisabledMenu'))).status).toBe(403)
    expect((await send('PUT', '/sys/menus/12', admin, { ...button, status: 1 })).status).toBe(200)
    expect((await send('POST', '/sys/roles', test, roleBody('ReEnabled'))).status).toBe(200)
    expect((await send('DELETE', '/sys/menus/12', admin)).status).toBe(200)
    expect((await send('POST', '/sys/roles', test, roleBody('DeletedMenu'))).status).toBe(403)
  })

  it('a role without menus leaves its users with no menus: an empty sidebar and 403 on permission routes', async () => {
    expect((await send('PUT', '/sys/roles/1/menus', admin, { menus: [] })).status).toBe(200)
    const sidebar = await send('GET', '/sys/menus/sidebar', test)
    expect(sidebar.status).toBe(200)
    expect(sidebar.body.data).toEqual([])
    const denied = await send('POST', '/sys/roles', test, roleBody('NoMenus'))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('The user has no menus assigned, please contact the administrator')
    expect((await send('PUT', '/sys/roles/1/menus', admin, { menus: SEEDED_ROLE_MENUS })).status).toBe(200)
  })

  it("disabling the user's only role locks the user out on the next request", async () => {
    expect((await send('GET', '/sys/menus/sidebar', test)).status).toBe(200)
    expect((await send('PUT', '/sys/roles/1', admin, { name: '测试', status: 0 })).status).toBe(200)
    const locked = await send('GET', '/sys/menus/sidebar', test)
    expect(locked.status).toBe(403)
    expect(locked.body.msg).toBe("The user's roles are locked, please contact the administrator")
    expect((await send('GET', '/auth/codes', test)).status).toBe(403)
    // The superuser is not affected (and re-enables the role).
    expect((await send('PUT', '/sys/roles/1', admin, { name: '测试', status: 1 })).status).toBe(200)
    expect((await send('GET', '/sys/menus/sidebar', test)).status).toBe(200)
  })

  it('deleting the role takes its permissions away on the next request', async () => {
    const [button] = MENU_SEED.filter((m) => m.perms === 'sys:role:edit') // menu 13 (12 was deleted above)
    expect((await send('PUT', '/sys/roles/1/menus', admin, { menus: [...SEEDED_ROLE_MENUS, button?.id] })).status).toBe(
      200,
    )
    expect((await send('PUT', '/sys/roles/1', test, { name: '测试', status: 1 })).status).toBe(200)
    expect((await send('DELETE', '/sys/roles', admin, { pks: [1] })).status).toBe(200)
    // No roles at all: the account is not locked, but it has nothing.
    expect(await codes(test)).toEqual([])
    expect((await send('GET', '/sys/menus/sidebar', test)).body.data).toEqual([])
    const denied = await send('PUT', '/sys/roles/1', test, { name: '测试', status: 1 })
    expect(denied.status).toBe(403)
  })
})
