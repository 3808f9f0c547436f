/**
 * The docs-UI login: query credentials, a raw (not enveloped) bearer token, no refresh cookie; it obeys the captcha
 * (read through the captcha's image URL) and is off in production unless configured on.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { seedFileDatabase } from '../../helpers/database'
import { answer, failure, send } from '../../helpers/harness'
import { fileRedis } from '../../helpers/isolation'
import { authApi, codesWith } from './helpers'

beforeAll(seedFileDatabase)

const CAPTCHA_ON = { LOGIN_CAPTCHA_ENABLED: 'true' }
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47]

const swaggerLogin = (query: { username: string; password: string; uuid?: string; captcha?: string }, overrides = {}) =>
  authApi(undefined, { overrides }).auth.login.swagger.$post({ query })

describe('POST /auth/login/swagger', () => {
  it('returns a raw bearer token that works, without a refresh cookie', async () => {
    const res = await swaggerLogin({ username: 'admin', password: '123456' })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(Object.keys(body).sort()).toEqual(['access_token', 'token_type', 'user'])
    expect(body.token_type).toBe('Bearer')
    expect(body.user.username).toBe('admin')
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect((await codesWith(body.access_token)).status).toBe(200)
  })

  it('refuses bad credentials with the same generic 403, and validates the query', async () => {
    const bad = await failure(swaggerLogin({ username: 'admin', password: 'nope' }))
    expect(bad.status).toBe(403)
    expect(bad.body.msg).toBe('Incorrect username or password')
    expect((await send('POST', '/api/v1/auth/login/swagger?username=admin')).status).toBe(422)
  })

  it('obeys the captcha when it is on; the docs UI reads the code from the image URL, shown once', async () => {
    const missing = await failure(swaggerLogin({ username: 'admin', password: '123456' }, CAPTCHA_ON))
    expect(missing.status).toBe(400)
    expect(missing.body.msg).toBe('Captcha is invalid, please try again')

    const { data } = await answer(authApi(undefined, { overrides: CAPTCHA_ON }).auth.captcha.$get())
    const image = await send('GET', `/api/v1/auth/captcha/${data.uuid}/image`)
    expect(image.status).toBe(200)
    expect(image.headers.get('Content-Type')).toBe('image/png')
    expect(image.headers.get('Cache-Control')).toBe('no-store')
    expect([...new Uint8Array(await image.arrayBuffer()).slice(0, 4)]).toEqual(PNG_SIGNATURE)
    // A second rendering of the same code would give an OCR script another sample to combine.
    const again = await failure(send('GET', `/api/v1/auth/captcha/${data.uuid}/image`))
    expect(again.status).toBe(400)
    expect(again.body.msg).toBe('Captcha has expired, please try again')

    const code = String(await fileRedis().get<string>(`stratum:captcha:${data.uuid}`))
    const wrong = await failure(
      swaggerLogin(
        { username: 'admin', password: '123456', uuid: data.uuid, captcha: code === 'AAAA' ? 'BBBB' : 'AAAA' },
        CAPTCHA_ON,
      ),
    )
    expect(wrong.body).toMatchObject({ code: 40001, msg: 'Captcha error' })

    const fresh = await answer(authApi(undefined, { overrides: CAPTCHA_ON }).auth.captcha.$get())
    const freshCode = String(await fileRedis().get<string>(`stratum:captcha:${fresh.data.uuid}`))
    const solved = await swaggerLogin(
      { username: 'admin', password: '123456', uuid: fresh.data.uuid, captcha: freshCode },
      CAPTCHA_ON,
    )
    expect(solved.status).toBe(200)
    expect((await codesWith((await solved.json()).access_token)).status).toBe(200)
  })

  it('answers an unknown or malformed captcha id of the image URL with 400 / 422', async () => {
    expect((await failure(send('GET', `/api/v1/auth/captcha/${crypto.randomUUID()}/image`))).status).toBe(400)
    expect((await failure(send('GET', '/api/v1/auth/captcha/not-a-uuid/image'))).status).toBe(422)
  })

  it('is off in production unless SWAGGER_LOGIN_ENABLED turns it on, and can be switched off elsewhere', async () => {
    const production = { ENVIRONMENT: 'production' }
    const off = await failure(swaggerLogin({ username: 'admin', password: '123456' }, production))
    expect(off.status).toBe(404)
    expect(off.body.msg).toBe('No route matches POST /api/v1/auth/login/swagger')
    // Off means off: the parameters are not even looked at.
    const noParams = await send('POST', '/api/v1/auth/login/swagger', { overrides: production })
    expect(noParams.status).toBe(404)

    const optedIn = await swaggerLogin(
      { username: 'admin', password: '123456' },
      { ...production, SWAGGER_LOGIN_ENABLED: 'true' },
    )
    expect(optedIn.status).toBe(200)

    const switchedOff = await swaggerLogin(
      { username: 'admin', password: '123456' },
      { SWAGGER_LOGIN_ENABLED: 'false' },
    )
    expect(switchedOff.status).toBe(404)
  })
})
