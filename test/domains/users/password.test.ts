/**
 * Password change and reset (docs/fba-compatibility.md, "Users" and "Password policy"): every session of the user
 * ends (docs/fba-compatibility.md, D4).
 */
import { desc, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysUser, sysUserPasswordHistory } from '../../../src/domains/users/schema'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { answer, failure, send } from '../../helpers/harness'
import { refreshWith } from '../auth/helpers'
import { admin, asAdmin, createUser, GOOD_PASSWORD, meStatus, usersApi } from './helpers'

beforeAll(seedFileDatabase)

const change = (token: string, old_password: string, new_password: string, confirm = new_password, overrides = {}) =>
  usersApi(token, { overrides }).sys.users.me.password.$put({
    json: { old_password, new_password, confirm_password: confirm },
  })

const reset = async (pk: number, password: string, token?: string) =>
  usersApi(token ?? (await admin())).sys.users[':pk'].password.$put({ param: { pk }, json: { password } })

const history = (userId: number) =>
  fileDb()
    .select()
    .from(sysUserPasswordHistory)
    .where(eq(sysUserPasswordHistory.userId, userId))
    .orderBy(desc(sysUserPasswordHistory.id))

describe('PUT /sys/users/me/password', () => {
  it('changes the password, records it, and ends every session of the user (the current one too)', async () => {
    const user = await createUser()
    // Two live sessions: allow multi-login first.
    await (await asAdmin()).sys.users[':pk'].permissions.$put({
      param: { pk: user.id },
      query: { type: 'multi_login' },
    })
    const first = await login(user.username, user.password)
    const second = await login(user.username, user.password)
    expect(await meStatus(first.accessToken)).toBe(200)
    const before = Date.now()

    const { status, body } = await answer(change(first.accessToken, user.password, 'N3wPassword'))
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })

    for (const session of [first, second]) {
      expect(await meStatus(session.accessToken)).toBe(401)
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
    const wrong = await failure(change(accessToken, 'not-it-1', 'N3wPassword'))
    expect(wrong.status).toBe(400)
    expect(wrong.body).toMatchObject({ code: 400, msg: 'The old password is incorrect' })
    const mismatch = await failure(change(accessToken, user.password, 'N3wPassword', 'N3wPassword2'))
    expect(mismatch.status).toBe(400)
    expect(mismatch.body.msg).toBe('The two passwords do not match')
    // Nothing changed and the session is still alive.
    expect(await meStatus(accessToken)).toBe(200)
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
      const refused = await failure(change(accessToken, user.password, password))
      expect(refused.status, password).toBe(400)
      expect(refused.body.msg).toBe(msg)
    }
    const strict = { USER_PASSWORD_REQUIRE_SPECIAL_CHAR: 'true', USER_PASSWORD_MIN_LENGTH: '10' }
    const short = await failure(change(accessToken, user.password, 'Abcdef123', undefined, strict))
    expect(short.body.msg).toBe('Password must be at least 10 characters long')
    const special = await failure(change(accessToken, user.password, 'Abcdef12345', undefined, strict))
    expect(special.status).toBe(400)
    expect(special.body.msg).toBe('Password must contain a special character (e.g. !@#$%)')
    const zh = await failure(
      usersApi(accessToken, { headers: { 'Accept-Language': 'zh-CN' } }).sys.users.me.password.$put({
        json: { old_password: user.password, new_password: 'abcdefgh', confirm_password: 'abcdefgh' },
      }),
    )
    expect(zh.body.msg).toBe('密码必须包含数字')
    expect((await change(accessToken, user.password, 'Abcdef1234!', undefined, strict)).status).toBe(200)
  })

  it('refuses the last N passwords (current one included) and allows older ones', async () => {
    const overrides = { USER_PASSWORD_HISTORY_CHECK_COUNT: '2' }
    const user = await createUser({ password: 'Passw0rd0' })
    let password = 'Passw0rd0'
    const changeTo = async (next: string) => {
      const { accessToken } = await login(user.username, password)
      const res = await change(accessToken, password, next, next, overrides)
      if (res.status === 200) password = next
      return res
    }
    const current = await failure(changeTo('Passw0rd0'))
    expect(current.status).toBe(400)
    expect(current.body.msg).toBe('The new password must differ from the last 2 passwords used')
    expect((await changeTo('Passw0rd1')).status).toBe(200)
    expect((await changeTo('Passw0rd0')).status).toBe(400) // one back
    expect((await changeTo('Passw0rd2')).status).toBe(200)
    // Passw0rd0 is now three back: allowed with N = 2.
    expect((await changeTo('Passw0rd0')).status).toBe(200)
    expect(await history(user.id)).toHaveLength(4)
  })

  it('checks the current password of a user with no history (the seeded test user)', async () => {
    const { accessToken } = await login('test')
    const same = await failure(change(accessToken, '123456', '123456'))
    expect(same.status).toBe(400)
    // The policy runs first: the seeded password has no letter.
    expect(same.body.msg).toBe('Password must contain a letter')
  })

  it('is 401 without a token and validates the body', async () => {
    expect((await send('PUT', '/api/v1/sys/users/me/password', { json: {} })).status).toBe(401)
    const { accessToken } = await login('test')
    const missing = await failure(
      send('PUT', '/api/v1/sys/users/me/password', { token: accessToken, json: { old_password: 'x' } }),
    )
    expect(missing.status).toBe(422)
    expect(missing.errors.map((e) => e.loc.join('.'))).toEqual(['body.new_password', 'body.confirm_password'])
  })
})

describe('PUT /sys/users/{pk}/password', () => {
  it("resets the password with the same policy and history, and ends the user's sessions", async () => {
    const user = await createUser()
    const session = await login(user.username, user.password)
    const reused = await failure(reset(user.id, user.password))
    expect(reused.status).toBe(400)
    expect(reused.body.msg).toBe('The new password must differ from the last 3 passwords used')
    expect((await failure(reset(user.id, 'short'))).body.msg).toBe('Password must be at least 6 characters long')
    expect(await meStatus(session.accessToken)).toBe(200)

    const { status, body } = await answer(reset(user.id, 'R3setPassword'))
    expect(status, JSON.stringify(body)).toBe(200)
    expect(await meStatus(session.accessToken)).toBe(401)
    expect((await refreshWith(session.refreshCookie)).status).toBe(401)
    await login(user.username, 'R3setPassword')
    expect(await history(user.id)).toHaveLength(2)
  })

  it('is for superusers: 403 for the test user, 404 for a missing user, 422 for a bad body', async () => {
    const test = await login('test')
    const denied = await reset(1, GOOD_PASSWORD, test.accessToken)
    expect(denied.status).toBe(403)
    expect((await reset(99999, GOOD_PASSWORD)).status).toBe(404)
    const bad = await failure(
      send('PUT', '/api/v1/sys/users/2/password', { token: await admin(), json: { password: 1 } }),
    )
    expect(bad.status).toBe(422)
    expect(bad.errors[0]?.loc).toEqual(['body', 'password'])
    // The admin's own session survived all of the above.
    expect(await meStatus(await admin())).toBe(200)
  })
})
