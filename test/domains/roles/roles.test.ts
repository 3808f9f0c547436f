import { eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { MenuTreeSchema } from '../../../src/domains/menus/dto'
import type { roleRoutes } from '../../../src/domains/roles/routes.v1'
import { sysRole, sysRoleDataScope, sysRoleMenu } from '../../../src/domains/roles/schema'
import { sysUserRole } from '../../../src/domains/users/schema'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { anyDatetime } from '../../helpers/fixtures'
import { answer, api, failure, send } from '../../helpers/harness'
import { pk, treeOf } from '../depts/helpers'

const rolesAs = (token?: string) => api<typeof roleRoutes>(token)

const anonymous = rolesAs()
const tokens = seedAndSignIn()
let admin: ReturnType<typeof rolesAs>
let test: ReturnType<typeof rolesAs>

beforeAll(() => {
  admin = rolesAs(tokens.admin)
  test = rolesAs(tokens.test)
})

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
  created_time: anyDatetime(),
  updated_time: null,
}

describe('role reads', () => {
  it('GET /sys/roles/all lists every role as RoleDetail', async () => {
    const { status, data } = await answer(test.sys.roles.all.$get())
    expect(status).toBe(200)
    expect(data).toStrictEqual([SEEDED_ROLE])
  })

  it('GET /sys/roles pages roles in id order with name and status filters', async () => {
    const { status, data } = await answer(test.sys.roles.$get({ query: { page: '1', size: '10' } }))
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
    const named = await answer(admin.sys.roles.$get({ query: { name: '测', status: '1' } }))
    expect(named.data.total).toBe(1)
    expect(named.data.links.self).toBe('/api/v1/sys/roles?name=%E6%B5%8B&status=1&page=1&size=20')
    expect((await answer(admin.sys.roles.$get({ query: { status: '0' } }))).data.total).toBe(0)
    expect((await answer(admin.sys.roles.$get({ query: { name: 'nobody' } }))).data.total).toBe(0)
    const invalid = await failure(admin.sys.roles.$get({ query: { status: '3' } }))
    expect(invalid.status).toBe(422)
    expect(invalid.errors[0]?.loc).toEqual(['query', 'status'])
  })

  it('GET /sys/roles/{pk} returns RoleWithRelation: menus as MenuDetail, scopes with empty rules', async () => {
    const { status, data } = await answer(test.sys.roles[':pk'].$get(pk(1)))
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual([...Object.keys(SEEDED_ROLE), 'menus', 'scopes'].sort())
    expect(data).toMatchObject(SEEDED_ROLE)
    expect(data.menus.map((m) => m.id)).toEqual([1, 2, 3, 50])
    expect(data.menus[1]).toStrictEqual({
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
      created_time: anyDatetime(),
      updated_time: null,
    })
    expect(data.scopes).toStrictEqual([
      { id: 1, name: '本部门数据权限', status: 1, created_time: anyDatetime(), updated_time: null, rules: [] },
      { id: 2, name: '测试部门及以下数据权限', status: 1, created_time: anyDatetime(), updated_time: null, rules: [] },
    ])
  })

  it("GET /sys/roles/{pk}/menus returns the role's menus as a tree sorted by sort", async () => {
    const { status, data } = await answer(test.sys.roles[':pk'].menus.$get(pk(1)))
    expect(status).toBe(200)
    const tree = treeOf(MenuTreeSchema, data)
    expect(tree.map((m) => [m.id, m.children?.map((c) => [c.id, c.children]) ?? null])).toEqual([
      [
        1,
        [
          [2, null],
          [3, null],
        ],
      ],
      [50, null],
    ])
    expect(tree[1]).toMatchObject({
      title: 'page.menu.profile',
      display: 0,
      created_time: anyDatetime(),
      children: null,
    })
  })

  it("GET /sys/roles/{pk}/scopes returns the role's data-scope ids", async () => {
    const { status, data } = await answer(test.sys.roles[':pk'].scopes.$get(pk(1)))
    expect(status).toBe(200)
    expect(data).toEqual([1, 2])
  })

  it('answers 404 for an unknown role and 401 without a token', async () => {
    for (const [path, request] of [
      ['/sys/roles/999', () => admin.sys.roles[':pk'].$get(pk(999))],
      ['/sys/roles/999/menus', () => admin.sys.roles[':pk'].menus.$get(pk(999))],
      ['/sys/roles/999/scopes', () => admin.sys.roles[':pk'].scopes.$get(pk(999))],
    ] as const) {
      const { status, body } = await failure(request())
      expect(status, path).toBe(404)
      expect(body.msg).toBe('Role not found')
    }
    for (const [path, request] of [
      ['/sys/roles/all', () => anonymous.sys.roles.all.$get()],
      ['/sys/roles', () => anonymous.sys.roles.$get({ query: {} })],
      ['/sys/roles/1', () => anonymous.sys.roles[':pk'].$get(pk(1))],
      ['/sys/roles/1/menus', () => anonymous.sys.roles[':pk'].menus.$get(pk(1))],
      ['/sys/roles/1/scopes', () => anonymous.sys.roles[':pk'].scopes.$get(pk(1))],
    ] as const) {
      expect((await failure(request())).status, path).toBe(401)
    }
  })
})

