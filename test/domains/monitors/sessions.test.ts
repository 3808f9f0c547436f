/**
 * `/monitors/sessions` (docs/fba-compatibility.md, "Monitors"): the online list and force-logout; access *and* refresh
 * end (docs/fba-compatibility.md, D4).
 */
import { describe, expect, it } from 'vitest'
import type { monitorRoutes } from '../../../src/domains/monitors/routes.v1'
import { login, seedAndSignIn } from '../../helpers/auth'
import { DATETIME } from '../../helpers/fixtures'
import { answer, api, type ClientOptions, failure, send } from '../../helpers/harness'
import { signedInWith } from '../../helpers/permissions'
import { attemptLogin, authApi, refreshWith } from '../auth/helpers'
import { meStatus } from '../users/helpers'

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

const tokens = seedAndSignIn(['admin'])

const monitors = (token?: string, options?: ClientOptions) => api<typeof monitorRoutes>(token, options).monitors

/** `GET /monitors/sessions` (the raw response), as this file's admin unless told otherwise. */
const sessions = (query: { username?: string } = {}, token = tokens.admin) => monitors(token).sessions.$get({ query })

/** The listed sessions, as this file's admin. */
const listed = async (query: { username?: string } = {}) => (await answer(sessions(query))).data

const kick = (pk: number, sessionUuid: string, token = tokens.admin) =>
  monitors(token).sessions[':pk'].$delete({ param: { pk }, query: { session_uuid: sessionUuid } })

describe('GET /monitors/sessions', () => {
  it("lists live sessions with fba's fields, newest login first", async () => {
    const safariOnMac =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15'
    const headers = { 'CF-Connecting-IP': '203.0.113.50', 'User-Agent': safariOnMac }
    const loggedIn = await answer(attemptLogin('test', '123456', { headers }))
    expect(loggedIn.status).toBe(200)
    const sid = loggedIn.data.session_uuid
    const { status, body, data } = await answer(sessions())
    expect(status).toBe(200)
    expect(body.code).toBe(200)
    const mine = data.find((s) => s.session_uuid === sid)
    expect(mine).toBeDefined()
    expect(Object.keys(mine!).sort()).toEqual(SESSION_KEYS)
    expect(mine).toMatchObject({
      id: 2,
      username: 'test',
      nickname: '用户66666',
      ip: '203.0.113.50',
      os: 'macOS',
      device: 'PC',
      // No Socket.IO client connected for it (test/domains/realtime/online.test.ts connects one).
      status: 0,
    })
    expect(mine!.browser).toMatch(/^Safari/)
    expect(mine!.last_login_time).toMatch(DATETIME)
    expect(mine!.expire_time).toMatch(DATETIME)
    expect(mine!.expire_time > mine!.last_login_time).toBe(true)
    expect(data[0]!.session_uuid).toBe(sid) // the newest login
  })

  it("shows 'Unknown' for what the client didn't tell, localized", async () => {
    const session = await login('test')
    const en = (await listed()).find((s) => s.session_uuid === session.sessionUuid)
    expect(en).toMatchObject({ ip: 'unknown', os: 'Unknown', browser: 'Unknown' })
    const chinese = monitors(tokens.admin, { headers: { 'Accept-Language': 'zh-CN' } })
    const { data } = await answer(chinese.sessions.$get({ query: {} }))
    const zh = data.find((s) => s.session_uuid === session.sessionUuid)
    expect(zh).toMatchObject({ os: '未知', browser: '未知' })
  })

  it('filters by exact username and leaves docs-UI (swagger) logins out', async () => {
    const test = await login('test')
    const swagger = await authApi().auth.login.swagger.$post({ query: { username: 'admin', password: '123456' } })
    expect(swagger.status).toBe(200)
    const onlyTest = await listed({ username: 'test' })
    expect(onlyTest.length).toBeGreaterThan(0)
    expect(onlyTest.every((s) => s.username === 'test')).toBe(true)
    expect(onlyTest.map((s) => s.session_uuid)).toContain(test.sessionUuid)
    expect(await listed({ username: 'tes' })).toEqual([])
    // Only this file's admin session: the swagger login is not listed.
    const admins = await listed({ username: 'admin' })
    expect(admins).toHaveLength(1)
  })

  it('needs monitor:online:list: 403 for the test user, 401 without a token', async () => {
    const test = await login('test')
    const denied = await failure(sessions({}, test.accessToken))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect((await monitors().sessions.$get({ query: {} })).status).toBe(401)
    expect((await sessions({}, await signedInWith(['monitor:online:list'], { menus: ['Online'] }))).status).toBe(200)
  })
})

describe('DELETE /monitors/sessions/{pk}', () => {
  it("ends exactly that session: its access token is 401 and its refresh cookie can't refresh", async () => {
    const target = await login('admin') // multi-login: a second admin session beside this file's
    const { status, body } = await answer(kick(1, target.sessionUuid))
    expect(status).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    expect(await meStatus(target.accessToken)).toBe(401)
    expect((await refreshWith(target.refreshCookie)).status).toBe(401)
    // The caller's own session is untouched, and the ended one is gone from the list.
    expect(await meStatus(tokens.admin)).toBe(200)
    const uuids = (await listed()).map((s) => s.session_uuid)
    expect(uuids).not.toContain(target.sessionUuid)
  })

  it('force-logs-out another user', async () => {
    const test = await login('test')
    expect((await kick(2, test.sessionUuid)).status).toBe(200)
    expect(await meStatus(test.accessToken)).toBe(401)
    expect((await refreshWith(test.refreshCookie)).status).toBe(401)
  })

  it("404 for an unknown session or one that isn't that user's; 422 without session_uuid", async () => {
    const test = await login('test')
    const wrongUser = await failure(kick(1, test.sessionUuid))
    expect(wrongUser.status).toBe(404)
    expect(wrongUser.body.msg).toBe('Session not found')
    expect(await meStatus(test.accessToken)).toBe(200)
    expect((await kick(2, crypto.randomUUID())).status).toBe(404)
    const missing = await failure(send('DELETE', '/api/v1/monitors/sessions/2', { token: tokens.admin }))
    expect(missing.status).toBe(422)
    expect(missing.errors[0]?.loc).toEqual(['query', 'session_uuid'])
  })

  it('is for superusers: 403 for the test user (even on its own session), 401 without a token', async () => {
    const test = await login('test')
    expect((await kick(2, test.sessionUuid, test.accessToken)).status).toBe(403)
    const anonymous = monitors().sessions[':pk'].$delete({
      param: { pk: 2 },
      query: { session_uuid: test.sessionUuid },
    })
    expect((await anonymous).status).toBe(401)
  })
})
