/** The negative token suite: every malformed, forged, expired or revoked token is a 401. */
import { env } from 'cloudflare:workers'
import { SignJWT, UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { login, seedAndSignIn } from '../../helpers/auth'
import { answer, failure } from '../../helpers/harness'
import { authApi, codesWith } from './helpers'

const secret = new TextEncoder().encode(String(env.JWT_SECRET))
const { admin: session } = seedAndSignIn(['admin']).sessions

function forge(
  overrides: { header?: Record<string, unknown>; claims?: Record<string, unknown>; key?: Uint8Array } = {},
) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ sid: session.sessionUuid, ...overrides.claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', ...overrides.header } as { alg: string })
    .setIssuer((overrides.claims?.iss as string) ?? 'stratum')
    .setAudience((overrides.claims?.aud as string) ?? 'stratum-admin')
    .setSubject('1')
    .setJti('forged')
    .setIssuedAt(now)
    .setNotBefore((overrides.claims?.nbf as number) ?? now)
    .setExpirationTime((overrides.claims?.exp as number) ?? now + 600)
    .sign(overrides.key ?? secret)
}

describe('access token checks', () => {
  it('accepts the real token', async () => {
    const { status, data } = await answer(codesWith(session.accessToken))
    expect(status).toBe(200)
    expect(data).toContain('sys:user:del')
  })

  it('rejects a missing or non-Bearer Authorization header', async () => {
    expect((await authApi().auth.codes.$get()).status).toBe(401)
    const headers = { Authorization: `Basic ${btoa('admin:123456')}` }
    const basic = await authApi(undefined, { headers }).auth.codes.$get()
    expect(basic.status).toBe(401)
    expect(basic.headers.get('WWW-Authenticate')).toBe('Bearer')
  })

  it.each([
    [
      'alg none',
      () =>
        Promise.resolve(
          new UnsecuredJWT({ sid: 'x' })
            .setSubject('1')
            .setIssuer('stratum')
            .setAudience('stratum-admin')
            .setExpirationTime('10m')
            .encode(),
        ),
    ],
    ['HS512 with the right secret', () => forge({ header: { alg: 'HS512' } })],
    ['a wrong signature', () => forge({ key: new TextEncoder().encode('another-secret-another-secret-xx') })],
    ['an expired token', () => forge({ claims: { exp: Math.floor(Date.now() / 1000) - 60 } })],
    ['a not-yet-valid token', () => forge({ claims: { nbf: Math.floor(Date.now() / 1000) + 600 } })],
    ['a wrong issuer', () => forge({ claims: { iss: 'evil' } })],
    ['a wrong audience', () => forge({ claims: { aud: 'other-app' } })],
    ['a wrong typ', () => forge({ header: { typ: 'JWT' } })],
    ['a refresh-typed token', () => forge({ header: { typ: 'rt+jwt' } })],
    ['garbage', () => Promise.resolve('not.a.jwt')],
  ])('rejects %s with 401', async (_name, make) => {
    const { status, body } = await failure(codesWith(await make()))
    expect(status).toBe(401)
    expect(body.code).toBe(401)
  })

  it('says "expired" for an expired token', async () => {
    const { body } = await failure(codesWith(await forge({ claims: { exp: Math.floor(Date.now() / 1000) - 60 } })))
    expect(body.msg).toBe('Token has expired')
  })

  it('rejects a correctly signed token whose jti is not the session’s current one', async () => {
    const { status, body } = await failure(codesWith(await forge()))
    expect(status).toBe(401)
    expect(body.msg).toBe('Your session has ended, please log in again')
  })

  it('rejects the refresh token used as an access token', async () => {
    const refresh = session.refreshCookie.split('=')[1] ?? ''
    expect((await codesWith(refresh)).status).toBe(401)
  })

  it('rejects the token of a revoked (logged-out) session', async () => {
    const other = await login('admin')
    const logout = await authApi(other.accessToken).auth.logout.$post()
    expect(logout.status).toBe(200)
    expect(logout.headers.get('Set-Cookie')).toMatch(/fba_refresh_token=;.*Max-Age=0/)
    expect((await codesWith(other.accessToken)).status).toBe(401)
    expect((await codesWith(session.accessToken)).status).toBe(200)
  })
})
