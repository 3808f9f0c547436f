/** The `notice` plugin (contract §2.15): shapes, paging and filters, validation, 404, permissions, seed, gate. */
import { and, eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysMenu } from '../../src/domains/menus/schema'
import { sysRoleMenu } from '../../src/domains/roles/schema'
import { sysUser } from '../../src/domains/users/schema'
import { sysNotice } from '../../src/plugins/notice/schema'
import { NOTICE_SEED } from '../../src/plugins/notice/seed'
import { pluginSources } from '../../src/plugins/sources'
import { login } from '../helpers/auth'
import { fileDb, seedFileDatabase } from '../helpers/database'
import { appWith, callerOf, fileRedis, readZip } from './helpers'

beforeAll(seedFileDatabase)

const { call, json } = callerOf(appWith())

const DATETIME = expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)

interface Notice {
  id: number
  title: string
  type: number
  status: number
  content: string
  created_time: string
  updated_time: string | null
}

interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
  total_pages: number
  links: Record<string, string | null>
}

let admin = ''
let user = ''
beforeAll(async () => {
  admin = (await login('admin')).accessToken
  user = (await login('test')).accessToken
})

const send = (method: string, path: string, body: unknown, token: string | undefined = admin) =>
  json(`/api/v1${path}`, method === 'GET' ? { method } : { method, body: JSON.stringify(body) }, token)

const page = async (query = '') => {
  const { res, body } = await json(`/api/v1/sys/notices${query}`, {}, admin)
  expect(res.status, JSON.stringify(body)).toBe(200)
  return body.data as Page<Notice>
}

async function create(title: string, extra: Partial<Notice> = {}): Promise<number> {
  const { res, body } = await send('POST', '/sys/notices', { title, type: 0, status: 1, content: 'text', ...extra })
  expect(res.status, JSON.stringify(body)).toBe(200)
  expect(body.data).toBeNull()
  const [row] = await fileDb().select().from(sysNotice).where(eq(sysNotice.title, title))
  return row?.id ?? -1
}

describe('seed', () => {
  it('adds the sample notice, the menu under System and its three buttons', async () => {
    const { res, body } = await json('/api/v1/sys/notices/1', {}, admin)
    expect(res.status).toBe(200)
    expect(body.data).toEqual({
      id: 1,
      title: 'hahahahahaahahaha',
      type: 0,
      status: 1,
      content: NOTICE_SEED[0]?.content,
      created_time: DATETIME,
      updated_time: null,
    })
    expect((body.data as Notice).content).toContain("print('fba yyds')\n```")

    const menus = await fileDb()
      .select()
      .from(sysMenu)
      .where(inArray(sysMenu.name, ['System', 'PluginNotice', 'AddNotice', 'EditNotice', 'DeleteNotice']))
    const byName = new Map(menus.map((m) => [m.name, m]))
    expect(byName.get('PluginNotice')).toMatchObject({
      title: 'notice.menu',
      parentId: byName.get('System')?.id,
      type: 1,
      path: '/plugins/notice',
      component: '/plugins/notice/views/index',
      icon: 'fe:notice-push',
      sort: 9,
      display: 1,
      status: 1,
    })
    const menuId = byName.get('PluginNotice')?.id
    for (const [name, perms] of [
      ['AddNotice', 'sys:notice:add'],
      ['EditNotice', 'sys:notice:edit'],
      ['DeleteNotice', 'sys:notice:del'],
    ]) {
      expect(byName.get(name as string)).toMatchObject({ parentId: menuId, type: 2, perms, display: 0 })
    }
  })
})

describe('GET /sys/notices', () => {
  it('pages newest first with fba’s page object', async () => {
    const older = await create('paging older')
    // created_time has millisecond resolution; make the order unambiguous.
    await fileDb()
      .update(sysNotice)
      .set({ createdTime: new Date(Date.now() - 60_000) })
      .where(eq(sysNotice.id, older))
    const newer = await create('paging newer')
    const data = await page('?title=paging&size=1')
    expect(data).toMatchObject({ total: 2, page: 1, size: 1, total_pages: 2 })
    expect(data.items.map((n) => n.id)).toEqual([newer])
    expect(data.links).toEqual({
      first: '/api/v1/sys/notices?title=paging&page=1&size=1',
      last: '/api/v1/sys/notices?title=paging&page=2&size=1',
      self: '/api/v1/sys/notices?title=paging&page=1&size=1',
      next: '/api/v1/sys/notices?title=paging&page=2&size=1',
      prev: null,
    })
    expect((await page('?title=paging&size=1&page=2')).items.map((n) => n.id)).toEqual([older])
  })

  it('filters by title (contains, wildcards literal), type and status; blank filters are ignored', async () => {
    await create('filter a_notice', { type: 0, status: 1 })
    await create('filter announcement', { type: 1, status: 0 })
    expect((await page('?title=filter')).total).toBe(2)
    expect((await page('?title=filter&type=1')).items.map((n) => n.title)).toEqual(['filter announcement'])
    expect((await page('?title=filter&status=1')).items.map((n) => n.title)).toEqual(['filter a_notice'])
    expect((await page('?title=a_n')).items.map((n) => n.title)).toEqual(['filter a_notice'])
    expect((await page('?title=filter&type=&status=')).total).toBe(2)
    expect((await json('/api/v1/sys/notices?type=2', {}, admin)).res.status).toBe(422)
    expect((await json('/api/v1/sys/notices?size=201', {}, admin)).res.status).toBe(422)
  })
})

