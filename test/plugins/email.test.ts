/**
 * The `email` plugin through the real protocol (docs/email.md): `POST /emails/captcha` sends over SMTP from the
 * Worker (`cloudflare:sockets`) to the local SMTP stand-in, the code read from the received mail confirms the email
 * change; the server comes from the environment or from the `config` plugin's `EMAIL` rows; an unreachable server is
 * a 503 that leaves no code behind.
 */
import { env } from 'cloudflare:workers'
import { inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { readOutbox } from '../../src/infra/email'
import type { configRoutes } from '../../src/plugins/config/routes.v1'
import { sysConfig } from '../../src/plugins/config/schema'
import { createUser, usersApi } from '../domains/users/helpers'
import { login, seedAndSignIn } from '../helpers/auth'
import { fileDb } from '../helpers/database'
import { unique } from '../helpers/fixtures'
import { answer, api, type ClientOptions, failure, send } from '../helpers/harness'
import { fileRedis } from '../helpers/isolation'
import { expectLogs } from '../helpers/logs'

const tokens = seedAndSignIn(['admin'])

const bindings = env as unknown as { TEST_SMTP_HOST: string; TEST_SMTP_PORT: string; TEST_SMTP_INBOX_URL: string }

/** SMTP to the stand-in, the environment's settings only (the seeded rows name smtp.qq.com). */
const SMTP_FROM_ENV = {
  EMAIL_TRANSPORT: 'smtp',
  EMAIL_HOST: bindings.TEST_SMTP_HOST,
  EMAIL_PORT: bindings.TEST_SMTP_PORT,
  EMAIL_SSL: 'false',
  EMAIL_USERNAME: 'app@example.com',
  EMAIL_PASSWORD: 'local',
  EMAIL_CONFIG_FROM_ENV: 'true',
}
/** A port nothing listens on. */
const DEAD_PORT = '1'

interface ReceivedMail {
  from: string
  to: string[]
  subject: string
  text: string
}

async function inbox(address: string): Promise<ReceivedMail[]> {
  const res = await fetch(`${bindings.TEST_SMTP_INBOX_URL}/messages?to=${encodeURIComponent(address)}`)
  return (await res.json()) as ReceivedMail[]
}

async function signedIn() {
  const user = await createUser()
  const { accessToken } = await login(user.username, user.password)
  return { ...user, token: accessToken }
}

const sendCode = (token: string, address: string, options: ClientOptions) =>
  usersApi(token, options).emails.captcha.$post({ json: { recipients: address } })

describe('POST /emails/captcha over SMTP', () => {
  it('delivers the code to the SMTP stand-in, and that code confirms the email change', async () => {
    const user = await signedIn()
    const address = `${unique('smtp')}@example.com`
    expect((await sendCode(user.token, address, { overrides: SMTP_FROM_ENV })).status).toBe(200)

    const [mail, ...more] = await inbox(address)
    expect(more).toEqual([])
    expect(mail).toMatchObject({ from: 'app@example.com', to: [address] })
    expect(mail!.subject).toContain('Stratum')
    const code = /\b(\d{6})\b/.exec(mail!.text)?.[1]
    expect(code, mail!.text).toMatch(/^\d{6}$/)

    const me = usersApi(user.token).sys.users.me
    expect((await me.email.$put({ json: { email: address, captcha: code! } })).status).toBe(200)
    expect((await answer(me.$get())).data.email).toBe(address)
  })

  it('while the plugin is off the app has no transport: mail goes to the dev outbox', async () => {
    const toggle = () => send('PUT', '/api/v1/sys/plugins/email/status', { token: tokens.admin })
    expect((await toggle()).status).toBe(200)
    try {
      const user = await signedIn()
      const address = `${unique('off')}@example.com`
      expect((await sendCode(user.token, address, { overrides: SMTP_FROM_ENV })).status).toBe(200)
      expect(await inbox(address)).toEqual([])
      const outbox = await readOutbox(fileRedis(), { REDIS_KEY_PREFIX: 'stratum' })
      expect(outbox.find((m) => m.to.includes(address))).toBeDefined()
    } finally {
      expect((await toggle()).status).toBe(200)
    }
  })

  it("uses the config plugin's EMAIL rows over the environment, unless EMAIL_CONFIG_STATUS is '0'", async () => {
    await fileDb()
      .update(sysConfig)
      .set({ value: bindings.TEST_SMTP_HOST })
      .where(inArray(sysConfig.key, ['EMAIL_HOST']))
    await fileDb()
      .update(sysConfig)
      .set({ value: bindings.TEST_SMTP_PORT })
      .where(inArray(sysConfig.key, ['EMAIL_PORT']))
    await fileDb()
      .update(sysConfig)
      .set({ value: 'false' })
      .where(inArray(sysConfig.key, ['EMAIL_SSL']))
    // The environment names a server that is not there: only the rows can deliver.
    const envDead = { overrides: { ...SMTP_FROM_ENV, EMAIL_PORT: DEAD_PORT, EMAIL_CONFIG_FROM_ENV: 'false' } }
    const user = await signedIn()
    const address = `${unique('rows')}@example.com`
    expect((await sendCode(user.token, address, envDead)).status).toBe(200)
    const [mail] = await inbox(address)
    // The seeded EMAIL_USERNAME row is the sender.
    expect(mail).toMatchObject({ from: 'fba@qq.com', to: [address] })

    // Status '0' through the API (which drops the cached rows): the environment's dead server applies.
    const configs = api<typeof configRoutes>(tokens.admin).sys.configs
    const { data } = await answer(configs.all.$get({ query: { type: 'EMAIL' } }))
    const status = data.find((r) => r.key === 'EMAIL_CONFIG_STATUS')!
    const { id: _id, created_time: _c, updated_time: _u, ...row } = status
    const put = await configs[':pk'].$put({ param: { pk: String(status.id) }, json: { ...row, value: '0' } })
    expect(put.status).toBe(200)
    const logs = expectLogs({ msg: 'request failed', status: 503 })
    const other = `${unique('dead')}@example.com`
    const failed = await failure(sendCode(user.token, other, envDead))
    expect(failed.status).toBe(503)
    expect(failed.body.data).toMatchObject({ service: 'email', reason: 'unreachable' })
    expect(logs.entries).toHaveLength(1)
    expect(await inbox(other)).toEqual([])
    // No code was kept: a retry is not held back by the cooldown.
    expect((await sendCode(user.token, other, { overrides: SMTP_FROM_ENV })).status).toBe(200)
  })
})
