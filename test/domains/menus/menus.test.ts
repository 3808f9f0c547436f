import type { z } from '@hono/zod-openapi'
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type MenuBodySchema,
  MenuTreeSchema,
  type SidebarMeta,
  type SidebarRoute,
  SidebarRouteSchema,
} from '../../../src/domains/menus/dto'
import type { menuRoutes } from '../../../src/domains/menus/routes.v1'
import { type Menu, sysMenu } from '../../../src/domains/menus/schema'
import { MENU_SEED } from '../../../src/domains/menus/seed'
import type { roleRoutes } from '../../../src/domains/roles/routes.v1'
import { sysRoleMenu } from '../../../src/domains/roles/schema'
import { sysUser } from '../../../src/domains/users/schema'
import { login, seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { anyDatetime } from '../../helpers/fixtures'
import { answer, api, failure, send } from '../../helpers/harness'
import { pk, treeOf } from '../depts/helpers'

const menusAs = (token?: string) => api<typeof menuRoutes>(token)

const anonymous = menusAs()
const tokens = seedAndSignIn()
let admin: ReturnType<typeof menusAs>
let test: ReturnType<typeof menusAs>
/** Every menu as seeded: the core 50 plus whatever the registered plugins contribute. */
let seeded: Menu[]

beforeAll(async () => {
  seeded = await fileDb().select().from(sysMenu)
  admin = menusAs(tokens.admin)
  test = menusAs(tokens.test)
})

/** The sidebar of a user, typed all the way down. */
async function sidebarOf(client: ReturnType<typeof menusAs>) {
  const { status, data } = await answer(client.sys.menus.sidebar.$get())
  return { status, data: treeOf(SidebarRouteSchema, data) }
}

/** The admin menu tree (`GET /sys/menus`), typed all the way down. */
async function menuTree(query: { title?: string; status?: string } = {}, client = admin) {
  const { status, data } = await answer(client.sys.menus.$get({ query }))
  return { status, data: treeOf(MenuTreeSchema, data) }
}

const flatten = <T extends { children?: T[] | null }>(nodes: T[]): T[] =>
  nodes.flatMap((n) => [n, ...flatten(n.children ?? [])])

/** A valid create/update body; override what a test is about. */
const menuBody = (extra: Partial<z.input<typeof MenuBodySchema>> = {}) => ({
  title: 'Reports',
  name: 'Reports',
  path: '/reports',
  parent_id: null,
  sort: 9,
  icon: 'mdi:chart',
  type: 0,
  component: null,
  perms: null,
  status: 1,
  display: 1,
  cache: 1,
  link: null,
  remark: 'created by a test',
  ...extra,
})

/** Menu 3 (Workspace) as seeded, as an update body. */
const WORKSPACE = {
  title: 'page.dashboard.workspace',
  name: 'Workspace',
  path: '/workspace',
  parent_id: 1,
  sort: 1,
  icon: 'carbon:workspace',
  type: 1,
  component: '/dashboard/workspace/index',
  status: 1,
  display: 1,
  cache: 1,
}

const menuRow = (title: string) =>
  fileDb()
    .select()
    .from(sysMenu)
    .where(eq(sysMenu.title, title))
    .then((rows) => rows[0])

describe('GET /sys/menus/sidebar', () => {
  it('gives the superuser every non-button menu as a vben route tree', async () => {
    const { status, data } = await sidebarOf(admin)
    expect(status).toBe(200)
    const all = flatten(data)
    // The core seed's 27: 7 directories + 17 menus + 1 embedded page + 2 links (plugins may add their own).
    const core = MENU_SEED.filter((m) => m.type !== 2).map((m) => m.id as number)
    expect(core).toHaveLength(27)
    const ids = all.map((r) => r.id).sort((a, b) => a - b)
    expect(ids).toEqual(expect.arrayContaining(core))
    expect(ids).toEqual(
      seeded
        .filter((m) => m.type !== 2)
        .map((m) => m.id)
        .sort((a, b) => a - b),
    )
    const onlyCore = (routes: SidebarRoute[] | undefined) =>
      (routes ?? []).filter((r) => core.includes(r.id)).map((r) => r.name)
    expect(onlyCore(data)).toEqual(['Dashboard', 'System', 'Scheduler', 'Log', 'Monitor', 'Project', 'Profile'])
    const system = data.find((r) => r.name === 'System')
    expect(onlyCore(system?.children)).toEqual([
      'SysDept',
      'SysUser',
      'SysRole',
      'SysMenu',
      'SysDataPermission',
      'SysPlugin',
    ])
    const dataPermission = system?.children?.find((r) => r.name === 'SysDataPermission')
    expect(dataPermission?.children?.map((r) => r.name)).toEqual(['SysDataScope', 'SysDataRule'])
    // Siblings are ordered by sort (then id): the roots, and the children of every route.
    for (const siblings of [data, ...all.map((route) => route.children ?? [])]) {
      const sorts = siblings.map((r) => [r.sort, r.id] as const)
      expect(sorts).toEqual([...sorts].sort((a, b) => a[0] - b[0] || a[1] - b[1]))
    }
    for (const route of all) {
      const keys = Object.keys(route).sort()
      const base = [
        'component',
        'created_time',
        'id',
        'meta',
        'name',
        'parent_id',
        'path',
        'perms',
        'remark',
        'sort',
        'type',
        'updated_time',
      ]
      // `children` only when the node has some (no buttons in the sidebar, so SysDept etc. are leaves).
      expect(keys).toEqual(route.children ? [...base, 'children'].sort() : base)
      if (route.children) expect(route.children.length).toBeGreaterThan(0)
      expect(Object.keys(route.meta).sort()).toEqual(
        ['hideInMenu', 'icon', 'iframeSrc', 'keepAlive', 'link', 'menuVisibleWithForbidden', 'title'].sort(),
      )
    }
  })

  it('moves title, icon, link, cache, display and status into meta', async () => {
    const { data } = await sidebarOf(admin)
    const project = data.find((r) => r.name === 'Project')
    expect(project?.children?.map((r) => r.name)).toEqual(['Document', 'Github', 'Apifox'])
    const [document, , apifox] = project?.children ?? []
    expect(document).toStrictEqual({
      id: 47,
      name: 'Document',
      path: '/fba/document',
      sort: 1,
      type: 4,
      component: '/_core/fallback/iframe.vue',
      perms: null,
      remark: null,
      parent_id: 46,
      created_time: anyDatetime(),
      updated_time: null,
      meta: {
        title: '文档',
        icon: 'lucide:book-open-text',
        iframeSrc: '',
        link: 'https://fastapi-practices.github.io/fastapi_best_architecture_docs',
        keepAlive: 1,
        hideInMenu: false,
        menuVisibleWithForbidden: false,
      },
    })
    expect(apifox?.type).toBe(3)
    expect(apifox?.meta).toStrictEqual({
      title: 'Apifox',
      icon: 'simple-icons:apifox',
      iframeSrc: 'https://apifox.com/apidoc/shared-28a93f02-730b-4f33-bb5e-4dad92058cc0',
      link: '',
      keepAlive: 1,
      hideInMenu: false,
      menuVisibleWithForbidden: false,
    })
    expect(project?.meta.icon).toBe('https://wu-clan.github.io/picx-images-hosting/logo/fba.png')
  })

  it("gives other users exactly their enabled roles' menus", async () => {
    const { status, data } = await sidebarOf(test)
    expect(status).toBe(200)
    const meta = (title: string, icon: string, hidden = false): SidebarMeta => ({
      title,
      icon,
      iframeSrc: '',
      link: '',
      keepAlive: 1,
      hideInMenu: hidden,
      menuVisibleWithForbidden: false,
    })
    const common = { perms: null, remark: null, created_time: anyDatetime(), updated_time: null }
    expect(data).toStrictEqual([
      {
        id: 1,
        name: 'Dashboard',
        path: '/dashboard',
        sort: 0,
        type: 0,
        component: null,
        parent_id: null,
        ...common,
        meta: meta('page.dashboard.title', 'ant-design:dashboard-outlined'),
        children: [
          {
            id: 2,
            name: 'Analytics',
            path: '/analytics',
            sort: 0,
            type: 1,
            component: '/dashboard/analytics/index',
            parent_id: 1,
            ...common,
            meta: meta('page.dashboard.analytics', 'lucide:area-chart'),
          },
          {
            id: 3,
            name: 'Workspace',
            path: '/workspace',
            sort: 1,
            type: 1,
            component: '/dashboard/workspace/index',
            parent_id: 1,
            ...common,
            meta: meta('page.dashboard.workspace', 'carbon:workspace'),
          },
        ],
      },
      {
        id: 50,
        name: 'Profile',
        path: '/profile',
        sort: 6,
        type: 1,
        component: '/_core/profile/index',
        parent_id: null,
        ...common,
        meta: meta('page.menu.profile', 'ant-design:profile-outlined', true),
      },
    ])
  })

  it('returns [] for a user without roles (docs/fba-compatibility.md, D8)', async () => {
    const db = fileDb()
    const [source] = await db.select().from(sysUser).where(eq(sysUser.username, 'test'))
    await db
      .insert(sysUser)
      .values({ username: 'loner', nickname: 'loner', password: source?.password ?? null, deptId: 1 })
    const loner = menusAs((await login('loner')).accessToken)
    const { status, data } = await sidebarOf(loner)
    expect(status).toBe(200)
    expect(data).toEqual([])
  })

  it('requires a signed-in user', async () => {
    const { status, body } = await failure(anonymous.sys.menus.sidebar.$get())
    expect(status).toBe(401)
    expect(body.code).toBe(401)
  })
})

describe('GET /sys/menus', () => {
  it('returns every menu as a tree of MenuDetail nodes, children null on leaves', async () => {
    const { status, data } = await menuTree({}, test)
    expect(status).toBe(200)
    expect(flatten(data)).toHaveLength(seeded.length)
    expect(seeded.length).toBeGreaterThanOrEqual(50) // the core seed's 50, plus any plugin menus
    expect(data.map((m) => m.id).filter((id) => id <= 50)).toEqual([1, 4, 32, 35, 42, 46, 50])
    const sysRole = flatten(data).find((m) => m.id === 11)
    expect(sysRole?.children?.map((m) => m.title)).toEqual(['新增', '修改', '修改角色菜单', '修改角色数据范围', '删除'])
    expect(sysRole?.children?.[0]).toStrictEqual({
      id: 12,
      title: '新增',
      name: 'AddSysRole',
      path: null,
      parent_id: 11,
      sort: 0,
      icon: null,
      type: 2,
      component: null,
      perms: 'sys:role:add',
      status: 1,
      display: 0,
      cache: 1,
      link: null,
      remark: null,
      created_time: anyDatetime(),
      updated_time: null,
      children: null,
    })
    // Leaves (no menu names them as parent) have `children: null`, never `[]`.
    const parents = new Set(seeded.map((m) => m.parentId))
    for (const node of flatten(data)) {
      if (parents.has(node.id)) expect(node.children?.length, String(node.id)).toBeGreaterThan(0)
      else expect(node.children, String(node.id)).toBeNull()
    }
  })

  it('filters by title (contains, wildcards literal) and status; orphaned matches become roots', async () => {
    const byTitle = await menuTree({ title: 'sysUser' })
    expect(byTitle.data.map((m) => [m.id, m.parent_id, m.children])).toEqual([[9, 4, null]])
    const dashboard = await menuTree({ title: 'dashboard' })
    expect(dashboard.data).toHaveLength(1)
    expect(dashboard.data[0]?.children?.map((m) => m.id)).toEqual([2, 3])
    expect((await menuTree({ title: '%' })).data).toEqual([])
    expect((await menuTree({ status: '0' })).data).toEqual([])
    expect(flatten((await menuTree({ status: '1', title: '' })).data)).toHaveLength(seeded.length)
  })

  it('validates the query', async () => {
    const { status, errors } = await failure(admin.sys.menus.$get({ query: { status: '2' } }))
    expect(status).toBe(422)
    expect(errors[0]?.loc).toEqual(['query', 'status'])
  })
})

describe('GET /sys/menus/{pk}', () => {
  it('returns a MenuDetail', async () => {
    const { status, data } = await answer(test.sys.menus[':pk'].$get(pk(49)))
    expect(status).toBe(200)
    expect(data).toStrictEqual({
      id: 49,
      title: 'Apifox',
      name: 'Apifox',
      path: '/fba/apifox',
      parent_id: 46,
      sort: 3,
      icon: 'simple-icons:apifox',
      type: 3,
      component: '/_core/fallback/iframe.vue',
      perms: null,
      status: 1,
      display: 1,
      cache: 1,
      link: 'https://apifox.com/apidoc/shared-28a93f02-730b-4f33-bb5e-4dad92058cc0',
      remark: null,
      created_time: anyDatetime(),
      updated_time: null,
    })
  })

  it('answers 404 for an unknown menu and 422 for a malformed id', async () => {
    const missing = await failure(admin.sys.menus[':pk'].$get(pk(9999)))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Menu not found')
    const zh = api<typeof menuRoutes>(tokens.admin, { headers: { 'Accept-Language': 'zh-CN' } })
    expect((await failure(zh.sys.menus[':pk'].$get(pk(9999)))).body.msg).toBe('菜单不存在')
    expect((await failure(admin.sys.menus[':pk'].$get(pk('abc')))).status).toBe(422)
  })
})

describe('POST /sys/menus', () => {
  it('creates a menu', async () => {
    const res = await answer(admin.sys.menus.$post({ json: menuBody() }))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ code: 200, msg: 'Request success', data: null })
    const row = await menuRow('Reports')
    expect(row).toMatchObject({
      name: 'Reports',
      path: '/reports',
      parentId: null,
      sort: 9,
      icon: 'mdi:chart',
      type: 0,
      status: 1,
      display: 1,
      cache: 1,
      remark: 'created by a test',
      updatedTime: null,
    })
    const child = await answer(
      admin.sys.menus.$post({
        json: {
          title: 'Monthly',
          name: 'Monthly',
          parent_id: row?.id,
          type: 1,
          component: '/reports/monthly/index',
          status: 1,
          display: 1,
          cache: 0,
        },
      }),
    )
    expect(child.status).toBe(200)
    expect(await menuRow('Monthly')).toMatchObject({ sort: 0, path: null, icon: null, perms: null, link: null })
  })

  it('refuses a title another non-button menu has (409), but not among buttons', async () => {
    const taken = await failure(admin.sys.menus.$post({ json: menuBody({ title: 'page.menu.sysUser', name: 'X' }) }))
    expect(taken.status).toBe(409)
    expect(taken.body.msg).toBe('Menu title already exists')
    const button = (title: string) => ({
      json: menuBody({ title, name: `Btn${title}`, type: 2, parent_id: 9, perms: 'sys:user:x', path: null }),
    })
    expect((await answer(admin.sys.menus.$post(button('新增')))).status).toBe(200)
    expect((await answer(admin.sys.menus.$post(button('page.menu.sysUser')))).status).toBe(200)
    // A button's title does not block a non-button menu either.
    expect((await answer(admin.sys.menus.$post({ json: menuBody({ title: '清空', name: 'Clear' }) }))).status).toBe(200)
  })

  it('answers 404 when the parent does not exist', async () => {
    const res = await failure(admin.sys.menus.$post({ json: menuBody({ title: 'Orphan', parent_id: 9999 }) }))
    expect(res.status).toBe(404)
    expect(res.body.msg).toBe('Parent menu not found')
    expect(await menuRow('Orphan')).toBeUndefined()
  })

  it('validates the body field by field', async () => {
    const cases: [Record<string, unknown>, (string | number)[], string][] = [
      [{ title: undefined }, ['body', 'title'], 'missing'],
      [{ title: '' }, ['body', 'title'], 'too_small'],
      [{ title: 'x'.repeat(65) }, ['body', 'title'], 'too_big'],
      [{ name: undefined }, ['body', 'name'], 'missing'],
      [{ type: undefined }, ['body', 'type'], 'missing'],
      [{ type: '1' }, ['body', 'type'], 'invalid_type'],
      [{ type: 5 }, ['body', 'type'], 'invalid_value'],
      [{ status: undefined }, ['body', 'status'], 'missing'],
      [{ status: 2 }, ['body', 'status'], 'invalid_value'],
      [{ display: '1' }, ['body', 'display'], 'invalid_type'],
      [{ cache: undefined }, ['body', 'cache'], 'missing'],
      [{ sort: -1 }, ['body', 'sort'], 'too_small'],
      [{ sort: 1.5 }, ['body', 'sort'], 'invalid_type'],
      [{ parent_id: 0 }, ['body', 'parent_id'], 'too_small'],
      [{ path: 'p'.repeat(201) }, ['body', 'path'], 'too_big'],
      [{ perms: 'p'.repeat(129) }, ['body', 'perms'], 'too_big'],
    ]
    for (const [override, loc, type] of cases) {
      const json = { ...menuBody({ title: 'Valid' }), ...override }
      const res = await failure(send('POST', '/api/v1/sys/menus', { token: tokens.admin, json }))
      expect(res.status, JSON.stringify(override)).toBe(422)
      expect(res.errors[0], JSON.stringify(override)).toMatchObject({ loc, type })
    }
  })

  it('requires sys:menu:add: 401 anonymous, 403 without the permission', async () => {
    expect((await failure(anonymous.sys.menus.$post({ json: menuBody({ title: 'Nope' }) }))).status).toBe(401)
    const denied = await failure(test.sys.menus.$post({ json: menuBody({ title: 'Nope' }) }))
    expect(denied.status).toBe(403)
    expect(await menuRow('Nope')).toBeUndefined()
  })
})

