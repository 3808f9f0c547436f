/**
 * The `notice` plugin (docs/fba-compatibility.md, "Notice plugin"): shapes, paging and filters, validation, 404,
 * permissions, seed, gate.
 */

import { env } from 'cloudflare:workers'
import type { z } from '@hono/zod-openapi'
import { and, eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { sysMenu } from '../../src/domains/menus/schema'
import { sysRoleMenu } from '../../src/domains/roles/schema'
import { sysUser } from '../../src/domains/users/schema'
import type { NoticeBodySchema } from '../../src/plugins/notice/dto'
import type { noticeRoutes } from '../../src/plugins/notice/routes.v1'
import { sysNotice } from '../../src/plugins/notice/schema'
import { NOTICE_SEED } from '../../src/plugins/notice/seed'
import type { pluginAdminRoutes } from '../../src/plugins/routes'
import { pluginSources } from '../../src/plugins/sources'
import { login, seedAndSignIn } from '../helpers/auth'
import { fileDb } from '../helpers/database'
import { anyDatetime } from '../helpers/fixtures'
import { answer, api, failure, send } from '../helpers/harness'
import { fileRedis } from '../helpers/isolation'
import { openApiDocument } from '../http/openapi-document'
import { readZip } from './helpers'

const tokens = seedAndSignIn()

/** `/sys/notices`, signed in as `token` when given. */
const notices = (token?: string, headers?: Record<string, string>) =>
  api<typeof noticeRoutes>(token, { headers }).sys.notices
const byId = (pk: number | string, token = tokens.admin) => notices(token)[':pk'].$get({ param: { pk: String(pk) } })

const page = async (query: Record<string, string> = {}) => {
  const { status, body, data } = await answer(notices(tokens.admin).$get({ query }))
  expect(status, JSON.stringify(body)).toBe(200)
  return data
}

async function create(title: string, extra: Partial<z.input<typeof NoticeBodySchema>> = {}): Promise<number> {
  const { status, body } = await answer(
    notices(tokens.admin).$post({ json: { title, type: 0, status: 1, content: 'text', ...extra } }),
  )
  expect(status, JSON.stringify(body)).toBe(200)
  expect(body.data).toBeNull()
  const [row] = await fileDb().select().from(sysNotice).where(eq(sysNotice.title, title))
  return row?.id ?? -1
}

describe('seed', () => {
  it('adds the sample notice, the menu under System and its three buttons', async () => {
    const { status, data } = await answer(byId(1))
    expect(status).toBe(200)
    expect(data).toEqual({
      id: 1,
      title: 'hahahahahaahahaha',
      type: 0,
      status: 1,
      content: NOTICE_SEED[0]?.content,
      created_time: anyDatetime(),
      updated_time: null,
    })
    expect(data.content).toContain("print('fba yyds')\n```")

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
    const data = await page({ title: 'paging', size: '1' })
    expect(data).toMatchObject({ total: 2, page: 1, size: 1, total_pages: 2 })
    expect(data.items.map((n) => n.id)).toEqual([newer])
    expect(data.links).toEqual({
      first: '/api/v1/sys/notices?title=paging&page=1&size=1',
      last: '/api/v1/sys/notices?title=paging&page=2&size=1',
      self: '/api/v1/sys/notices?title=paging&page=1&size=1',
      next: '/api/v1/sys/notices?title=paging&page=2&size=1',
      prev: null,
    })
    expect((await page({ title: 'paging', size: '1', page: '2' })).items.map((n) => n.id)).toEqual([older])
  })

  it('filters by title (contains, wildcards literal), type and status; blank filters are ignored', async () => {
    await create('filter a_notice', { type: 0, status: 1 })
    await create('filter announcement', { type: 1, status: 0 })
    expect((await page({ title: 'filter' })).total).toBe(2)
    expect((await page({ title: 'filter', type: '1' })).items.map((n) => n.title)).toEqual(['filter announcement'])
    expect((await page({ title: 'filter', status: '1' })).items.map((n) => n.title)).toEqual(['filter a_notice'])
    expect((await page({ title: 'a_n' })).items.map((n) => n.title)).toEqual(['filter a_notice'])
    expect((await page({ title: 'filter', type: '', status: '' })).total).toBe(2)
    expect((await notices(tokens.admin).$get({ query: { type: '2' } })).status).toBe(422)
    expect((await notices(tokens.admin).$get({ query: { size: '201' } })).status).toBe(422)
  })
})

describe('GET /sys/notices/{pk}', () => {
  it('answers 404 for a missing notice and 422 for a bad id', async () => {
    const missing = await failure(byId(999999))
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ code: 404, msg: 'Notice not found', data: null })
    const zh = await failure(
      notices(tokens.admin, { 'Accept-Language': 'zh-CN' })[':pk'].$get({ param: { pk: '999999' } }),
    )
    expect(zh.body.msg).toBe('通知公告不存在')
    expect((await byId('abc')).status).toBe(422)
  })
})

