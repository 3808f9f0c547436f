/** `/monitors/sessions` (contract §2.11): the online list and force-logout (decision #4: access *and* refresh end). */
import { beforeAll, describe, expect, it } from 'vitest'
import { call, callJson, jsonInit } from '../../helpers/app'
import { authed, login } from '../../helpers/auth'
import { seedFileDatabase } from '../../helpers/database'

const SESSION_KEYS = [
  'id',
  'session_uuid',
  'username',
  'nickname',
  'ip',
  'os',
  'browser',
  'device',
  'status',
  'last_login_time',
  'expire_time',
].sort()
const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/

type Row = Record<string, unknown>

let adminToken: string

beforeAll(async () => {
  await seedFileDatabase()
  adminToken = (await login('admin')).accessToken
})

async function sessions(query = '', token = adminToken) {
  const res = await authed(`/api/v1/monitors/sessions${query}`, token)
  return { res, body: (await res.json()) as { code: number; msg: string; data: Row[] } }
}

const kick = (pk: number, sessionUuid: string | undefined, token = adminToken) =>
  authed(`/api/v1/monitors/sessions/${pk}${sessionUuid === undefined ? '' : `?session_uuid=${sessionUuid}`}`, token, {
    method: 'DELETE',
  })

const refreshWith = (cookie: string) => call('/api/v1/auth/refresh', { method: 'POST', headers: { Cookie: cookie } })

describe('GET /monitors/sessions', () => {
  it('lists live sessions with the contract fields, newest login first', async () => {
    const { res: loginRes, body: loginBody } = await callJson(
      '/api/v1/auth/login',
      jsonInit(
        'POST',
        { username: 'test', password: '123456' },
        {
          'CF-Connecting-IP': '203.0.113.50',
          'User-Agent':
            'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
        },
      ),
    )
    expect(loginRes.status).toBe(200)
    const sid = (loginBody.data as { session_uuid: string }).session_uuid
    const { res, body } = await sessions()
    expect(res.status).toBe(200)
    expect(body.code).toBe(200)
    const mine = body.data.find((s) => s.session_uuid === sid)
    expect(mine).toBeDefined()
    expect(Object.keys(mine!).sort()).toEqual(SESSION_KEYS)
    expect(mine).toMatchObject({
      id: 2,
      username: 'test',
      nickname: '用户66666',
      ip: '203.0.113.50',
      os: 'macOS',
      device: 'PC',
      status: 1,
    })
    expect(mine!.browser).toMatch(/^Safari/)
    expect(mine!.last_login_time).toMatch(DATETIME)
    expect(mine!.expire_time).toMatch(DATETIME)
    expect(String(mine!.expire_time) > String(mine!.last_login_time)).toBe(true)
    expect(body.data[0]!.session_uuid).toBe(sid) // the newest login
  })

  it("shows 'Unknown' for what the client didn't tell, localized", async () => {
    const session = await login('test')
    const en = (await sessions()).body.data.find((s) => s.session_uuid === session.sessionUuid)
    expect(en).toMatchObject({ ip: 'unknown', os: 'Unknown', browser: 'Unknown' })
    const res = await authed('/api/v1/monitors/sessions', adminToken, { headers: { 'Accept-Language': 'zh-CN' } })
    const zh = ((await res.json()) as { data: Row[] }).data.find((s) => s.session_uuid === session.sessionUuid)
    expect(zh).toMatchObject({ os: '未知', browser: '未知' })
  })

  it('filters by exact username and leaves docs-UI (swagger) logins out', async () => {
    const test = await login('test')
    const swagger = await call('/api/v1/auth/login/swagger?username=admin&password=123456', { method: 'POST' })
    expect(swagger.status).toBe(200)
    const onlyTest = (await sessions('?username=test')).body.data
    expect(onlyTest.length).toBeGreaterThan(0)
    expect(onlyTest.every((s) => s.username === 'test')).toBe(true)
    expect(onlyTest.map((s) => s.session_uuid)).toContain(test.sessionUuid)
    expect((await sessions('?username=tes')).body.data).toEqual([])
    // Only this file's admin session: the swagger login is not listed.
    const admins = (await sessions('?username=admin')).body.data
    expect(admins).toHaveLength(1)
  })

  it('is for superusers: 403 for the test user, 401 without a token', async () => {
    const test = await login('test')
    const denied = await sessions('', test.accessToken)
    expect(denied.res.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect((await call('/api/v1/monitors/sessions')).status).toBe(401)
  })
})

describe('DELETE /monitors/sessions/{pk}', () => {
  it("ends exactly that session: its access token is 401 and its refresh cookie can't refresh", async () => {
    const target = await login('admin') // multi-login: a second admin session beside this file's
    const res = await kick(1, target.sessionUuid)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ code: 200, data: null })
    expect((await authed('/api/v1/sys/users/me', target.accessToken)).status).toBe(401)
    expect((await refreshWith(target.refreshCookie)).status).toBe(401)
    // The caller's own session is untouched, and the ended one is gone from the list.
    expect((await authed('/api/v1/sys/users/me', adminToken)).status).toBe(200)
    const listed = (await sessions()).body.data.map((s) => s.session_uuid)
    expect(listed).not.toContain(target.sessionUuid)
  })

  it('force-logs-out another user', async () => {
    const test = await login('test')
    expect((await kick(2, test.sessionUuid)).status).toBe(200)
    expect((await authed('/api/v1/sys/users/me', test.accessToken)).status).toBe(401)
    expect((await refreshWith(test.refreshCookie)).status).toBe(401)
  })

  it("404 for an unknown session or one that isn't that user's; 422 without session_uuid", async () => {
    const test = await login('test')
    const wrongUser = await kick(1, test.sessionUuid)
    expect(wrongUser.status).toBe(404)
    expect(((await wrongUser.json()) as { msg: string }).msg).toBe('Session not found')
    expect((await authed('/api/v1/sys/users/me', test.accessToken)).status).toBe(200)
    expect((await kick(2, crypto.randomUUID())).status).toBe(404)
    const missing = await kick(2, undefined)
    expect(missing.status).toBe(422)
    const errors = ((await missing.json()) as { data: { errors: { loc: string[] }[] } }).data.errors
    expect(errors[0]?.loc).toEqual(['query', 'session_uuid'])
  })

  it('is for superusers: 403 for the test user (even on its own session), 401 without a token', async () => {
    const test = await login('test')
    expect((await kick(2, test.sessionUuid, test.accessToken)).status).toBe(403)
    expect(
      (await call(`/api/v1/monitors/sessions/2?session_uuid=${test.sessionUuid}`, { method: 'DELETE' })).status,
    ).toBe(401)
  })
})