describe('PUT /sys/menus/{pk}', () => {
  it('replaces every field (optional fields left out become null) and sets updated_time', async () => {
    const row = await menuRow('Reports')
    const res = await answer(
      admin.sys.menus[':pk'].$put({
        ...pk(row?.id),
        json: { title: 'Reports', name: 'ReportsRenamed', type: 0, status: 0, display: 0, cache: 0 },
      }),
    )
    expect(res.status).toBe(200)
    const { data } = await answer(admin.sys.menus[':pk'].$get(pk(row?.id)))
    expect(data).toMatchObject({
      title: 'Reports',
      name: 'ReportsRenamed',
      path: null,
      icon: null,
      remark: null,
      sort: 0,
      status: 0,
      display: 0,
      cache: 0,
      updated_time: anyDatetime(),
    })
  })

  it('refuses a title another non-button menu has (409), keeps its own', async () => {
    const taken = await failure(
      admin.sys.menus[':pk'].$put({
        ...pk(2),
        json: menuBody({ title: 'page.dashboard.workspace', name: 'Analytics', type: 1, parent_id: 1 }),
      }),
    )
    expect(taken.status).toBe(409)
    const ownTitle = await answer(admin.sys.menus[':pk'].$put({ ...pk(3), json: WORKSPACE }))
    expect(ownTitle.status).toBe(200)
  })

  it('refuses itself or a descendant as parent (403) and a missing parent (404)', async () => {
    const dashboard = (parent_id: number) => ({
      ...pk(1),
      json: menuBody({ title: 'page.dashboard.title', name: 'Dashboard', path: '/dashboard', sort: 0, parent_id }),
    })
    const self = await failure(admin.sys.menus[':pk'].$put(dashboard(1)))
    expect(self.status).toBe(403)
    expect(self.body.msg).toBe('A menu cannot be its own parent')
    const descendant = await failure(admin.sys.menus[':pk'].$put(dashboard(3)))
    expect(descendant.status).toBe(403)
    expect(descendant.body.msg).toBe('A menu cannot be moved under one of its own sub-menus')
    const missing = await failure(admin.sys.menus[':pk'].$put(dashboard(9999)))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Parent menu not found')
    const [row] = await fileDb().select().from(sysMenu).where(eq(sysMenu.id, 1))
    expect(row?.parentId).toBeNull()
  })

  it('answers 404 for an unknown menu and checks sys:menu:edit', async () => {
    expect(
      (await failure(admin.sys.menus[':pk'].$put({ ...pk(9999), json: menuBody({ title: 'Ghost' }) }))).status,
    ).toBe(404)
    expect((await failure(anonymous.sys.menus[':pk'].$put({ ...pk(3), json: menuBody() }))).status).toBe(401)
    expect((await failure(test.sys.menus[':pk'].$put({ ...pk(3), json: menuBody() }))).status).toBe(403)
  })

  it("changes other users' sidebars on their next request", async () => {
    const before = await sidebarOf(test)
    expect(before.data[0]?.children?.[1]?.meta).toMatchObject({ hideInMenu: false, menuVisibleWithForbidden: false })
    const hidden = { ...WORKSPACE, display: 0, status: 0, cache: 0 }
    expect((await answer(admin.sys.menus[':pk'].$put({ ...pk(3), json: hidden }))).status).toBe(200)
    const after = await sidebarOf(test)
    // Disabled menus stay in the sidebar, flagged (vben shows them as forbidden).
    expect(after.data[0]?.children?.[1]?.meta).toMatchObject({
      keepAlive: 0,
      hideInMenu: true,
      menuVisibleWithForbidden: true,
    })
    expect((await answer(admin.sys.menus[':pk'].$put({ ...pk(3), json: WORKSPACE }))).status).toBe(200)
  })
})

