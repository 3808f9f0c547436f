/** Password change and reset (contract §2.2, policy §3.8, decision #4: every session of the user ends). */
import { desc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysUser, sysUserPasswordHistory } from '../../../src/domains/users/schema'
import { call, jsonInit } from '../../helpers/app'
import { authed, login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { admin, api, createUser, GOOD_PASSWORD } from './helpers'

beforeAll(seedFileDatabase)

const change = (token: string, old_password: string, new_password: string, confirm = new_password, overrides = {}) =>
  api(
    'PUT',
    '/api/v1/sys/users/me/password',
    token,
    { old_password, new_password, confirm_password: confirm },
    overrides,
  )

const reset = async (pk: number, password: string, token?: string, overrides = {}) =>
  api('PUT', `/api/v1/sys/users/${pk}/password`, token ?? (await admin()), { password }, overrides)

const history = (userId: number) =>
  fileDb()
    .select()
    .from(sysUserPasswordHistory)
    .where(eq(sysUserPasswordHistory.userId, userId))
    .orderBy(desc(sysUserPasswordHistory.id))

const refreshWith = (cookie: string) => call('/api/v1/auth/refresh', { method: 'POST', headers: { Cookie: cookie } })

describe('PUT /sys/users/me/password', () => {
  it('changes the password, records it, and ends every session of the user (the current one too)', async () => {
    const user = await createUser()
    // Two live sessions: allow multi-login first.
    await api('PUT', `/api/v1/sys/users/${user.id}/permissions?type=multi_login`, await admin())
    const first = await login(user.username, user.password)
    const second = await login(user.username, user.password)
    expect((await authed('/api/v1/sys/users/me', first.accessToken)).status).toBe(200)
    const before = Date.now()

    const { res, body } = await change(first.accessToken, user.password, 'N3wPassword')
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })

    for (const session of [first, second]) {
      expect((await authed('/api/v1/sys/users/me', session.accessToken)).status).toBe(401)
      expect((await refreshWith(session.refreshCookie)).status).toBe(401)
    }
    const [row] = await fileDb().select().from(sysUser).where(eq(sysUser.id, user.id))
    expect(row!.lastPasswordChangedTime!.getTime()).toBeGreaterThanOrEqual(before - 1000)
    const rows = await history(user.id)
    expect(rows).toHaveLength(2) // the first password (create) and this one
    expect(rows[0]!.password).toBe(row!.password)
    await login(user.username, 'N3wPassword')
  })

  it('400 for a wrong old password, then for a mismatched confirmation', async () => {
    const user = await createUser()
    const { accessToken } = await login(user.username, user.password)
    const wrong = await change(accessToken, 'not-it-1', 'N3wPassword')
    expect(wrong.res.status).toBe(400)
    expect(wrong.body).toMatchObject({ code: 400, msg: 'The old password is incorrect' })
    const mismatch = await change(accessToken, user.password, 'N3wPassword', 'N3wPassword2')
    expect(mismatch.res.status).toBe(400)
    expect(mismatch.body.msg).toBe('The two passwords do not match')
    // Nothing changed and the session is still alive.
    expect((await authed('/api/v1/sys/users/me', accessToken)).status).toBe(200)
  })

  it('applies the policy from the settings in force', async () => {
    const user = await createUser()
    const { accessToken } = await login(user.username, user.password)
    const cases: [string, string][] = [
      ['a1', 'Password must be at least 6 characters long'],
      [`a1${'b'.repeat(31)}`, 'Password must be at most 32 characters long'],
      ['abcdefgh', 'Password must contain a digit'],
      ['12345678', 'Password must contain a letter'],
      ['', 'Password must not be empty'],
    ]
    for (const [password, msg] of cases) {
      const answer = await change(accessToken, user.password, password)
      expect(answer.res.status, password).toBe(400)
      expect(answer.body.msg).toBe(msg)
    }
    const strict = { USER_PASSWORD_REQUIRE_SPECIAL_CHAR: 'true', USER_PASSWORD_MIN_LENGTH: '10' }
    const short = await change(accessToken, user.password, 'Abcdef123', undefined, strict)
    expect(short.body.msg).toBe('Password must be at least 10 characters long')
    const special = await change(accessToken, user.password, 'Abcdef12345', undefined, strict)
    expect(special.res.status).toBe(400)
    expect(special.body.msg).toBe('Password must contain a special character (e.g. !@#$%)')
    const zh = await authed(
      '/api/v1/sys/users/me/password',
      accessToken,
      jsonInit(
        'PUT',
        { old_password: user.password, new_password: 'abcdefgh', confirm_password: 'abcdefgh' },
        { 'Accept-Language': 'zh-CN' },
      ),
    )
    expect(((await zh.json()) as { msg: string }).msg).toBe('密码必须包含数字')
    expect((await change(accessToken, user.password, 'Abcdef1234!', undefined, strict)).res.status).toBe(200)
  })

  it('refuses the last N passwords (current one included) and allows older ones', async () => {
    const overrides = { USER_PASSWORD_HISTORY_CHECK_COUNT: '2' }
    const user = await createUser({ password: 'Passw0rd0' })
    let password = 'Passw0rd0'
    const changeTo = async (next: string) => {
      const { accessToken } = await login(user.username, password)
      const answer = await change(accessToken, password, next, next, overrides)
      if (answer.res.status === 200) password = next
      return answer
    }
    const current = await changeTo('Passw0rd0')
    expect(current.res.status).toBe(400)
    expect(current.body.msg).toBe('The new password must differ from the last 2 passwords used')
    expect((await changeTo('Passw0rd1')).res.status).toBe(200)
    expect((await changeTo('Passw0rd0')).res.status).toBe(400) // one back
    expect((await changeTo('Passw0rd2')).res.status).toBe(200)
    // Passw0rd0 is now three back: allowed with N = 2.
    expect((await changeTo('Passw0rd0')).res.status).toBe(200)
    expect(await history(user.id)).toHaveLength(4)
  })

  it('checks the current password of a user with no history (the seeded test user)', async () => {
    const { accessToken } = await login('test')
    const same = await change(accessToken, '123456', '123456')
    expect(same.res.status).toBe(400)
    // The policy runs first: the seeded password has no letter.
    expect(same.body.msg).toBe('Password must contain a letter')
  })

  it('is 401 without a token and validates the body', async () => {
    const res = await call('/api/v1/sys/users/me/password', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect(res.status).toBe(401)
    const { accessToken } = await login('test')
    const missing = await api('PUT', '/api/v1/sys/users/me/password', accessToken, { old_password: 'x' })
    expect(missing.res.status).toBe(422)
    const locs = (missing.body.data as { errors: { loc: string[] }[] }).errors.map((e) => e.loc.join('.'))
    expect(locs).toEqual(['body.new_password', 'body.confirm_password'])
  })
})

