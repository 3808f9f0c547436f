import { eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysRole, sysRoleDataScope, sysRoleMenu } from '../../../src/domains/roles/schema'
import { sysUserRole } from '../../../src/domains/users/schema'
import { type Body, call, jsonInit } from '../../helpers/app'
import { authed, login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'

const DATETIME = expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)

interface MenuNode {
  id: number
  title: string
  children: MenuNode[] | null
  [key: string]: unknown
}

let admin: string
let test: string

beforeAll(async () => {
  await seedFileDatabase()
  admin = (await login('admin')).accessToken
  test = (await login('test')).accessToken
})

async function get<T>(path: string, token?: string) {
  const res = token ? await authed(`/api/v1${path}`, token) : await call(`/api/v1${path}`)
  const body = (await res.json()) as Body
  return { status: res.status, body, data: body.data as T }
}

async function send(method: string, path: string, token: string | undefined, payload?: unknown) {
  const init = payload === undefined ? { method } : jsonInit(method, payload)
  const res = token ? await authed(`/api/v1${path}`, token, init) : await call(`/api/v1${path}`, init)
  return { status: res.status, body: (await res.json()) as Body }
}

const errorsOf = (body: Body) => (body.data as { errors: { loc: (string | number)[]; type: string }[] }).errors

const roleByName = (name: string) =>
  fileDb()
    .select()
    .from(sysRole)
    .where(eq(sysRole.name, name))
    .then((rows) => rows[0])

const menuIdsOf = async (roleId: number) =>
  (await fileDb().select().from(sysRoleMenu).where(eq(sysRoleMenu.roleId, roleId)))
    .map((r) => r.menuId)
    .sort((a, b) => a - b)

const SEEDED_ROLE = {
  id: 1,
  name: '测试',
  status: 1,
  is_filter_scopes: true,
  remark: null,
  created_time: DATETIME,
  updated_time: null,
}

describe('role reads', () => {
  it('GET /sys/roles/all lists every role as RoleDetail', async () => {
    const { status, data } = await get('/sys/roles/all', test)
    expect(status).toBe(200)
    expect(data).toStrictEqual([SEEDED_ROLE])
  })

  it('GET /sys/roles pages roles in id order with name and status filters', async () => {
    const { status, data } = await get('/sys/roles?page=1&size=10', test)
    expect(status).toBe(200)
    expect(data).toStrictEqual({
      items: [SEEDED_ROLE],
      total: 1,
      page: 1,
      size: 10,
      total_pages: 1,
      links: {
        first: '/api/v1/sys/roles?page=1&size=10',
        last: '/api/v1/sys/roles?page=1&size=10',
        self: '/api/v1/sys/roles?page=1&size=10',
        next: null,
        prev: null,
      },
    })
    const named = await get<{ total: number; links: { self: string } }>(
      `/sys/roles?name=${encodeURIComponent('测')}&status=1`,
      admin,
    )
    expect(named.data.total).toBe(1)
    expect(named.data.links.self).toBe('/api/v1/sys/roles?name=%E6%B5%8B&status=1&page=1&size=20')
    expect((await get<{ total: number }>('/sys/roles?status=0', admin)).data.total).toBe(0)
    expect((await get<{ total: number }>('/sys/roles?name=nobody', admin)).data.total).toBe(0)
    const invalid = await get('/sys/roles?status=3', admin)
    expect(invalid.status).toBe(422)
    expect(errorsOf(invalid.body)[0]?.loc).toEqual(['query', 'status'])
  })

  it('GET /sys/roles/{pk} returns RoleWithRelation: menus as MenuDetail, scopes with empty rules', async () => {
    const { status, data } = await get<Record<string, unknown>>('/sys/roles/1', test)
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual([...Object.keys(SEEDED_ROLE), 'menus', 'scopes'].sort())
    expect(data).toMatchObject(SEEDED_ROLE)
    const menus = data.menus as Record<string, unknown>[]
    expect(menus.map((m) => m.id)).toEqual([1, 2, 3, 50])
    expect(menus[1]).toStrictEqual({
      id: 2,
      title: 'page.dashboard.analytics',
      name: 'Analytics',
      path: '/analytics',
      parent_id: 1,
      sort: 0,
      icon: 'lucide:area-chart',
      type: 1,
      component: '/dashboard/analytics/index',
      perms: null,
      status: 1,
      display: 1,
      cache: 1,
      link: null,
      remark: null,
      created_time: DATETIME,
      updated_time: null,
    })
    expect(data.scopes).toStrictEqual([
      { id: 1, name: '本部门数据权限', status: 1, created_time: DATETIME, updated_time: null, rules: [] },
      { id: 2, name: '测试部门及以下数据权限', status: 1, created_time: DATETIME, updated_time: null, rules: [] },
    ])
  })

  it("GET /sys/roles/{pk}/menus returns the role's menus as a tree sorted by sort", async () => {
    const { status, data } = await get<MenuNode[]>('/sys/roles/1/menus', test)
    expect(status).toBe(200)
    expect(data.map((m) => [m.id, m.children?.map((c) => [c.id, c.children]) ?? null])).toEqual([
      [
        1,
        [
          [2, null],
          [3, null],
        ],
      ],
      [50, null],
    ])
    expect(data[1]).toMatchObject({ title: 'page.menu.profile', display: 0, created_time: DATETIME, children: null })
  })

  it("GET /sys/roles/{pk}/scopes returns the role's data-scope ids", async () => {
    const { status, data } = await get('/sys/roles/1/scopes', test)
    expect(status).toBe(200)
    expect(data).toEqual([1, 2])
  })

  it('answers 404 for an unknown role and 401 without a token', async () => {
    for (const path of ['/sys/roles/999', '/sys/roles/999/menus', '/sys/roles/999/scopes']) {
      const { status, body } = await get(path, admin)
      expect(status, path).toBe(404)
      expect(body.msg).toBe('Role not found')
    }
    for (const path of ['/sys/roles/all', '/sys/roles', '/sys/roles/1', '/sys/roles/1/menus', '/sys/roles/1/scopes']) {
      expect((await get(path)).status, path).toBe(401)
    }
  })
})

