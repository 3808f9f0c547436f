import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysLoginLog } from '../../../src/domains/logs/schema'
import { sysUser } from '../../../src/domains/users/schema'
import { login, SEED_PASSWORD } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { DATETIME } from '../../helpers/fixtures'
import { answer, failure } from '../../helpers/harness'
import { fileRedis } from '../../helpers/isolation'
import { attemptLogin, authApi, codesWith } from './helpers'

beforeAll(seedFileDatabase)

const loginLogs = (username: string) => fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.username, username))

describe('POST /auth/login', () => {
  it('logs the seeded admin in: tokens, refresh cookie and user info', async () => {
    const res = await attemptLogin('admin', SEED_PASSWORD)
    const { status, body, data } = await answer(res)
    expect(status).toBe(200)
    expect(body.code).toBe(200)
    expect(Object.keys(data).sort()).toEqual(
      ['access_token', 'access_token_expire_time', 'password_expire_days_remaining', 'session_uuid', 'user'].sort(),
    )
    expect(data.access_token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(data.access_token_expire_time).toMatch(DATETIME)
    expect(data.password_expire_days_remaining).toBeNull()
    expect(data.user).toMatchObject({
      id: 1,
      username: 'admin',
      nickname: '用户88888',
      dept_id: 1,
      email: 'admin@example.com',
      status: 1,
      is_superuser: true,
      is_staff: true,
      is_multi_login: true,
    })
    expect(data.user.last_login_time).toMatch(/^\d{4}-/)
    const cookie = res.headers.get('Set-Cookie') ?? ''
    expect(cookie).toMatch(/^fba_refresh_token=ey/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Path=/api')
    expect(cookie).toMatch(/Max-Age=(604799|604800);/)
    expect(cookie).not.toContain('Secure') // only in production
  })

  it('gives unknown users and wrong passwords the same 403 and message', async () => {
    const unknown = await failure(attemptLogin('nobody', 'whatever1'))
    const wrong = await failure(attemptLogin('test', 'wrong-password'))
    expect(unknown.status).toBe(403)
    expect(wrong.status).toBe(403)
    expect(unknown.body.msg).toBe('Incorrect username or password')
    expect(wrong.body.msg).toBe(unknown.body.msg)
  })

  it('writes one login-log row per attempt, success or failure', async () => {
    await attemptLogin('ghost', 'x1')
    await attemptLogin('ghost', 'x2')
    const rows = await loginLogs('ghost')
    expect(rows).toHaveLength(2)
    expect(rows.every((r) => r.status === 0 && r.msg === 'Incorrect username or password')).toBe(true)
    const before = (await loginLogs('admin')).length
    await login('admin')
    const after = await loginLogs('admin')
    expect(after).toHaveLength(before + 1)
    expect(after.at(-1)).toMatchObject({ status: 1, msg: 'Login success' })
  })

  it('validates the body', async () => {
    const { status, errors } = await failure(attemptLogin('', 'x'))
    expect(status).toBe(422)
    expect(errors[0]?.loc).toEqual(['body', 'username'])
  })

  it('locks the account after the configured number of failures', async () => {
    const overrides = { USER_LOCK_THRESHOLD: '3', USER_LOCK_SECONDS: '60' }
    const db = fileDb()
    await db.insert(sysUser).values({ username: 'locky', nickname: 'locky', password: null, deptId: 1 })
    const attempt = (password: string) => failure(attemptLogin('locky', password, { overrides }))
    expect((await attempt('bad1')).body.msg).toBe('Incorrect username or password')
    expect((await attempt('bad2')).body.msg).toBe('Incorrect username or password')
    const third = await attempt('bad3')
    expect(third.status).toBe(403)
    expect(third.body.msg).toBe('Too many failed logins; the account is locked')
    const locked = await attempt('bad4')
    expect(locked.status).toBe(403)
    expect(locked.body.msg).toBe('Account is locked, please try again in 1 minute(s)')
    expect(await loginLogs('locky')).toHaveLength(4)
  })

  it('refuses an expired password and reports the days left inside the reminder window', async () => {
    const db = fileDb()
    const old = new Date(Date.now() - 400 * 86_400_000)
    await db.update(sysUser).set({ lastPasswordChangedTime: old }).where(eq(sysUser.username, 'test'))
    const expired = await failure(attemptLogin('test', SEED_PASSWORD))
    expect(expired.status).toBe(403)
    expect(expired.body.msg).toBe('Password has expired, please change it and log in again')
    const soon = new Date(Date.now() - 360 * 86_400_000)
    await db.update(sysUser).set({ lastPasswordChangedTime: soon }).where(eq(sysUser.username, 'test'))
    const reminded = await login('test')
    expect(reminded.body.data.password_expire_days_remaining).toBe(4)
    await db.update(sysUser).set({ lastPasswordChangedTime: new Date() }).where(eq(sysUser.username, 'test'))
  })

  it('ends other sessions when the user does not allow multi-login', async () => {
    const first = await login('test')
    expect((await codesWith(first.accessToken)).status).toBe(200)
    const second = await login('test')
    expect((await codesWith(first.accessToken)).status).toBe(401)
    expect((await codesWith(second.accessToken)).status).toBe(200)
  })

  it('keeps other sessions for multi-login users', async () => {
    const first = await login('admin')
    await login('admin')
    expect((await codesWith(first.accessToken)).status).toBe(200)
  })
})

describe('captcha', () => {
  const withCaptcha = authApi(undefined, { overrides: { LOGIN_CAPTCHA_ENABLED: 'true' } })

  async function newCaptcha() {
    const { status, data } = await answer(withCaptcha.auth.captcha.$get())
    expect(status).toBe(200)
    const code = await fileRedis().get<string>(`stratum:captcha:${data.uuid}`)
    return { data, code: String(code) }
  }

  const loginAdmin = (captcha: { uuid?: string; captcha?: string } = {}) =>
    withCaptcha.auth.login.$post({ json: { username: 'admin', password: SEED_PASSWORD, ...captcha } })

  it('returns a base64 PNG and its id', async () => {
    const { data, code } = await newCaptcha()
    expect(data.is_enabled).toBe(true)
    expect(data.expire_seconds).toBe(300)
    expect(atob(data.image).slice(1, 4)).toBe('PNG')
    expect(code).toHaveLength(4)
  })

  it('reports is_enabled false when switched off', async () => {
    const { data } = await answer(authApi().auth.captcha.$get())
    expect(data.is_enabled).toBe(false)
  })

  it('rejects a missing, unknown or wrong captcha, and accepts the right one once', async () => {
    const missing = await failure(loginAdmin())
    expect(missing.status).toBe(400)
    expect(missing.body.msg).toBe('Captcha is invalid, please try again')

    const unknown = await failure(loginAdmin({ uuid: crypto.randomUUID(), captcha: 'ABCD' }))
    expect(unknown.status).toBe(400)
    expect(unknown.body.msg).toBe('Captcha has expired, please try again')

    const wrong = await newCaptcha()
    const bad = await failure(loginAdmin({ uuid: wrong.data.uuid, captcha: wrong.code === 'AAAA' ? 'BBBB' : 'AAAA' }))
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ code: 40001, msg: 'Captcha error' })

    const right = await newCaptcha()
    const solved = { uuid: right.data.uuid, captcha: right.code.toLowerCase() }
    expect((await loginAdmin(solved)).status).toBe(200)
    const again = await failure(loginAdmin(solved))
    expect(again.body.msg).toBe('Captcha has expired, please try again')
  })
})