describe('PUT /sys/users/{pk}/password', () => {
  it("resets the password with the same policy and history, and ends the user's sessions", async () => {
    const user = await createUser()
    const session = await login(user.username, user.password)
    const reused = await reset(user.id, user.password)
    expect(reused.res.status).toBe(400)
    expect(reused.body.msg).toBe('The new password must differ from the last 3 passwords used')
    expect((await reset(user.id, 'short')).body.msg).toBe('Password must be at least 6 characters long')
    expect((await authed('/api/v1/sys/users/me', session.accessToken)).status).toBe(200)

    const { res, body } = await reset(user.id, 'R3setPassword')
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect((await authed('/api/v1/sys/users/me', session.accessToken)).status).toBe(401)
    expect((await refreshWith(session.refreshCookie)).status).toBe(401)
    await login(user.username, 'R3setPassword')
    expect(await history(user.id)).toHaveLength(2)
  })

  it('is for superusers: 403 for the test user, 404 for a missing user, 422 for a bad body', async () => {
    const test = await login('test')
    const denied = await reset(1, GOOD_PASSWORD, test.accessToken)
    expect(denied.res.status).toBe(403)
    expect((await reset(99999, GOOD_PASSWORD)).res.status).toBe(404)
    const bad = await api('PUT', '/api/v1/sys/users/2/password', await admin(), { password: 1 })
    expect(bad.res.status).toBe(422)
    expect((bad.body.data as { errors: { loc: string[] }[] }).errors[0]?.loc).toEqual(['body', 'password'])
    // The admin's own session survived all of the above.
    expect((await authed('/api/v1/sys/users/me', await admin())).status).toBe(200)
  })
})