describe('GET /sys/notices/{pk}', () => {
  it('answers 404 for a missing notice and 422 for a bad id', async () => {
    const missing = await json('/api/v1/sys/notices/999999', {}, admin)
    expect(missing.res.status).toBe(404)
    expect(missing.body).toMatchObject({ code: 404, msg: 'Notice not found', data: null })
    const zh = await json('/api/v1/sys/notices/999999', { headers: { 'Accept-Language': 'zh-CN' } }, admin)
    expect(zh.body.msg).toBe('通知公告不存在')
    expect((await json('/api/v1/sys/notices/abc', {}, admin)).res.status).toBe(422)
  })
})

describe('POST /sys/notices', () => {
  it('creates a notice', async () => {
    const id = await create('created', { type: 1, status: 0, content: '# Hello' })
    const { body } = await json(`/api/v1/sys/notices/${id}`, {}, admin)
    expect(body.data).toEqual({
      id,
      title: 'created',
      type: 1,
      status: 0,
      content: '# Hello',
      created_time: DATETIME,
      updated_time: null,
    })
  })

  it('validates the body', async () => {
    const bad = async (body: unknown) => {
      const { res, body: answer } = await send('POST', '/sys/notices', body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      return (answer.data as { errors: { loc: (string | number)[] }[] }).errors.map((e) => e.loc.join('.'))
    }
    expect(await bad({})).toEqual(expect.arrayContaining(['body.title', 'body.type', 'body.status', 'body.content']))
    expect(await bad({ title: 'x', type: 2, status: 1, content: 'c' })).toEqual(['body.type'])
    expect(await bad({ title: 'x', type: 0, status: 3, content: 'c' })).toEqual(['body.status'])
    expect(await bad({ title: 'x'.repeat(65), type: 0, status: 1, content: 'c' })).toEqual(['body.title'])
    expect(await bad({ title: '  ', type: 0, status: 1, content: 'c' })).toEqual(['body.title'])
    expect(await bad({ title: 'x', type: '0', status: 1, content: 'c' })).toEqual(['body.type'])
  })
})

describe('PUT /sys/notices/{pk}', () => {
  it('replaces the fields and stamps updated_time; 404 when missing', async () => {
    const id = await create('to update')
    const updated = await send('PUT', `/sys/notices/${id}`, { title: 'updated', type: 1, status: 0, content: 'new' })
    expect(updated.res.status).toBe(200)
    const { body } = await json(`/api/v1/sys/notices/${id}`, {}, admin)
    expect(body.data).toMatchObject({ title: 'updated', type: 1, status: 0, content: 'new', updated_time: DATETIME })

    const missing = await send('PUT', '/sys/notices/999999', { title: 'x', type: 0, status: 1, content: 'c' })
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Notice not found')
    expect((await send('PUT', `/sys/notices/${id}`, { title: 'x' })).res.status).toBe(422)
  })
})

describe('DELETE /sys/notices', () => {
  it('deletes the listed notices; ids already gone are ignored', async () => {
    const a = await create('delete a')
    const b = await create('delete b')
    const keep = await create('delete keep')
    const { res, body } = await send('DELETE', '/sys/notices', { pks: [a, b, a, 999999] })
    expect(res.status).toBe(200)
    expect(body.data).toBeNull()
    expect((await page('?title=delete')).items.map((n) => n.id)).toEqual([keep])
  })

  it('validates the body', async () => {
    expect((await send('DELETE', '/sys/notices', { pks: [] })).res.status).toBe(422)
    expect((await send('DELETE', '/sys/notices', [1])).res.status).toBe(422)
    expect((await send('DELETE', '/sys/notices', { pks: ['x'] })).res.status).toBe(422)
  })
})

describe('permissions', () => {
  it('needs a token for everything', async () => {
    expect((await call('/api/v1/sys/notices')).status).toBe(401)
    expect((await call('/api/v1/sys/notices/1')).status).toBe(401)
    expect((await send('POST', '/sys/notices', { title: 'x', type: 0, status: 1, content: 'c' }, '')).res.status).toBe(
      401,
    )
    expect((await send('PUT', '/sys/notices/1', { title: 'x', type: 0, status: 1, content: 'c' }, '')).res.status).toBe(
      401,
    )
    expect((await send('DELETE', '/sys/notices', { pks: [1] }, '')).res.status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    expect((await json('/api/v1/sys/notices', {}, user)).res.status).toBe(200)
    expect((await json('/api/v1/sys/notices/1', {}, user)).res.status).toBe(200)
    const body = { title: 'by test', type: 0, status: 1, content: 'c' }
    for (const [method, path, payload] of [
      ['POST', '/sys/notices', body],
      ['PUT', '/sys/notices/1', body],
      ['DELETE', '/sys/notices', { pks: [1] }],
    ] as const) {
      const { res } = await send(method, path, payload, user)
      expect(res.status, `${method} ${path}`).toBe(403)
    }
  })

  it('lets a staff user whose role holds the notice buttons write', async () => {
    const db = fileDb()
    const buttons = await db
      .select({ id: sysMenu.id })
      .from(sysMenu)
      .where(inArray(sysMenu.name, ['AddNotice', 'EditNotice']))
    await db.insert(sysRoleMenu).values(buttons.map((b) => ({ roleId: 1, menuId: b.id })))
    await db.update(sysUser).set({ isStaff: true }).where(eq(sysUser.username, 'test'))
    await fileRedis().incr('stratum:authz:generation')
    try {
      const token = (await login('test')).accessToken
      const body = { title: 'by staff', type: 0, status: 1, content: 'c' }
      expect((await send('POST', '/sys/notices', body, token)).res.status).toBe(200)
      const [row] = await db.select().from(sysNotice).where(eq(sysNotice.title, 'by staff'))
      expect((await send('PUT', `/sys/notices/${row?.id}`, { ...body, title: 'by staff 2' }, token)).res.status).toBe(
        200,
      )
      expect((await send('DELETE', '/sys/notices', { pks: [row?.id] }, token)).res.status).toBe(403) // no del button
    } finally {
      await db.delete(sysRoleMenu).where(
        and(
          eq(sysRoleMenu.roleId, 1),
          inArray(
            sysRoleMenu.menuId,
            buttons.map((b) => b.id),
          ),
        ),
      )
      await db.update(sysUser).set({ isStaff: false }).where(eq(sysUser.username, 'test'))
      await fileRedis().incr('stratum:authz:generation')
    }
  })
})

describe('while the plugin is disabled', () => {
  it('answers 403 on every notice route, and serves again once re-enabled', async () => {
    const toggle = () => json('/api/v1/sys/plugins/notice/status', { method: 'PUT' }, admin)
    expect((await toggle()).res.status).toBe(200)
    try {
      for (const [method, path] of [
        ['GET', '/sys/notices'],
        ['GET', '/sys/notices/1'],
        ['POST', '/sys/notices'],
        ['PUT', '/sys/notices/1'],
        ['DELETE', '/sys/notices'],
      ] as const) {
        const { res, body } = await send(method, path, {}, admin)
        expect(res.status, `${method} ${path}`).toBe(403)
        expect(body.data).toEqual({ plugin: 'notice' })
      }
    } finally {
      expect((await toggle()).res.status).toBe(200)
    }
    expect((await json('/api/v1/sys/notices', {}, admin)).res.status).toBe(200)
  })
})

describe('as a plugin', () => {
  it('is listed by GET /sys/plugins as an extend plugin with its routes', async () => {
    const { body } = await json('/api/v1/sys/plugins', {}, admin)
    const notice = (body.data as { plugin: { name: string } }[]).find((p) => p.plugin.name === 'notice')
    expect(notice).toEqual({
      plugin: {
        name: 'notice',
        summary: 'Notices',
        version: '0.0.2',
        description: 'System notices and announcements, published from the admin UI.',
        author: 'Stratum',
        tags: ['notification'],
        depends_on: [],
        required: false,
        enable: '1',
      },
      app: { extend: 'admin' },
      api: { v1: { prefix: '/sys/notices', tags: 'System notices' } },
    })
  })

  it('downloads as a ZIP of its manifest, README and sources as built', async () => {
    const res = await call('/api/v1/sys/plugins/notice', { headers: { Authorization: `Bearer ${admin}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/x-zip-compressed')
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename=notice.zip')
    const files = readZip(new Uint8Array(await res.arrayBuffer()))
    const names = files.map((f) => f.name)
    expect(names[0]).toBe('notice/plugin.json')
    expect(names.slice(1)).toEqual(Object.keys(pluginSources('notice')).map((path) => `notice/${path}`))
    expect(names).toEqual(
      expect.arrayContaining(['notice/README.md', 'notice/index.ts', 'notice/schema.ts', 'notice/routes.v1.ts']),
    )
    const text = (name: string) => new TextDecoder().decode(files.find((f) => f.name === name)?.data)
    expect(JSON.parse(text('notice/plugin.json'))).toMatchObject({ plugin: { name: 'notice', enable: '1' } })
    expect(text('notice/README.md')).toBe(pluginSources('notice')['README.md'])
    expect(text('notice/index.ts')).toContain("name: 'notice'")
  })

  it('documents its routes in the v1 OpenAPI document', async () => {
    const doc = (await (await call('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { 'x-access'?: string }>>
    }
    expect(doc.paths['/sys/notices']?.post?.['x-access']).toBe('sys:notice:add')
    expect(doc.paths['/sys/notices/{pk}']?.put?.['x-access']).toBe('sys:notice:edit')
    expect(doc.paths['/sys/notices']?.delete?.['x-access']).toBe('sys:notice:del')
    expect(doc.paths['/sys/notices']?.get?.['x-access']).toBe('authenticated')
  })
})
