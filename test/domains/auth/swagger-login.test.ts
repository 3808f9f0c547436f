/** The docs-UI login: query credentials, a raw (not enveloped) bearer token, no refresh cookie, no captcha. */
import { beforeAll, describe, expect, it } from 'vitest'
import { call, callJson } from '../../helpers/app'
import { authed } from '../../helpers/auth'
import { seedFileDatabase } from '../../helpers/database'

beforeAll(seedFileDatabase)

describe('POST /auth/login/swagger', () => {
  it('returns a raw bearer token that works, without a refresh cookie, even with the captcha on', async () => {
    const res = await call(
      '/api/v1/auth/login/swagger?username=admin&password=123456',
      { method: 'POST' },
      {
        LOGIN_CAPTCHA_ENABLED: 'true',
      },
    )
    expect(res.status).toBe(200)
    const body = (await res.json()) as { access_token: string; token_type: string; user: { username: string } }
    expect(Object.keys(body).sort()).toEqual(['access_token', 'token_type', 'user'])
    expect(body.token_type).toBe('Bearer')
    expect(body.user.username).toBe('admin')
    expect(res.headers.get('Set-Cookie')).toBeNull()
    expect((await authed('/api/v1/auth/codes', body.access_token)).status).toBe(200)
  })

  it('refuses bad credentials with the same generic 403, and validates the query', async () => {
    const bad = await callJson('/api/v1/auth/login/swagger?username=admin&password=nope', { method: 'POST' })
    expect(bad.res.status).toBe(403)
    expect(bad.body.msg).toBe('Incorrect username or password')
    expect((await callJson('/api/v1/auth/login/swagger?username=admin', { method: 'POST' })).res.status).toBe(422)
  })
})
