/** The caller's own nickname, avatar and email (with the code from POST /emails/captcha; §2.2, §2.16, #14). */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysUser } from '../../../src/domains/users/schema'
import { registerEmailSender } from '../../../src/http/email'
import { type EmailMessage, readOutbox } from '../../../src/infra/email'
import { call } from '../../helpers/app'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { api, createUser, fileRedis, uniqueName } from './helpers'

beforeAll(seedFileDatabase)

const PREFIX = { REDIS_KEY_PREFIX: 'stratum' }
const codeKey = (userId: number, address: string) => `stratum:user:${userId}:email-code:${address.toLowerCase()}`

async function signedIn() {
  const user = await createUser()
  const { accessToken } = await login(user.username, user.password)
  return { ...user, token: accessToken }
}

/** The newest dev-outbox message sent to `address`, and the code in it. */
async function lastCodeFor(address: string): Promise<string> {
  const messages = await readOutbox(fileRedis(), PREFIX)
  const message = messages.find((m) => m.to.includes(address.toLowerCase()))
  expect(message, `no message to ${address}`).toBeDefined()
  const code = /\b(\d{6})\b/.exec(message!.text)?.[1]
  expect(code).toBeDefined()
  return code!
}

const sendCode = (token: string, recipients: unknown, overrides = {}) =>
  api('POST', '/api/v1/emails/captcha', token, { recipients }, overrides)

const setEmail = (token: string, email: string, captcha: string) =>
  api('PUT', '/api/v1/sys/users/me/email', token, { email, captcha })

describe('PUT /sys/users/me/nickname and /avatar', () => {
  it('updates the caller and the next /me shows it at once (snapshot dropped)', async () => {
    const user = await signedIn()
    const warm = await api('GET', '/api/v1/sys/users/me', user.token)
    expect(warm.body.data).toMatchObject({ nickname: user.username, avatar: null })
    const [before] = await fileDb().select().from(sysUser).where(eq(sysUser.id, user.id))
    const nick = await api('PUT', '/api/v1/sys/users/me/nickname', user.token, { nickname: 'New Nick' })
    expect(nick.res.status).toBe(200)
    expect(nick.body).toMatchObject({ code: 200, data: null })
    const avatar = await api('PUT', '/api/v1/sys/users/me/avatar', user.token, { avatar: '/static/upload/a.png' })
    expect(avatar.res.status).toBe(200)
    const me = await api('GET', '/api/v1/sys/users/me', user.token)
    expect(me.body.data).toMatchObject({ nickname: 'New Nick', avatar: '/static/upload/a.png' })
    // Decision #9: only a login moves last_login_time.
    const [after] = await fileDb().select().from(sysUser).where(eq(sysUser.id, user.id))
    expect(after?.lastLoginTime?.getTime()).toBe(before?.lastLoginTime?.getTime())
    expect(after?.updatedTime).not.toBeNull()
  })

  it('validates the bodies and needs a token', async () => {
    const user = await signedIn()
    for (const [path, body, loc] of [
      ['/api/v1/sys/users/me/nickname', {}, ['body', 'nickname']],
      ['/api/v1/sys/users/me/nickname', { nickname: '' }, ['body', 'nickname']],
      ['/api/v1/sys/users/me/nickname', { nickname: 'x'.repeat(65) }, ['body', 'nickname']],
      ['/api/v1/sys/users/me/avatar', { avatar: '' }, ['body', 'avatar']],
    ] as const) {
      const { res, body: answer } = await api('PUT', path, user.token, body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect((answer.data as { errors: { loc: string[] }[] }).errors[0]?.loc).toEqual(loc)
    }
    const anonymous = await call('/api/v1/sys/users/me/nickname', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ nickname: 'x' }),
    })
    expect(anonymous.status).toBe(401)
  })
})