describe('POST /sys/roles', () => {
  it('creates a role (is_filter_scopes defaults to true)', async () => {
    const res = await answer(admin.sys.roles.$post({ json: { name: 'Auditors', status: 1 } }))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ code: 200, msg: 'Request success', data: null })
    expect(await roleByName('Auditors')).toMatchObject({ status: 1, isFilterScopes: true, remark: null })
    const second = await answer(
      admin.sys.roles.$post({ json: { name: 'Viewers', status: 0, is_filter_scopes: false, remark: 'read only' } }),
    )
    expect(second.status).toBe(200)
    expect(await roleByName('Viewers')).toMatchObject({ status: 0, isFilterScopes: false, remark: 'read only' })
    const { data } = await answer(admin.sys.roles.all.$get())
    expect(data.map((r) => r.name)).toEqual(['测试', 'Auditors', 'Viewers'])
  })

  it('refuses a name that exists (409)', async () => {
    const res = await failure(admin.sys.roles.$post({ json: { name: '测试', status: 1 } }))
    expect(res.status).toBe(409)
    expect(res.body.msg).toBe('Role already exists')
    const zh = api<typeof roleRoutes>(tokens.admin, { headers: { 'Accept-Language': 'zh-CN' } })
    expect((await failure(zh.sys.roles.$post({ json: { name: '测试', status: 1 } }))).body.msg).toBe('角色已存在')
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
      const json = { name: 'Valid', status: 1, ...override }
      const res = await failure(send('POST', '/api/v1/sys/roles', { token: tokens.admin, json }))
      expect(res.status, JSON.stringify(override)).toBe(422)
      expect(res.errors[0], JSON.stringify(override)).toMatchObject({ loc, type })
    }
    expect(await roleByName('Valid')).toBeUndefined()
  })

  it('requires sys:role:add: 401 anonymous, 403 for the test user', async () => {
    expect((await failure(anonymous.sys.roles.$post({ json: { name: 'Nope', status: 1 } }))).status).toBe(401)
    const denied = await failure(test.sys.roles.$post({ json: { name: 'Nope', status: 1 } }))
    expect(denied.status).toBe(403)
    expect(await roleByName('Nope')).toBeUndefined()
  })
})

describe('PUT /sys/roles/{pk}', () => {
  it('updates name, status and remark; a left-out is_filter_scopes keeps its value', async () => {
    const viewers = await roleByName('Viewers')
    const res = await answer(admin.sys.roles[':pk'].$put({ ...pk(viewers?.id), json: { name: 'Readers', status: 1 } }))
    expect(res.status).toBe(200)
    const { data } = await answer(admin.sys.roles[':pk'].$get(pk(viewers?.id)))
    expect(data).toMatchObject({
      name: 'Readers',
      status: 1,
      is_filter_scopes: false,
      remark: null,
      updated_time: anyDatetime(),
    })
    await admin.sys.roles[':pk'].$put({
      ...pk(viewers?.id),
      json: { name: 'Readers', status: 1, is_filter_scopes: true },
    })
    expect((await roleByName('Readers'))?.isFilterScopes).toBe(true)
  })

  it('answers 404 for an unknown role and 409 for a name another role has', async () => {
    const missing = await failure(admin.sys.roles[':pk'].$put({ ...pk(999), json: { name: 'Ghost', status: 1 } }))
    expect(missing.status).toBe(404)
    const readers = await roleByName('Readers')
    const taken = await failure(
      admin.sys.roles[':pk'].$put({ ...pk(readers?.id), json: { name: 'Auditors', status: 1 } }),
    )
    expect(taken.status).toBe(409)
    const own = await answer(
      admin.sys.roles[':pk'].$put({ ...pk(readers?.id), json: { name: 'Readers', status: 1, remark: 'x' } }),
    )
    expect(own.status).toBe(200)
  })

  it('requires sys:role:edit', async () => {
    const update = { ...pk(1), json: { name: 'x', status: 1 } }
    expect((await failure(anonymous.sys.roles[':pk'].$put(update))).status).toBe(401)
    expect((await failure(test.sys.roles[':pk'].$put(update))).status).toBe(403)
    expect((await roleByName('测试'))?.id).toBe(1)
  })
})

