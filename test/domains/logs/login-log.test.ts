/**
 * `/logs/login` (docs/fba-compatibility.md, "Logs"): paged list with filters, delete by ids, clear — with their
 * permissions.
 */
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { logRoutes } from '../../../src/domains/logs/routes.v1'
import { sysLoginLog } from '../../../src/domains/logs/schema'
import { login, seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { DATETIME } from '../../helpers/fixtures'
import { answer, api, failure, send } from '../../helpers/harness'
import { signedInWith } from '../../helpers/permissions'
import { attemptLogin } from '../auth/helpers'

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

const CHROME_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'

const tokens = seedAndSignIn(['admin'])

const attempt = (username: string, password: string, ip: string) =>
  attemptLogin(username, password, { headers: { 'CF-Connecting-IP': ip, 'User-Agent': CHROME_ON_WINDOWS } })

const logs = (token?: string) => api<typeof logRoutes>(token).logs.login
type ListQuery = Parameters<ReturnType<typeof logs>['$get']>[0]['query']

const list = (query: ListQuery = {}, token = tokens.admin) => logs(token).$get({ query })
const del = (pks: number[], token = tokens.admin) => logs(token).$delete({ json: { pks } })
const clear = (token = tokens.admin) => logs(token).all.$delete()

describe('GET /logs/login', () => {
  it("lists every field, newest first, with datetimes in fba's format", async () => {
    await attempt('loglist', 'nope-1', '198.51.100.1')
    await attempt('loglist', 'nope-2', '198.51.100.2')
    const { status, body, data } = await answer(list({ username: 'loglist' }))
    expect(status).toBe(200)
    expect(body.code).toBe(200)
    expect(data.total).toBe(2)
    const [newest, oldest] = data.items
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
    expect(newest!.id > oldest!.id).toBe(true)
  })

  it('records a loopback or private client as local, whatever location the platform made up', async () => {
    for (const ip of ['127.0.0.1', '::1', '192.168.1.20']) await attempt('loglocal', 'nope', ip)
    await attempt('loglocal', 'nope', '198.51.100.9')
    const { data } = await answer(list({ username: 'loglocal' }))
    const byIp = Object.fromEntries(data.items.map((r) => [r.ip, [r.country, r.region, r.city]]))
    expect(byIp).toEqual({
      '127.0.0.1': [null, null, 'local'],
      '::1': [null, null, 'local'],
      '192.168.1.20': [null, null, 'local'],
      '198.51.100.9': [null, null, null], // public; these test requests carry no location
    })
  })

  it('filters by username (contains), status and ip (contains); pages with links', async () => {
    await attempt('filterme', 'bad-1', '203.0.113.10')
    await attempt('filterme', 'bad-2', '203.0.113.11')
    await attempt('test', '123456', '203.0.113.12')
    const success = await answer(list({ username: 'test', status: '1', ip: '203.0.113.12' }))
    expect(success.data.items).toHaveLength(1)
    expect(success.data.items[0]).toMatchObject({ username: 'test', status: 1, msg: 'Login success' })
    const failures = await answer(list({ username: 'filter', status: '0' }))
    expect(failures.data.total).toBe(2)
    const byIp = await answer(list({ ip: '203.0.113.1' }))
    expect(byIp.data.total).toBe(3)
    const paged = await answer(list({ ip: '203.0.113.1', size: '2', page: '2' }))
    expect(paged.data).toMatchObject({ total: 3, page: 2, size: 2, total_pages: 2 })
    expect(paged.data.items).toHaveLength(1)
    expect(paged.data.links).toEqual({
      first: '/api/v1/logs/login?ip=203.0.113.1&page=1&size=2',
      last: '/api/v1/logs/login?ip=203.0.113.1&page=2&size=2',
      self: '/api/v1/logs/login?ip=203.0.113.1&page=2&size=2',
      next: null,
      prev: '/api/v1/logs/login?ip=203.0.113.1&page=1&size=2',
    })
  })

  it('needs log:login:list (403 for the test user, who has no Log page); 401 without a token; validates the query', async () => {
    const test = await login('test')
    const denied = await failure(list({}, test.accessToken))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect((await list({}, await signedInWith(['log:login:list']))).status).toBe(200)
    // Deleting or clearing is not reading.
    expect((await list({}, await signedInWith(['log:login:del', 'log:login:clear']))).status).toBe(403)
    expect((await logs().$get({ query: {} })).status).toBe(401)
    const bad = await failure(list({ status: '5' }))
    expect(bad.status).toBe(422)
    expect(bad.errors[0]?.loc).toEqual(['query', 'status'])
  })
})

describe('DELETE /logs/login', () => {
  it('deletes the given ids (ids already gone are fine)', async () => {
    await attempt('deleteme', 'x-1', '192.0.2.1')
    await attempt('deleteme', 'x-2', '192.0.2.2')
    const ids = (await answer(list({ username: 'deleteme' }))).data.items.map((r) => r.id)
    const { status, body } = await answer(del([ids[0]!, 999_999]))
    expect(status).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    const left = await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.username, 'deleteme'))
    expect(left.map((r) => r.id)).toEqual([ids[1]])
  })

  it('needs log:login:del: 403 for the test user and a staff user without it; 200 with it', async () => {
    await attempt('keepme', 'x', '192.0.2.3')
    const [row] = await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.username, 'keepme'))
    const test = await login('test')
    expect((await del([row!.id], test.accessToken)).status).toBe(403)
    const clearer = await signedInWith(['log:login:clear'])
    const denied = await failure(del([row!.id], clearer))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect(await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.id, row!.id))).toHaveLength(1)
    const deleter = await signedInWith(['log:login:del'])
    expect((await del([row!.id], deleter)).status).toBe(200)
    expect(await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.id, row!.id))).toHaveLength(0)
  })

  it('validates the body and needs a token', async () => {
    for (const json of [{}, { pks: [] }, { pks: ['a'] }, { pks: [0] }]) {
      const { status, errors } = await failure(send('DELETE', '/api/v1/logs/login', { token: tokens.admin, json }))
      expect(status, JSON.stringify(json)).toBe(422)
      expect(errors[0]?.loc.slice(0, 2)).toEqual(['body', 'pks'])
    }
    expect((await logs().$delete({ json: { pks: [1] } })).status).toBe(401)
  })
})

describe('DELETE /logs/login/all', () => {
  it('needs log:login:clear (403 otherwise) and empties the table', async () => {
    await attempt('clearme', 'x', '192.0.2.9')
    const test = await login('test')
    expect((await clear(test.accessToken)).status).toBe(403)
    const deleter = await signedInWith(['log:login:del'])
    expect((await clear(deleter)).status).toBe(403)
    expect((await logs().all.$delete()).status).toBe(401)
    expect((await fileDb().select().from(sysLoginLog)).length).toBeGreaterThan(0)

    const clearer = await signedInWith(['log:login:clear'])
    expect((await clear(clearer)).status).toBe(200)
    expect(await fileDb().select().from(sysLoginLog)).toEqual([])
    // Clearing an empty table is still a success.
    expect((await clear()).status).toBe(200)
    const after = await answer(list())
    expect(after.data).toMatchObject({ items: [], total: 0, total_pages: 0 })
    expect(after.data.links.last).toBe('/api/v1/logs/login?page=1&size=20')
  })
})