describe('DELETE /sys/menus/{pk}', () => {
  it('refuses a menu with children (409)', async () => {
    const res = await failure(admin.sys.menus[':pk'].$delete(pk(4)))
    expect(res.status).toBe(409)
    expect(res.body.msg).toBe('The menu has sub-menus and cannot be deleted')
  })

  it('deletes a leaf and its role links in one go', async () => {
    const db = fileDb()
    const monthly = await menuRow('Monthly')
    const id = monthly?.id as number
    await db.insert(sysRoleMenu).values({ roleId: 1, menuId: id })
    const res = await answer(admin.sys.menus[':pk'].$delete(pk(id)))
    expect(res.status).toBe(200)
    expect(res.body.data).toBeNull()
    expect(await db.select().from(sysMenu).where(eq(sysMenu.id, id))).toEqual([])
    expect(await db.select().from(sysRoleMenu).where(eq(sysRoleMenu.menuId, id))).toEqual([])
    // The parent has no children left, so it can go now.
    expect((await answer(admin.sys.menus[':pk'].$delete(pk(monthly?.parentId)))).status).toBe(200)
  })

  it('answers 404 for an unknown menu and checks sys:menu:del', async () => {
    expect((await failure(admin.sys.menus[':pk'].$delete(pk(9999)))).status).toBe(404)
    expect((await failure(anonymous.sys.menus[':pk'].$delete(pk(50)))).status).toBe(401)
    expect((await failure(test.sys.menus[':pk'].$delete(pk(50)))).status).toBe(403)
    const links = await fileDb()
      .select()
      .from(sysRoleMenu)
      .where(and(eq(sysRoleMenu.roleId, 1), eq(sysRoleMenu.menuId, 50)))
    expect(links).toHaveLength(1)
  })

  it("adds and removes menus in other users' sidebars on their next request", async () => {
    const created = await answer(
      admin.sys.menus.$post({ json: menuBody({ title: 'Temp', name: 'Temp', type: 1, sort: 99 }) }),
    )
    expect(created.status).toBe(200)
    const id = (await menuRow('Temp'))?.id as number
    const roles = api<typeof roleRoutes>(tokens.admin)
    expect(
      (await answer(roles.sys.roles[':pk'].menus.$put({ ...pk(1), json: { menus: [1, 2, 3, 50, id] } }))).status,
    ).toBe(200)
    const linked = await sidebarOf(test)
    expect(linked.data.map((r) => r.id)).toEqual([1, 50, id])
    expect((await answer(admin.sys.menus[':pk'].$delete(pk(id)))).status).toBe(200)
    const unlinked = await sidebarOf(test)
    expect(flatten(unlinked.data).map((r) => r.id)).toEqual([1, 2, 3, 50])
    expect(await fileDb().select().from(sysRoleMenu).where(eq(sysRoleMenu.menuId, id))).toEqual([])
  })
})
