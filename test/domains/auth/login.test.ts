import { env } from 'cloudflare:workers'
import { Redis } from '@upstash/redis/cloudflare'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysLoginLog } from '../../../src/domains/logs/schema'
import { sysUser } from '../../../src/domains/users/schema'
import { callJson, jsonInit } from '../../helpers/app'
import { authed, login, SEED_PASSWORD } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { fileBindings } from '../../helpers/isolation'

beforeAll(seedFileDatabase)

const loginBody = (username: string, password: string, extra: Record<string, unknown> = {}) =>
  jsonInit('POST', { username, password, ...extra })

const loginLogs = (username: string) => fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.username, username))

describe('POST /auth/login', () => {
  it('logs the seeded admin in: tokens, refresh cookie and user info', async () => {
    const { res, body } = await callJson('/api/v1/auth/login', loginBody('admin', SEED_PASSWORD))
    expect(res.status).toBe(200)
    expect(body.code).toBe(200)
    const data = body.data as Record<string, unknown>
    expect(Object.keys(data).sort()).toEqual(
      ['access_token', 'access_token_expire_time', 'password_expire_days_remaining', 'session_uuid', 'user'].sort(),
    )
    expect(data.access_token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(data.access_token_expire_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
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
    expect((data.user as Record<string, unknown>).last_login_time).toMatch(/^\d{4}-/)
    const cookie = res.headers.get('Set-Cookie') ?? ''
    expect(cookie).toMatch(/^fba_refresh_token=ey/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Path=/api')
    expect(cookie).toMatch(/Max-Age=(604799|604800);/)
    expect(cookie).not.toContain('Secure') // only in production
  })

  it('gives unknown users and wrong passwords the same 403 and message', async () => {
    const unknown = await callJson('/api/v1/auth/login', loginBody('nobody', 'whatever1'))
    const wrong = await callJson('/api/v1/auth/login', loginBody('test', 'wrong-password'))
    expect(unknown.res.status).toBe(403)
    expect(wrong.res.status).toBe(403)
    expect(unknown.body.msg).toBe('Incorrect username or password')
    expect(wrong.body.msg).toBe(unknown.body.msg)
  })

  it('writes one login-log row per attempt, success or failure', async () => {
    await callJson('/api/v1/auth/login', loginBody('ghost', 'x1'))
    await callJson('/api/v1/auth/login', loginBody('ghost', 'x2'))
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
    const { res, body } = await callJson('/api/v1/auth/login', loginBody('', 'x'))
    expect(res.status).toBe(422)
    expect((body.data as { errors: { loc: string[] }[] }).errors[0]?.loc).toEqual(['body', 'username'])
  })

  it('locks the account after the configured number of failures', async () => {
    const overrides = { USER_LOCK_THRESHOLD: '3', USER_LOCK_SECONDS: '60' }
    const db = fileDb()
    await db.insert(sysUser).values({ username: 'locky', nickname: 'locky', password: null, deptId: 1 })
    const attempt = (password: string) => callJson('/api/v1/auth/login', loginBody('locky', password), overrides)
    expect((await attempt('bad1')).body.msg).toBe('Incorrect username or password')
    expect((await attempt('bad2')).body.msg).toBe('Incorrect username or password')
    const third = await attempt('bad3')
    expect(third.res.status).toBe(403)
    expect(third.body.msg).toBe('Too many failed logins; the account is locked')
    const locked = await attempt('bad4')
    expect(locked.res.status).toBe(403)
    expect(locked.body.msg).toBe('Account is locked, please try again in 1 minute(s)')
    expect(await loginLogs('locky')).toHaveLength(4)
  })

  it('refuses an expired password and reports the days left inside the reminder window', async () => {
    const db = fileDb()
    const old = new Date(Date.now() - 400 * 86_400_000)
    await db.update(sysUser).set({ lastPasswordChangedTime: old }).where(eq(sysUser.username, 'test'))
    const expired = await callJson('/api/v1/auth/login', loginBody('test', SEED_PASSWORD))
    expect(expired.res.status).toBe(403)
    expect(expired.body.msg).toBe('Password has expired, please change it and log in again')
    const soon = new Date(Date.now() - 360 * 86_400_000)
    await db.update(sysUser).set({ lastPasswordChangedTime: soon }).where(eq(sysUser.username, 'test'))
    const reminded = await login('test')
    expect(reminded.body.data.password_expire_days_remaining).toBe(4)
    await db.update(sysUser).set({ lastPasswordChangedTime: new Date() }).where(eq(sysUser.username, 'test'))
  })

  it('ends other sessions when the user does not allow multi-login', async () => {
    const first = await login('test')
    expect((await authed('/api/v1/auth/codes', first.accessToken)).status).toBe(200)
    const second = await login('test')
    expect((await authed('/api/v1/auth/codes', first.accessToken)).status).toBe(401)
    expect((await authed('/api/v1/auth/codes', second.accessToken)).status).toBe(200)
  })

  it('keeps other sessions for multi-login users', async () => {
    const first = await login('admin')
    await login('admin')
    expect((await authed('/api/v1/auth/codes', first.accessToken)).status).toBe(200)
  })
})

describe('captcha', () => {
  const withCaptcha = { LOGIN_CAPTCHA_ENABLED: 'true' }
  const redis = () =>
    new Redis({ url: fileBindings.UPSTASH_REDIS_REST_URL as string, token: String(env.UPSTASH_REDIS_REST_TOKEN) })

  async function newCaptcha() {
    const { res, body } = await callJson('/api/v1/auth/captcha', {}, withCaptcha)
    expect(res.status).toBe(200)
    const data = body.data as { is_enabled: boolean; expire_seconds: number; uuid: string; image: string }
    const code = await redis().get<string>(`stratum:captcha:${data.uuid}`)
    return { data, code: String(code) }
  }

  it('returns a base64 PNG and its id', async () => {
    const { data, code } = await newCaptcha()
    expect(data.is_enabled).toBe(true)
    expect(data.expire_seconds).toBe(300)
    expect(atob(data.image).slice(1, 4)).toBe('PNG')
    expect(code).toHaveLength(4)
  })

  it('reports is_enabled false when switched off', async () => {
    const { body } = await callJson('/api/v1/auth/captcha')
    expect((body.data as { is_enabled: boolean }).is_enabled).toBe(false)
  })

  it('rejects a missing, unknown or wrong captcha, and accepts the right one once', async () => {
    const missing = await callJson('/api/v1/auth/login', loginBody('admin', SEED_PASSWORD), withCaptcha)
    expect(missing.res.status).toBe(400)
    expect(missing.body.msg).toBe('Captcha is invalid, please try again')

    const unknown = await callJson(
      '/api/v1/auth/login',
      loginBody('admin', SEED_PASSWORD, { uuid: crypto.randomUUID(), captcha: 'ABCD' }),
      withCaptcha,
    )
    expect(unknown.res.status).toBe(400)
    expect(unknown.body.msg).toBe('Captcha has expired, please try again')

    const wrong = await newCaptcha()
    const bad = await callJson(
      '/api/v1/auth/login',
      loginBody('admin', SEED_PASSWORD, { uuid: wrong.data.uuid, captcha: wrong.code === 'AAAA' ? 'BBBB' : 'AAAA' }),
      withCaptcha,
    )
    expect(bad.res.status).toBe(400)
    expect(bad.body).toMatchObject({ code: 40001, msg: 'Captcha error' })

    const right = await newCaptcha()
    const body = loginBody('admin', SEED_PASSWORD, { uuid: right.data.uuid, captcha: right.code.toLowerCase() })
    expect((await callJson('/api/v1/auth/login', body, withCaptcha)).res.status).toBe(200)
    const again = await callJson('/api/v1/auth/login', body, withCaptcha)
    expect(again.body.msg).toBe('Captcha has expired, please try again')
  })
})
