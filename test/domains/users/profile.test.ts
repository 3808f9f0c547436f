/**
 * The caller's own nickname, avatar and email, with the code from POST /emails/captcha (docs/fba-compatibility.md,
 * "Users" and "Email"; D14).
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysUser } from '../../../src/domains/users/schema'
import { registerEmailSender } from '../../../src/http/email'
import { type EmailMessage, readOutbox } from '../../../src/infra/email'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { sleep, unique } from '../../helpers/fixtures'
import { answer, type ClientOptions, failure, send } from '../../helpers/harness'
import { fileRedis } from '../../helpers/isolation'
import { expectLogs } from '../../helpers/logs'
import { asAdmin, createUser, usersApi } from './helpers'

beforeAll(seedFileDatabase)

const PREFIX = { REDIS_KEY_PREFIX: 'stratum' }
const codeKey = (userId: number, address: string) => `stratum:user:${userId}:email-code:${address.toLowerCase()}`

async function signedIn() {
  const user = await createUser()
  const { accessToken } = await login(user.username, user.password)
  return { ...user, token: accessToken, api: usersApi(accessToken) }
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

const sendCode = (token: string, recipients: string | string[], options?: ClientOptions) =>
  usersApi(token, options).emails.captcha.$post({ json: { recipients } })

const setEmail = (token: string, email: string, captcha: string) =>
  usersApi(token).sys.users.me.email.$put({ json: { email, captcha } })

describe('PUT /sys/users/me/nickname and /avatar', () => {
  it('updates the caller and the next /me shows it at once (snapshot dropped)', async () => {
    const user = await signedIn()
    const me = user.api.sys.users.me
    const warm = await answer(me.$get())
    expect(warm.data).toMatchObject({ nickname: user.username, avatar: null })
    const [before] = await fileDb().select().from(sysUser).where(eq(sysUser.id, user.id))
    const nick = await answer(me.nickname.$put({ json: { nickname: 'New Nick' } }))
    expect(nick.status).toBe(200)
    expect(nick.body).toMatchObject({ code: 200, data: null })
    const avatar = await me.avatar.$put({ json: { avatar: '/static/upload/a.png' } })
    expect(avatar.status).toBe(200)
    const after = await answer(me.$get())
    expect(after.data).toMatchObject({ nickname: 'New Nick', avatar: '/static/upload/a.png' })
    // Only a login moves last_login_time (docs/fba-compatibility.md, D9).
    const [row] = await fileDb().select().from(sysUser).where(eq(sysUser.id, user.id))
    expect(row?.lastLoginTime?.getTime()).toBe(before?.lastLoginTime?.getTime())
    expect(row?.updatedTime).not.toBeNull()
  })

  it('validates the bodies and needs a token', async () => {
    const user = await signedIn()
    for (const [path, body, loc] of [
      ['/api/v1/sys/users/me/nickname', {}, ['body', 'nickname']],
      ['/api/v1/sys/users/me/nickname', { nickname: '' }, ['body', 'nickname']],
      ['/api/v1/sys/users/me/nickname', { nickname: 'x'.repeat(65) }, ['body', 'nickname']],
      ['/api/v1/sys/users/me/avatar', { avatar: '' }, ['body', 'avatar']],
    ] as const) {
      const { status, errors } = await failure(send('PUT', path, { token: user.token, json: body }))
      expect(status, JSON.stringify(body)).toBe(422)
      expect(errors[0]?.loc).toEqual(loc)
    }
    const anonymous = await usersApi().sys.users.me.nickname.$put({ json: { nickname: 'x' } })
    expect(anonymous.status).toBe(401)
  })

  it('takes only http(s), same-origin or data:image avatars, here and in the admin update (422 otherwise)', async () => {
    const user = await signedIn()
    const me = user.api.sys.users.me
    const refused = [
      'javascript:alert(document.cookie)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'data:image/svg+xml;base64,PHN2Zy8+',
      'file:///etc/passwd',
      'ftp://example.com/a.png',
      'not a url',
    ]
    for (const avatar of refused) {
      const { status, errors } = await failure(me.avatar.$put({ json: { avatar } }))
      expect(status, avatar).toBe(422)
      expect(errors[0]).toMatchObject({ loc: ['body', 'avatar'], msg: 'Must be an http(s) URL or a data:image URL' })
    }
    for (const avatar of [
      'https://cdn.example.com/a.png',
      'http://example.com/a.jpg',
      '/static/upload/b.png',
      'data:image/png;base64,iVBORw0KGgo=',
    ]) {
      expect((await me.avatar.$put({ json: { avatar } })).status, avatar).toBe(200)
    }
    expect((await answer(me.$get())).data.avatar).toBe('data:image/png;base64,iVBORw0KGgo=')

    const update = (avatar: string) =>
      asAdmin().then((client) =>
        client.sys.users[':pk'].$put({
          param: { pk: String(user.id) },
          json: { username: user.username, nickname: 'n', avatar, roles: [] },
        }),
      )
    expect((await failure(update('javascript:alert(1)'))).status).toBe(422)
    expect((await update('https://cdn.example.com/c.png')).status).toBe(200)
  })
})

describe('POST /emails/captcha + PUT /sys/users/me/email', () => {
  it('sends a 6-digit code through the dev outbox and confirms the change with it', async () => {
    const user = await signedIn()
    const address = `${unique('mail')}@example.com`
    const sent = await answer(sendCode(user.token, address))
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    expect(sent.body).toMatchObject({ code: 200, data: null })
    const [message] = await readOutbox(fileRedis(), PREFIX)
    expect(message).toMatchObject({ to: [address], subject: 'Stratum verification code' })
    expect(message!.text).toMatch(/^Your verification code is \d{6}\. It expires in 3 minute\(s\)\.$/)
    // Stored per user and address, with a TTL.
    const ttl = await fileRedis().ttl(codeKey(user.id, address))
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(180)

    const code = await lastCodeFor(address)
    const { status, body } = await answer(setEmail(user.token, address, code))
    expect(status, JSON.stringify(body)).toBe(200)
    const me = await answer(user.api.sys.users.me.$get())
    expect(me.data).toMatchObject({ email: address })
    // The code is used up.
    const again = await failure(setEmail(user.token, address, code))
    expect(again.status).toBe(400)
    expect(again.body.msg).toBe('The verification code has expired, please request a new one')
  })

  it('a wrong code is 400 with code 40001; five wrong guesses burn the code', async () => {
    const user = await signedIn()
    const address = `${unique('mail')}@example.com`
    await sendCode(user.token, address)
    const code = await lastCodeFor(address)
    const wrong = code === '000000' ? '111111' : '000000'
    const first = await failure(setEmail(user.token, address, wrong))
    expect(first.status).toBe(400)
    expect(first.body).toMatchObject({ code: 40001, msg: 'Captcha error' })
    for (let i = 0; i < 4; i++) expect((await failure(setEmail(user.token, address, wrong))).body.code).toBe(40001)
    const burnt = await failure(setEmail(user.token, address, code))
    expect(burnt.status).toBe(400)
    expect(burnt.body).toMatchObject({ code: 400, msg: 'The verification code has expired, please request a new one' })
  })

  it('an expired (or never requested) code is 400', async () => {
    const user = await signedIn()
    const address = `${unique('mail')}@example.com`
    const never = await failure(setEmail(user.token, address, '123456'))
    expect(never.status).toBe(400)
    expect(never.body.msg).toBe('The verification code has expired, please request a new one')
    await sendCode(user.token, address)
    const code = await lastCodeFor(address)
    await fileRedis().pexpire(codeKey(user.id, address), 1)
    await sleep(20)
    const expired = await failure(setEmail(user.token, address, code))
    expect(expired.status).toBe(400)
    expect(expired.body.msg).toBe('The verification code has expired, please request a new one')
  })

  it("keys codes by user and address (D14): another user can't use them, nor another address", async () => {
    const alice = await signedIn()
    const bob = await signedIn()
    const address = `${unique('mail')}@example.com`
    await sendCode(alice.token, address)
    const code = await lastCodeFor(address)
    expect((await setEmail(bob.token, address, code)).status).toBe(400)
    expect((await setEmail(alice.token, `other-${address}`, code)).status).toBe(400)
    expect((await setEmail(alice.token, address.toUpperCase(), code)).status).toBe(200)
  })

  it('sends one code to several recipients; a resend within the cooldown is 429', async () => {
    const user = await signedIn()
    const a = `${unique('a')}@example.com`
    const b = `${unique('b')}@example.com`
    expect((await sendCode(user.token, [a, b])).status).toBe(200)
    const [message] = await readOutbox(fileRedis(), PREFIX)
    expect(message!.to).toEqual([a, b])
    const again = await sendCode(user.token, b)
    expect(again.status).toBe(429)
    expect(again.headers.get('Retry-After')).toMatch(/^\d+$/)
  })

  it('limits the sending per user (RATE_LIMIT_EMAIL_CAPTCHA): 429 in the envelope with Retry-After, nothing sent', async () => {
    // A sliding window weighs the previous one: keep the calls clear of an hour's edge.
    const into = Date.now() % 3_600_000
    if (into > 3_590_000) await sleep(3_600_000 - into + 50)
    const limited = { overrides: { RATE_LIMIT_EMAIL_CAPTCHA: '2/1h' } }
    const user = await signedIn()
    for (let i = 0; i < 2; i++) {
      expect((await sendCode(user.token, `${unique('rl')}@example.com`, limited)).status).toBe(200)
    }
    const address = `${unique('rl')}@example.com`
    const third = sendCode(user.token, address, limited)
    const { status, body } = await failure(third)
    expect(status).toBe(429)
    expect(body).toMatchObject({ code: 429, msg: 'Too many requests, please try again later', data: null })
    const res = await third
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect(res.headers.get('RateLimit-Limit')).toBe('2')
    // Refused before the handler: nothing went out, no code is stored.
    expect((await readOutbox(fileRedis(), PREFIX)).some((m) => m.to.includes(address))).toBe(false)
    expect(await fileRedis().exists(codeKey(user.id, address))).toBe(0)
    // Counted per user: another user from the same address still sends.
    const other = await signedIn()
    expect((await sendCode(other.token, `${unique('rl')}@example.com`, limited)).status).toBe(200)
  })

  it('409 when the address belongs to someone else', async () => {
    const user = await signedIn()
    await sendCode(user.token, 'admin@example.com')
    const code = await lastCodeFor('admin@example.com')
    const taken = await failure(setEmail(user.token, 'admin@example.com', code))
    expect(taken.status).toBe(409)
    expect(taken.body.msg).toBe('Email is already in use')
  })

  it('validates the bodies and needs a token', async () => {
    const user = await signedIn()
    expect((await sendCode(user.token, 'not-an-email')).status).toBe(422)
    expect((await sendCode(user.token, [])).status).toBe(422)
    expect((await send('POST', '/api/v1/emails/captcha', { token: user.token, json: {} })).status).toBe(422)
    const noCaptcha = await send('PUT', '/api/v1/sys/users/me/email', {
      token: user.token,
      json: { email: 'x@example.com' },
    })
    expect(noCaptcha.status).toBe(422)
    const anonymous = await usersApi().emails.captcha.$post({ json: { recipients: 'x@example.com' } })
    expect(anonymous.status).toBe(401)
  })

  it('in production without a configured sender the request fails with 503 (details only in the log)', async () => {
    const user = await signedIn()
    const address = `${unique('p')}@example.com`
    const logs = expectLogs({ msg: 'request failed', status: 503 })
    const { status, body } = await failure(sendCode(user.token, address, { overrides: { ENVIRONMENT: 'production' } }))
    expect(status).toBe(503)
    expect(body.code).toBe(503)
    expect(logs.entries).toMatchObject([{ message: 'email.sender_unavailable' }])
    expect(await fileRedis().exists(codeKey(user.id, address))).toBe(0)
  })

  it('uses a registered sender instead of the outbox; a failing one is a 503 that leaves no code behind', async () => {
    const user = await signedIn()
    const sent: EmailMessage[] = []
    registerEmailSender(() => ({ send: async (m) => void sent.push(m) }))
    try {
      const address = `${unique('reg')}@example.com`
      const production = { overrides: { ENVIRONMENT: 'production' } }
      expect((await sendCode(user.token, address, production)).status).toBe(200)
      expect(sent).toHaveLength(1)
      expect(sent[0]!.to).toEqual([address])
      const failing = `${unique('fail')}@example.com`
      registerEmailSender(() => ({
        send: async () => {
          throw new Error('smtp down')
        },
      }))
      const logs = expectLogs({ msg: 'request failed', status: 503 })
      const failed = await failure(sendCode(user.token, failing))
      expect(failed.status).toBe(503)
      expect(logs.entries).toMatchObject([{ message: 'smtp down' }])
      expect(failed.body.msg).toBe('The email could not be sent, please try again later')
      // No cooldown holds the retry back.
      registerEmailSender(undefined)
      expect((await sendCode(user.token, failing)).status).toBe(200)
    } finally {
      registerEmailSender(undefined)
    }
  })
})
