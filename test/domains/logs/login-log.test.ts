/** `/logs/login` (contract §2.10): paged list with filters, delete by ids, clear — with their permissions. */
import { eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysLoginLog } from '../../../src/domains/logs/schema'
import { sysMenu } from '../../../src/domains/menus/schema'
import { sysRole, sysRoleMenu } from '../../../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../../../src/domains/users/schema'
import { call, callJson, jsonInit } from '../../helpers/app'
import { authed, login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'

const LOG_KEYS = [
  'id',
  'user_uuid',
  'username',
  'status',
  'ip',
  'country',
  'region',
  'city',
  'user_agent',
  'browser',
  'os',
  'device',
  'msg',
  'login_time',
  'created_time',
].sort()
const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/

interface LogPage {
  items: Record<string, unknown>[]
  total: number
  page: number
  size: number
  total_pages: number
  links: Record<string, string | null>
}

let adminToken: string

beforeAll(async () => {
  await seedFileDatabase()
  adminToken = (await login('admin')).accessToken
})

async function attempt(username: string, password: string, ip: string) {
  return callJson(
    '/api/v1/auth/login',
    jsonInit(
      'POST',
      { username, password },
      {
        'CF-Connecting-IP': ip,
        'User-Agent':
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      },
    ),
  )
}

async function list(query: string, token = adminToken) {
  const res = await authed(`/api/v1/logs/login${query}`, token)
  const body = (await res.json()) as { code: number; data: LogPage; msg: string }
  return { res, body }
}

const del = (body: unknown, token = adminToken) => authed('/api/v1/logs/login', token, jsonInit('DELETE', body))
const clear = (token = adminToken) => authed('/api/v1/logs/login/all', token, { method: 'DELETE' })

/** A staff user (password `123456`, like the seeded ones) whose role holds exactly these permission codes. */
async function staffWith(...codes: string[]) {
  const db = fileDb()
  const name = `logger${crypto.randomUUID().slice(0, 8)}`
  const [seeded] = await db.select({ password: sysUser.password }).from(sysUser).where(eq(sysUser.username, 'test'))
  const [role] = await db.insert(sysRole).values({ name }).returning()
  const menus = await db.select({ id: sysMenu.id }).from(sysMenu).where(inArray(sysMenu.perms, codes))
  expect(menus).toHaveLength(codes.length)
  await db.insert(sysRoleMenu).values(menus.map((m) => ({ roleId: role!.id, menuId: m.id })))
  const [user] = await db
    .insert(sysUser)
    .values({ username: name, nickname: name, password: seeded!.password, isStaff: true, deptId: 1 })
    .returning()
  await db.insert(sysUserRole).values({ userId: user!.id, roleId: role!.id })
  return (await login(name)).accessToken
}

describe('GET /logs/login', () => {
  it('lists every field, newest first, with datetimes in the contract format', async () => {
    await attempt('loglist', 'nope-1', '198.51.100.1')
    await attempt('loglist', 'nope-2', '198.51.100.2')
    const { res, body } = await list('?username=loglist')
    expect(res.status).toBe(200)
    expect(body.code).toBe(200)
    expect(body.data.total).toBe(2)
    const [newest, oldest] = body.data.items
    expect(Object.keys(newest!).sort()).toEqual(LOG_KEYS)
    expect(newest).toMatchObject({
      username: 'loglist',
      status: 0,
      ip: '198.51.100.2',
      browser: 'Chrome 120',
      os: 'Windows 10',
      device: 'PC',
      msg: 'Incorrect username or password',
    })
    expect(newest!.user_uuid).toMatch(/^[0-9a-f-]{36}$/)
    expect(newest!.login_time).toMatch(DATETIME)
    expect(newest!.created_time).toMatch(DATETIME)
    expect(oldest).toMatchObject({ ip: '198.51.100.1' })
    expect((newest!.id as number) > (oldest!.id as number)).toBe(true)
  })

  it('filters by username (contains), status and ip (contains); pages with links', async () => {
    await attempt('filterme', 'bad-1', '203.0.113.10')
    await attempt('filterme', 'bad-2', '203.0.113.11')
    await attempt('test', '123456', '203.0.113.12')
    const success = await list('?username=test&status=1&ip=203.0.113.12')
    expect(success.body.data.items).toHaveLength(1)
    expect(success.body.data.items[0]).toMatchObject({ username: 'test', status: 1, msg: 'Login success' })
    const failures = await list('?username=filter&status=0')
    expect(failures.body.data.total).toBe(2)
    const byIp = await list('?ip=203.0.113.1')
    expect(byIp.body.data.total).toBe(3)
    const paged = await list('?ip=203.0.113.1&size=2&page=2')
    expect(paged.body.data).toMatchObject({ total: 3, page: 2, size: 2, total_pages: 2 })
    expect(paged.body.data.items).toHaveLength(1)
    expect(paged.body.data.links).toEqual({
      first: '/api/v1/logs/login?ip=203.0.113.1&page=1&size=2',
      last: '/api/v1/logs/login?ip=203.0.113.1&page=2&size=2',
      self: '/api/v1/logs/login?ip=203.0.113.1&page=2&size=2',
      next: null,
      prev: '/api/v1/logs/login?ip=203.0.113.1&page=1&size=2',
    })
  })

  it('is open to any signed-in user; 401 without a token; validates the query', async () => {
    const test = await login('test')
    expect((await list('', test.accessToken)).res.status).toBe(200)
    expect((await call('/api/v1/logs/login')).status).toBe(401)
    const bad = await list('?status=5')
    expect(bad.res.status).toBe(422)
    expect((bad.body.data as unknown as { errors: { loc: string[] }[] }).errors[0]?.loc).toEqual(['query', 'status'])
  })
})

describe('DELETE /logs/login', () => {
  it('deletes the given ids (ids already gone are fine)', async () => {
    await attempt('deleteme', 'x-1', '192.0.2.1')
    await attempt('deleteme', 'x-2', '192.0.2.2')
    const ids = (await list('?username=deleteme')).body.data.items.map((r) => r.id as number)
    const res = await del({ pks: [ids[0], 999_999] })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ code: 200, data: null })
    const left = await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.username, 'deleteme'))
    expect(left.map((r) => r.id)).toEqual([ids[1]])
  })

  it('needs log:login:del: 403 for the test user and a staff user without it; 200 with it', async () => {
    await attempt('keepme', 'x', '192.0.2.3')
    const [row] = await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.username, 'keepme'))
    const test = await login('test')
    expect((await del({ pks: [row!.id] }, test.accessToken)).status).toBe(403)
    const clearer = await staffWith('log:login:clear')
    const denied = await del({ pks: [row!.id] }, clearer)
    expect(denied.status).toBe(403)
    expect(((await denied.json()) as { msg: string }).msg).toBe('Permission denied')
    expect(await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.id, row!.id))).toHaveLength(1)
    const deleter = await staffWith('log:login:del')
    expect((await del({ pks: [row!.id] }, deleter)).status).toBe(200)
    expect(await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.id, row!.id))).toHaveLength(0)
  })

  it('validates the body and needs a token', async () => {
    for (const body of [{}, { pks: [] }, { pks: ['a'] }, { pks: [0] }]) {
      const res = await del(body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      const errors = ((await res.json()) as { data: { errors: { loc: (string | number)[] }[] } }).data.errors
      expect(errors[0]?.loc.slice(0, 2)).toEqual(['body', 'pks'])
    }
    expect((await call('/api/v1/logs/login', jsonInit('DELETE', { pks: [1] }))).status).toBe(401)
  })
})

describe('DELETE /logs/login/all', () => {
  it('needs log:login:clear (403 otherwise) and empties the table', async () => {
    await attempt('clearme', 'x', '192.0.2.9')
    const test = await login('test')
    expect((await clear(test.accessToken)).status).toBe(403)
    const deleter = await staffWith('log:login:del')
    expect((await clear(deleter)).status).toBe(403)
    expect((await call('/api/v1/logs/login/all', { method: 'DELETE' })).status).toBe(401)
    expect((await fileDb().select().from(sysLoginLog)).length).toBeGreaterThan(0)

    const clearer = await staffWith('log:login:clear')
    const res = await clear(clearer)
    expect(res.status).toBe(200)
    expect(await fileDb().select().from(sysLoginLog)).toEqual([])
    // Clearing an empty table is still a success.
    expect((await clear()).status).toBe(200)
    const after = await list('')
    expect(after.body.data).toMatchObject({ items: [], total: 0, total_pages: 0 })
    expect(after.body.data.links.last).toBe('/api/v1/logs/login?page=1&size=20')
  })
})