describe('POST /sys/roles', () => {
  it('creates a role (is_filter_scopes defaults to true)', async () => {
    const res = await send('POST', '/sys/roles', admin, { name: 'Auditors', status: 1 })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ code: 200, msg: 'Request success', data: null })
    expect(await roleByName('Auditors')).toMatchObject({ status: 1, isFilterScopes: true, remark: null })
    const second = await send('POST', '/sys/roles', admin, {
      name: 'Viewers',
      status: 0,
      is_filter_scopes: false,
      remark: 'read only',
    })
    expect(second.status).toBe(200)
    expect(await roleByName('Viewers')).toMatchObject({ status: 0, isFilterScopes: false, remark: 'read only' })
    const { data } = await get<{ name: string }[]>('/sys/roles/all', admin)
    expect(data.map((r) => r.name)).toEqual(['测试', 'Auditors', 'Viewers'])
  })

  it('refuses a name that exists (409)', async () => {
    const res = await send('POST', '/sys/roles', admin, { name: '测试', status: 1 })
    expect(res.status).toBe(409)
    expect(res.body.msg).toBe('Role already exists')
    const zh = await authed(
      '/api/v1/sys/roles',
      admin,
      jsonInit('POST', { name: '测试', status: 1 }, { 'Accept-Language': 'zh-CN' }),
    )
    expect(((await zh.json()) as Body).msg).toBe('角色已存在')
  })

  it('validates the body field by field', async () => {
    const cases: [Record<string, unknown>, (string | number)[], string][] = [
      [{ name: undefined }, ['body', 'name'], 'missing'],
      [{ name: '  ' }, ['body', 'name'], 'too_small'],
      [{ name: 'x'.repeat(33) }, ['body', 'name'], 'too_big'],
      [{ status: undefined }, ['body', 'status'], 'missing'],
      [{ status: 2 }, ['body', 'status'], 'invalid_value'],
      [{ is_filter_scopes: 'yes' }, ['body', 'is_filter_scopes'], 'invalid_type'],
      [{ remark: 5 }, ['body', 'remark'], 'invalid_type'],
    ]
    for (const [override, loc, type] of cases) {
      const res = await send('POST', '/sys/roles', admin, { name: 'Valid', status: 1, ...override })
      expect(res.status, JSON.stringify(override)).toBe(422)
      expect(errorsOf(res.body)[0], JSON.stringify(override)).toMatchObject({ loc, type })
    }
    expect(await roleByName('Valid')).toBeUndefined()
  })

  it('requires sys:role:add: 401 anonymous, 403 for the test user', async () => {
    expect((await send('POST', '/sys/roles', undefined, { name: 'Nope', status: 1 })).status).toBe(401)
    const denied = await send('POST', '/sys/roles', test, { name: 'Nope', status: 1 })
    expect(denied.status).toBe(403)
    expect(await roleByName('Nope')).toBeUndefined()
  })
})