describe('PUT /sys/roles/{pk}/menus', () => {
  const putMenus = (id: number, menus: number[], client = admin) =>
    client.sys.roles[':pk'].menus.$put({ ...pk(id), json: { menus } })

  it('replaces the set (duplicates ignored) and [] empties it', async () => {
    const auditors = (await roleByName('Auditors'))?.id as number
    expect((await answer(putMenus(auditors, [4, 9, 10, 9]))).status).toBe(200)
    expect(await menuIdsOf(auditors)).toEqual([4, 9, 10])
    expect((await answer(putMenus(auditors, [11, 12]))).status).toBe(200)
    expect(await menuIdsOf(auditors)).toEqual([11, 12])
    const { data } = await answer(admin.sys.roles[':pk'].menus.$get(pk(auditors)))
    expect(treeOf(MenuTreeSchema, data).map((m) => [m.id, m.children?.map((c) => c.id) ?? null])).toEqual([[11, [12]]])
    const cleared = await answer(putMenus(auditors, []))
    expect(cleared.status).toBe(200)
    expect(cleared.body.code).toBe(200)
    expect(await menuIdsOf(auditors)).toEqual([])
    expect((await answer(admin.sys.roles[':pk'].menus.$get(pk(auditors)))).data).toEqual([])
  })

  it('answers 404 when a menu or the role does not exist, changing nothing', async () => {
    const unknownMenu = await failure(putMenus(1, [1, 9999]))
    expect(unknownMenu.status).toBe(404)
    expect(unknownMenu.body.msg).toBe('Menu not found')
    expect(await menuIdsOf(1)).toEqual([1, 2, 3, 50])
    const unknownRole = await failure(putMenus(999, [1]))
    expect(unknownRole.status).toBe(404)
    expect(unknownRole.body.msg).toBe('Role not found')
  })

  it('validates the body and requires sys:role:menu:edit', async () => {
    const missing = await failure(send('PUT', '/api/v1/sys/roles/1/menus', { token: tokens.admin, json: {} }))
    expect(missing.status).toBe(422)
    expect(missing.errors[0]).toMatchObject({ loc: ['body', 'menus'], type: 'missing' })
    const bad = await failure(
      send('PUT', '/api/v1/sys/roles/1/menus', { token: tokens.admin, json: { menus: [1, 'x'] } }),
    )
    expect(bad.errors[0]).toMatchObject({ loc: ['body', 'menus', 1], type: 'invalid_type' })
    expect((await failure(putMenus(1, [], anonymous))).status).toBe(401)
    expect((await failure(putMenus(1, [], test))).status).toBe(403)
    expect(await menuIdsOf(1)).toEqual([1, 2, 3, 50])
  })
})

describe('PUT /sys/roles/{pk}/scopes', () => {
  const scopeIdsOf = async (roleId: number) =>
    (await fileDb().select().from(sysRoleDataScope).where(eq(sysRoleDataScope.roleId, roleId)))
      .map((r) => r.dataScopeId)
      .sort((a, b) => a - b)

  const putScopes = (id: number, scopes: number[], client = admin) =>
    client.sys.roles[':pk'].scopes.$put({ ...pk(id), json: { scopes } })

  it('replaces the set and [] empties it', async () => {
    const auditors = (await roleByName('Auditors'))?.id as number
    expect((await answer(putScopes(auditors, [3, 5, 3]))).status).toBe(200)
    expect(await scopeIdsOf(auditors)).toEqual([3, 5])
    expect((await answer(admin.sys.roles[':pk'].scopes.$get(pk(auditors)))).data).toEqual([3, 5])
    expect((await answer(putScopes(auditors, []))).status).toBe(200)
    expect(await scopeIdsOf(auditors)).toEqual([])
  })

  it('answers 404 for an unknown data scope or role', async () => {
    const res = await failure(putScopes(1, [1, 99]))
    expect(res.status).toBe(404)
    expect(res.body.msg).toBe('Data scope not found')
    expect(await scopeIdsOf(1)).toEqual([1, 2])
    expect((await failure(putScopes(999, [1]))).status).toBe(404)
  })

  it('requires sys:role:scope:edit', async () => {
    expect((await failure(putScopes(1, [], anonymous))).status).toBe(401)
    expect((await failure(putScopes(1, [], test))).status).toBe(403)
    expect(await scopeIdsOf(1)).toEqual([1, 2])
  })
})

describe('DELETE /sys/roles', () => {
  it('deletes roles with their user, menu and data-scope links in one go; unknown ids are ignored', async () => {
    const db = fileDb()
    const auditors = (await roleByName('Auditors'))?.id as number
    const readers = (await roleByName('Readers'))?.id as number
    await admin.sys.roles[':pk'].menus.$put({ ...pk(auditors), json: { menus: [1, 2] } })
    await admin.sys.roles[':pk'].scopes.$put({ ...pk(auditors), json: { scopes: [1] } })
    await db.insert(sysUserRole).values({ userId: 2, roleId: auditors })
    const res = await answer(admin.sys.roles.$delete({ json: { pks: [auditors, readers, 999] } }))
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
    const empty = await failure(admin.sys.roles.$delete({ json: { pks: [] } }))
    expect(empty.status).toBe(422)
    expect(empty.errors[0]).toMatchObject({ loc: ['body', 'pks'], type: 'too_small' })
    expect((await failure(anonymous.sys.roles.$delete({ json: { pks: [1] } }))).status).toBe(401)
    expect((await failure(test.sys.roles.$delete({ json: { pks: [1] } }))).status).toBe(403)
    expect(await roleByName('测试')).toBeDefined()
  })
})
