/** The docs-UI login: query credentials, a raw (not enveloped) bearer token, no refresh cookie, no captcha. */
import { beforeAll, describe, expect, it } from 'vitest'
import { seedFileDatabase } from '../../helpers/database'
import { failure, send } from '../../helpers/harness'
import { authApi, codesWith } from './helpers'

beforeAll(seedFileDatabase)

describe('POST /auth/login/swagger', () => {
  it('returns a raw bearer token that works, without a refresh cookie, even with the captcha on', async () => {
    const client = authApi(undefined, { overrides: { LOGIN_CAPTCHA_ENABLED: 'true' } })
    const res = await client.auth.login.swagger.$post({ query: { username: 'admin', password: '123456' } })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(Object.keys(body).sort()).toEqual(['access_token', 'token_type', 'user'])
    expect(body.token_type).toBe('Bearer')
    expect(body.user.username).toBe('admin')
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect((await codesWith(body.access_token)).status).toBe(200)
  })

  it('refuses bad credentials with the same generic 403, and validates the query', async () => {
    const bad = await failure(authApi().auth.login.swagger.$post({ query: { username: 'admin', password: 'nope' } }))
    expect(bad.status).toBe(403)
    expect(bad.body.msg).toBe('Incorrect username or password')
    expect((await send('POST', '/api/v1/auth/login/swagger?username=admin')).status).toBe(422)
  })
})