describe('PUT /sys/roles/{pk}', () => {
  it('updates name, status and remark; a left-out is_filter_scopes keeps its value', async () => {
    const viewers = await roleByName('Viewers')
    const res = await send('PUT', `/sys/roles/${viewers?.id}`, admin, { name: 'Readers', status: 1 })
    expect(res.status).toBe(200)
    const { data } = await get(`/sys/roles/${viewers?.id}`, admin)
    expect(data).toMatchObject({
      name: 'Readers',
      status: 1,
      is_filter_scopes: false,
      remark: null,
      updated_time: DATETIME,
    })
    await send('PUT', `/sys/roles/${viewers?.id}`, admin, { name: 'Readers', status: 1, is_filter_scopes: true })
    expect((await roleByName('Readers'))?.isFilterScopes).toBe(true)
  })

  it('answers 404 for an unknown role and 409 for a name another role has', async () => {
    const missing = await send('PUT', '/sys/roles/999', admin, { name: 'Ghost', status: 1 })
    expect(missing.status).toBe(404)
    const readers = await roleByName('Readers')
    const taken = await send('PUT', `/sys/roles/${readers?.id}`, admin, { name: 'Auditors', status: 1 })
    expect(taken.status).toBe(409)
    const own = await send('PUT', `/sys/roles/${readers?.id}`, admin, { name: 'Readers', status: 1, remark: 'x' })
    expect(own.status).toBe(200)
  })

  it('requires sys:role:edit', async () => {
    expect((await send('PUT', '/sys/roles/1', undefined, { name: 'x', status: 1 })).status).toBe(401)
    expect((await send('PUT', '/sys/roles/1', test, { name: 'x', status: 1 })).status).toBe(403)
    expect((await roleByName('测试'))?.id).toBe(1)
  })
})

describe('PUT /sys/roles/{pk}/menus', () => {
  it('replaces the set (duplicates ignored) and [] empties it', async () => {
    const auditors = (await roleByName('Auditors'))?.id as number
    expect((await send('PUT', `/sys/roles/${auditors}/menus`, admin, { menus: [4, 9, 10, 9] })).status).toBe(200)
    expect(await menuIdsOf(auditors)).toEqual([4, 9, 10])
    expect((await send('PUT', `/sys/roles/${auditors}/menus`, admin, { menus: [11, 12] })).status).toBe(200)
    expect(await menuIdsOf(auditors)).toEqual([11, 12])
    const { data } = await get<MenuNode[]>(`/sys/roles/${auditors}/menus`, admin)
    expect(data.map((m) => [m.id, m.children?.map((c) => c.id) ?? null])).toEqual([[11, [12]]])
    const cleared = await send('PUT', `/sys/roles/${auditors}/menus`, admin, { menus: [] })
    expect(cleared.status).toBe(200)
    expect(cleared.body.code).toBe(200)
    expect(await menuIdsOf(auditors)).toEqual([])
    expect((await get(`/sys/roles/${auditors}/menus`, admin)).data).toEqual([])
  })

  it('answers 404 when a menu or the role does not exist, changing nothing', async () => {
    const unknownMenu = await send('PUT', '/sys/roles/1/menus', admin, { menus: [1, 9999] })
    expect(unknownMenu.status).toBe(404)
    expect(unknownMenu.body.msg).toBe('Menu not found')
    expect(await menuIdsOf(1)).toEqual([1, 2, 3, 50])
    const unknownRole = await send('PUT', '/sys/roles/999/menus', admin, { menus: [1] })
    expect(unknownRole.status).toBe(404)
    expect(unknownRole.body.msg).toBe('Role not found')
  })

  it('validates the body and requires sys:role:menu:edit', async () => {
    const missing = await send('PUT', '/sys/roles/1/menus', admin, {})
    expect(missing.status).toBe(422)
    expect(errorsOf(missing.body)[0]).toMatchObject({ loc: ['body', 'menus'], type: 'missing' })
    const bad = await send('PUT', '/sys/roles/1/menus', admin, { menus: [1, 'x'] })
    expect(errorsOf(bad.body)[0]).toMatchObject({ loc: ['body', 'menus', 1], type: 'invalid_type' })
    expect((await send('PUT', '/sys/roles/1/menus', undefined, { menus: [] })).status).toBe(401)
    expect((await send('PUT', '/sys/roles/1/menus', test, { menus: [] })).status).toBe(403)
    expect(await menuIdsOf(1)).toEqual([1, 2, 3, 50])
  })
})