describe('POST /emails/captcha + PUT /sys/users/me/email', () => {
  it('sends a 6-digit code through the dev outbox and confirms the change with it', async () => {
    const user = await signedIn()
    const address = `${uniqueName('mail')}@example.com`
    const sent = await sendCode(user.token, address)
    expect(sent.res.status, JSON.stringify(sent.body)).toBe(200)
    expect(sent.body).toMatchObject({ code: 200, data: null })
    const [message] = await readOutbox(fileRedis(), PREFIX)
    expect(message).toMatchObject({ to: [address], subject: 'Stratum verification code' })
    expect(message!.text).toMatch(/^Your verification code is \d{6}\. It expires in 3 minute\(s\)\.$/)
    // Stored per user and address, with a TTL.
    const ttl = await fileRedis().ttl(codeKey(user.id, address))
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(180)

    const code = await lastCodeFor(address)
    const { res, body } = await setEmail(user.token, address, code)
    expect(res.status, JSON.stringify(body)).toBe(200)
    const me = await api('GET', '/api/v1/sys/users/me', user.token)
    expect(me.body.data).toMatchObject({ email: address })
    // The code is used up.
    const again = await setEmail(user.token, address, code)
    expect(again.res.status).toBe(400)
    expect(again.body.msg).toBe('The verification code has expired, please request a new one')
  })

  it('a wrong code is 400 with code 40001; five wrong guesses burn the code', async () => {
    const user = await signedIn()
    const address = `${uniqueName('mail')}@example.com`
    await sendCode(user.token, address)
    const code = await lastCodeFor(address)
    const wrong = code === '000000' ? '111111' : '000000'
    const first = await setEmail(user.token, address, wrong)
    expect(first.res.status).toBe(400)
    expect(first.body).toMatchObject({ code: 40001, msg: 'Captcha error' })
    for (let i = 0; i < 4; i++) expect((await setEmail(user.token, address, wrong)).body.code).toBe(40001)
    const burnt = await setEmail(user.token, address, code)
    expect(burnt.res.status).toBe(400)
    expect(burnt.body).toMatchObject({ code: 400, msg: 'The verification code has expired, please request a new one' })
  })

  it('an expired (or never requested) code is 400', async () => {
    const user = await signedIn()
    const address = `${uniqueName('mail')}@example.com`
    const never = await setEmail(user.token, address, '123456')
    expect(never.res.status).toBe(400)
    expect(never.body.msg).toBe('The verification code has expired, please request a new one')
    await sendCode(user.token, address)
    const code = await lastCodeFor(address)
    await fileRedis().pexpire(codeKey(user.id, address), 1)
    await new Promise((r) => setTimeout(r, 20))
    const expired = await setEmail(user.token, address, code)
    expect(expired.res.status).toBe(400)
    expect(expired.body.msg).toBe('The verification code has expired, please request a new one')
  })

  it("keys codes by user and address (decision #14): another user can't use them, nor another address", async () => {
    const alice = await signedIn()
    const bob = await signedIn()
    const address = `${uniqueName('mail')}@example.com`
    await sendCode(alice.token, address)
    const code = await lastCodeFor(address)
    expect((await setEmail(bob.token, address, code)).res.status).toBe(400)
    expect((await setEmail(alice.token, `other-${address}`, code)).res.status).toBe(400)
    expect((await setEmail(alice.token, address.toUpperCase(), code)).res.status).toBe(200)
  })

  it('sends one code to several recipients; a resend within the cooldown is 429', async () => {
    const user = await signedIn()
    const a = `${uniqueName('a')}@example.com`
    const b = `${uniqueName('b')}@example.com`
    expect((await sendCode(user.token, [a, b])).res.status).toBe(200)
    const [message] = await readOutbox(fileRedis(), PREFIX)
    expect(message!.to).toEqual([a, b])
    const again = await sendCode(user.token, b)
    expect(again.res.status).toBe(429)
    expect(again.res.headers.get('Retry-After')).toMatch(/^\d+$/)
  })

  it('409 when the address belongs to someone else', async () => {
    const user = await signedIn()
    await sendCode(user.token, 'admin@example.com')
    const code = await lastCodeFor('admin@example.com')
    const taken = await setEmail(user.token, 'admin@example.com', code)
    expect(taken.res.status).toBe(409)
    expect(taken.body.msg).toBe('Email is already in use')
  })

  it('validates the bodies and needs a token', async () => {
    const user = await signedIn()
    expect((await sendCode(user.token, 'not-an-email')).res.status).toBe(422)
    expect((await sendCode(user.token, [])).res.status).toBe(422)
    expect((await api('POST', '/api/v1/emails/captcha', user.token, {})).res.status).toBe(422)
    const noCaptcha = await api('PUT', '/api/v1/sys/users/me/email', user.token, { email: 'x@example.com' })
    expect(noCaptcha.res.status).toBe(422)
    const anonymous = await call('/api/v1/emails/captcha', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ recipients: 'x@example.com' }),
    })
    expect(anonymous.status).toBe(401)
  })

  it('in production without a configured sender the request fails with 503 (details only in the log)', async () => {
    const user = await signedIn()
    const address = `${uniqueName('p')}@example.com`
    const { res, body } = await sendCode(user.token, address, { ENVIRONMENT: 'production' })
    expect(res.status).toBe(503)
    expect(body.code).toBe(503)
    expect(await fileRedis().exists(codeKey(user.id, address))).toBe(0)
  })

  it('uses a registered sender instead of the outbox; a failing one is a 503 that leaves no code behind', async () => {
    const user = await signedIn()
    const sent: EmailMessage[] = []
    registerEmailSender(() => ({ send: async (m) => void sent.push(m) }))
    try {
      const address = `${uniqueName('reg')}@example.com`
      expect((await sendCode(user.token, address, { ENVIRONMENT: 'production' })).res.status).toBe(200)
      expect(sent).toHaveLength(1)
      expect(sent[0]!.to).toEqual([address])
      const failing = `${uniqueName('fail')}@example.com`
      registerEmailSender(() => ({
        send: async () => {
          throw new Error('smtp down')
        },
      }))
      const failed = await sendCode(user.token, failing)
      expect(failed.res.status).toBe(503)
      expect(failed.body.msg).toBe('The email could not be sent, please try again later')
      // No cooldown holds the retry back.
      registerEmailSender(undefined)
      expect((await sendCode(user.token, failing)).res.status).toBe(200)
    } finally {
      registerEmailSender(undefined)
    }
  })
})
