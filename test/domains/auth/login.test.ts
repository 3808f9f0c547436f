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

/** A user with the seeded password (the admin's hash), its password fresh. */
async function seedAccount(username: string) {
  const db = fileDb()
  const [seeded] = await db.select().from(sysUser).where(eq(sysUser.username, 'admin'))
  await db.insert(sysUser).values({
    username,
    nickname: username,
    password: seeded?.password ?? null,
    deptId: 1,
    lastPasswordChangedTime: new Date(),
  })
}

describe('lockout: per account and client, captcha before any account-wide lock', () => {
  const LOCK = { USER_LOCK_THRESHOLD: '3', USER_LOCK_SECONDS: '60' }
  const from = (ip: string, overrides: Record<string, string> = LOCK) => ({
    headers: { 'CF-Connecting-IP': ip },
    overrides,
  })
  const attemptFrom = (ip: string, username: string, password: string, overrides?: Record<string, string>) =>
    failure(attemptLogin(username, password, from(ip, overrides)))

  it('locks out only the guessing client: the admin still logs in from elsewhere', async () => {
    const attacker = '203.0.113.7'
    for (const n of [1, 2])
      expect((await attemptFrom(attacker, 'admin', `bad${n}`)).body.msg).toBe('Incorrect username or password')
    expect((await attemptFrom(attacker, 'admin', 'bad3')).body.msg).toBe(
      'Too many failed logins; the account is locked',
    )
    // Locked out even with the right password, from that client…
    const locked = await attemptFrom(attacker, 'admin', SEED_PASSWORD)
    expect(locked.status).toBe(403)
    expect(locked.body.msg).toBe('Account is locked, please try again in 1 minute(s)')
    // …but the administrator, elsewhere, is not locked out.
    const admin = await attemptLogin('admin', SEED_PASSWORD, from('198.51.100.20'))
    expect(admin.status).toBe(200)
    // An IPv6 client counts by its /64, so rotating addresses inside it does not reset the count.
    for (const suffix of ['1', '2', '3']) await attemptFrom(`2001:db8:1:2::${suffix}`, 'admin', 'bad')
    expect((await attemptFrom('2001:db8:1:2::99', 'admin', SEED_PASSWORD)).body.msg).toMatch(/^Account is locked/)
  })

  it('treats unknown usernames exactly like known ones: same answers, same lock', async () => {
    const sequence = async (username: string, ip: string) => {
      const answers: string[] = []
      for (const password of ['bad1', 'bad2', 'bad3', 'bad4']) {
        const { status, body } = await attemptFrom(ip, username, password)
        answers.push(`${status} ${body.msg}`)
      }
      return answers
    }
    const known = await sequence('test', '192.0.2.10')
    const unknown = await sequence('no-such-user', '192.0.2.10')
    expect(unknown).toEqual(known)
    expect(known.at(-1)).toBe('403 Account is locked, please try again in 1 minute(s)')
  })

  it('failures from many clients bring on a captcha for that account, never a lock of its owner', async () => {
    // Accounts of their own, so the failures of the tests above do not count here.
    await seedAccount('stepper')
    await seedAccount('bystander')
    const stepUp = { ...LOCK, LOGIN_CAPTCHA_FAILURE_THRESHOLD: '4' }
    for (const ip of ['192.0.2.21', '192.0.2.22']) {
      for (const n of [1, 2]) await attemptFrom(ip, 'stepper', `bad${n}`, stepUp)
    }
    // The captcha is off, yet this account now needs one — from every client, and the UI is told to show it.
    const owner = from('198.51.100.30', stepUp)
    const noCaptcha = await failure(attemptLogin('stepper', SEED_PASSWORD, owner))
    expect(noCaptcha.status).toBe(400)
    expect(noCaptcha.body.msg).toBe('Captcha is invalid, please try again')
    const { data } = await answer(authApi(undefined, owner).auth.captcha.$get())
    expect(data.is_enabled).toBe(true)
    const code = String(await fileRedis().get<string>(`stratum:captcha:${data.uuid}`))
    const solved = await authApi(undefined, owner).auth.login.$post({
      json: { username: 'stepper', password: SEED_PASSWORD, uuid: data.uuid, captcha: code },
    })
    expect(solved.status).toBe(200)
    // Other accounts are not affected.
    expect((await attemptLogin('bystander', SEED_PASSWORD, owner)).status).toBe(200)
    // An unknown username gets there the same way.
    for (const ip of ['192.0.2.23', '192.0.2.24']) {
      for (const n of [1, 2]) await attemptFrom(ip, 'ghost-user', `bad${n}`, stepUp)
    }
    expect((await failure(attemptLogin('ghost-user', 'whatever', owner))).status).toBe(400)
    // The flag that makes GET /auth/captcha report the captcha as on is global: clear it for the tests below.
    await fileRedis().del('stratum:login-captcha-step-up')
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