describe('PUT /sys/roles/{pk}/scopes', () => {
  const scopeIdsOf = async (roleId: number) =>
    (await fileDb().select().from(sysRoleDataScope).where(eq(sysRoleDataScope.roleId, roleId)))
      .map((r) => r.dataScopeId)
      .sort((a, b) => a - b)

  it('replaces the set and [] empties it', async () => {
    const auditors = (await roleByName('Auditors'))?.id as number
    expect((await send('PUT', `/sys/roles/${auditors}/scopes`, admin, { scopes: [3, 5, 3] })).status).toBe(200)
    expect(await scopeIdsOf(auditors)).toEqual([3, 5])
    expect((await get(`/sys/roles/${auditors}/scopes`, admin)).data).toEqual([3, 5])
    expect((await send('PUT', `/sys/roles/${auditors}/scopes`, admin, { scopes: [] })).status).toBe(200)
    expect(await scopeIdsOf(auditors)).toEqual([])
  })

  it('answers 404 for an unknown data scope or role', async () => {
    const res = await send('PUT', '/sys/roles/1/scopes', admin, { scopes: [1, 99] })
    expect(res.status).toBe(404)
    expect(res.body.msg).toBe('Data scope not found')
    expect(await scopeIdsOf(1)).toEqual([1, 2])
    expect((await send('PUT', '/sys/roles/999/scopes', admin, { scopes: [1] })).status).toBe(404)
  })

  it('requires sys:role:scope:edit', async () => {
    expect((await send('PUT', '/sys/roles/1/scopes', undefined, { scopes: [] })).status).toBe(401)
    expect((await send('PUT', '/sys/roles/1/scopes', test, { scopes: [] })).status).toBe(403)
    expect(await scopeIdsOf(1)).toEqual([1, 2])
  })
})

describe('DELETE /sys/roles', () => {
  it('deletes roles with their user, menu and data-scope links in one go; unknown ids are ignored', async () => {
    const db = fileDb()
    const auditors = (await roleByName('Auditors'))?.id as number
    const readers = (await roleByName('Readers'))?.id as number
    await send('PUT', `/sys/roles/${auditors}/menus`, admin, { menus: [1, 2] })
    await send('PUT', `/sys/roles/${auditors}/scopes`, admin, { scopes: [1] })
    await db.insert(sysUserRole).values({ userId: 2, roleId: auditors })
    const res = await send('DELETE', '/sys/roles', admin, { pks: [auditors, readers, 999] })
    expect(res.status).toBe(200)
    expect(res.body.data).toBeNull()
    const ids = [auditors, readers]
    expect(await db.select().from(sysRole).where(inArray(sysRole.id, ids))).toEqual([])
    expect(await db.select().from(sysRoleMenu).where(inArray(sysRoleMenu.roleId, ids))).toEqual([])
    expect(await db.select().from(sysRoleDataScope).where(inArray(sysRoleDataScope.roleId, ids))).toEqual([])
    expect(await db.select().from(sysUserRole).where(inArray(sysUserRole.roleId, ids))).toEqual([])
    // The test user keeps its seeded role.
    expect((await db.select().from(sysUserRole).where(eq(sysUserRole.userId, 2))).map((r) => r.roleId)).toEqual([1])
  })

  it('validates the body and requires sys:role:del', async () => {
    const empty = await send('DELETE', '/sys/roles', admin, { pks: [] })
    expect(empty.status).toBe(422)
    expect(errorsOf(empty.body)[0]).toMatchObject({ loc: ['body', 'pks'], type: 'too_small' })
    expect((await send('DELETE', '/sys/roles', undefined, { pks: [1] })).status).toBe(401)
    expect((await send('DELETE', '/sys/roles', test, { pks: [1] })).status).toBe(403)
    expect(await roleByName('测试')).toBeDefined()
  })
})