describe('POST /sys/notices', () => {
  it('creates a notice', async () => {
    const id = await create('created', { type: 1, status: 0, content: '# Hello' })
    const { data } = await answer(byId(id))
    expect(data).toEqual({
      id,
      title: 'created',
      type: 1,
      status: 0,
      content: '# Hello',
      created_time: anyDatetime(),
      updated_time: null,
    })
  })

  it('validates the body', async () => {
    const bad = async (body: unknown) => {
      const { status, errors } = await failure(send('POST', '/api/v1/sys/notices', { token: tokens.admin, json: body }))
      expect(status, JSON.stringify(body)).toBe(422)
      return errors.map((e) => e.loc.join('.'))
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
    const update = (pk: number | string, json: z.input<typeof NoticeBodySchema>) =>
      notices(tokens.admin)[':pk'].$put({ param: { pk: String(pk) }, json })
    const updated = await update(id, { title: 'updated', type: 1, status: 0, content: 'new' })
    expect(updated.status).toBe(200)
    const { data } = await answer(byId(id))
    expect(data).toMatchObject({ title: 'updated', type: 1, status: 0, content: 'new', updated_time: anyDatetime() })

    const missing = await failure(update(999999, { title: 'x', type: 0, status: 1, content: 'c' }))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Notice not found')
    expect((await send('PUT', `/api/v1/sys/notices/${id}`, { token: tokens.admin, json: { title: 'x' } })).status).toBe(
      422,
    )
  })
})

describe('DELETE /sys/notices', () => {
  it('deletes the listed notices; ids already gone are ignored', async () => {
    const a = await create('delete a')
    const b = await create('delete b')
    const keep = await create('delete keep')
    const { status, body } = await answer(notices(tokens.admin).$delete({ json: { pks: [a, b, a, 999999] } }))
    expect(status).toBe(200)
    expect(body.data).toBeNull()
    expect((await page({ title: 'delete' })).items.map((n) => n.id)).toEqual([keep])
  })

  it('validates the body', async () => {
    expect((await notices(tokens.admin).$delete({ json: { pks: [] } })).status).toBe(422)
    expect((await send('DELETE', '/api/v1/sys/notices', { token: tokens.admin, json: [1] })).status).toBe(422)
    expect((await send('DELETE', '/api/v1/sys/notices', { token: tokens.admin, json: { pks: ['x'] } })).status).toBe(
      422,
    )
  })
})

describe('permissions', () => {
  const body = (title: string) => ({ title, type: 0, status: 1, content: 'c' })

  it('needs a token for everything', async () => {
    const anonymous = notices()
    expect((await anonymous.$get({ query: {} })).status).toBe(401)
    expect((await anonymous[':pk'].$get({ param: { pk: '1' } })).status).toBe(401)
    expect((await anonymous.$post({ json: body('x') })).status).toBe(401)
    expect((await anonymous[':pk'].$put({ param: { pk: '1' }, json: body('x') })).status).toBe(401)
    expect((await anonymous.$delete({ json: { pks: [1] } })).status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    expect((await notices(tokens.test).$get({ query: {} })).status).toBe(200)
    expect((await byId(1, tokens.test)).status).toBe(200)
    for (const [label, request] of [
      ['POST /sys/notices', () => notices(tokens.test).$post({ json: body('by test') })],
      ['PUT /sys/notices/1', () => notices(tokens.test)[':pk'].$put({ param: { pk: '1' }, json: body('by test') })],
      ['DELETE /sys/notices', () => notices(tokens.test).$delete({ json: { pks: [1] } })],
    ] as const) {
      expect((await request()).status, label).toBe(403)
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
      const staff = notices((await login('test')).accessToken)
      expect((await staff.$post({ json: body('by staff') })).status).toBe(200)
      const [row] = await db.select().from(sysNotice).where(eq(sysNotice.title, 'by staff'))
      expect((await staff[':pk'].$put({ param: { pk: `${row?.id}` }, json: body('by staff 2') })).status).toBe(200)
      expect((await staff.$delete({ json: { pks: [Number(row?.id)] } })).status).toBe(403) // no del button
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
    const toggle = () =>
      api<typeof pluginAdminRoutes>(tokens.admin).sys.plugins[':plugin'].status.$put({ param: { plugin: 'notice' } })
    expect((await toggle()).status).toBe(200)
    try {
      // The gate answers before validation: the bodies are left empty on purpose.
      for (const [method, path] of [
        ['GET', '/sys/notices'],
        ['GET', '/sys/notices/1'],
        ['POST', '/sys/notices'],
        ['PUT', '/sys/notices/1'],
        ['DELETE', '/sys/notices'],
      ] as const) {
        const json = method === 'GET' ? {} : { json: {} }
        const { status, body } = await failure(send(method, `/api/v1${path}`, { token: tokens.admin, ...json }))
        expect(status, `${method} ${path}`).toBe(403)
        expect(body.data).toEqual({ plugin: 'notice' })
      }
    } finally {
      expect((await toggle()).status).toBe(200)
    }
    expect((await notices(tokens.admin).$get({ query: {} })).status).toBe(200)
  })
})

describe('as a plugin', () => {
  it('is listed by GET /sys/plugins as an extend plugin with its routes', async () => {
    const { data } = await answer(api<typeof pluginAdminRoutes>(tokens.admin).sys.plugins.$get())
    const notice = data.find((p) => p.plugin.name === 'notice')
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
    const res = await api<typeof pluginAdminRoutes>(tokens.admin).sys.plugins[':plugin'].$get({
      param: { plugin: 'notice' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/x-zip-compressed')
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename=notice.zip')
    const files = readZip(new Uint8Array(await res.arrayBuffer()))
    const names = files.map((f) => f.name)
    const sources = await pluginSources(env.ASSETS, 'notice')
    expect(names[0]).toBe('notice/plugin.json')
    expect(names.slice(1)).toEqual(Object.keys(sources).map((path) => `notice/${path}`))
    expect(names).toEqual(
      expect.arrayContaining(['notice/README.md', 'notice/index.ts', 'notice/schema.ts', 'notice/routes.v1.ts']),
    )
    const text = (name: string) => new TextDecoder().decode(files.find((f) => f.name === name)?.data)
    expect(JSON.parse(text('notice/plugin.json'))).toMatchObject({ plugin: { name: 'notice', enable: '1' } })
    expect(text('notice/README.md')).toBe(sources['README.md'])
    expect(text('notice/index.ts')).toContain("name: 'notice'")
  })

  it('documents its routes in the v1 OpenAPI document', async () => {
    const doc = await openApiDocument('v1')
    expect(doc.paths['/sys/notices']?.post?.['x-access']).toBe('sys:notice:add')
    expect(doc.paths['/sys/notices/{pk}']?.put?.['x-access']).toBe('sys:notice:edit')
    expect(doc.paths['/sys/notices']?.delete?.['x-access']).toBe('sys:notice:del')
    expect(doc.paths['/sys/notices']?.get?.['x-access']).toBe('authenticated')
  })
})
