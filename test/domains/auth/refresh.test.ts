/** Refresh-token rotation with reuse detection. */
import { beforeAll, describe, expect, it } from 'vitest'
import { callJson } from '../../helpers/app'
import { authed, login, refreshCookieFrom } from '../../helpers/auth'
import { seedFileDatabase } from '../../helpers/database'

beforeAll(seedFileDatabase)

const refresh = (cookie: string, overrides = {}) =>
  callJson('/api/v1/auth/refresh', { method: 'POST', headers: cookie ? { Cookie: cookie } : {} }, overrides)

describe('POST /auth/refresh', () => {
  it('rotates: a new access token and a new refresh cookie; the old access token dies', async () => {
    const session = await login('admin')
    const { res, body } = await refresh(session.refreshCookie)
    expect(res.status).toBe(200)
    const data = body.data as { access_token: string; session_uuid: string; access_token_expire_time: string }
    expect(data.session_uuid).toBe(session.sessionUuid)
    expect(data.access_token).not.toBe(session.accessToken)
    const rotated = refreshCookieFrom(res)
    expect(rotated).toMatch(/^fba_refresh_token=ey/)
    expect(rotated).not.toBe(session.refreshCookie)
    expect((await authed('/api/v1/auth/codes', data.access_token)).status).toBe(200)
    expect((await authed('/api/v1/auth/codes', session.accessToken)).status).toBe(401)
    // …and the rotated cookie rotates again.
    expect((await refresh(rotated)).res.status).toBe(200)
  })

  it('works without any Authorization header, and with an expired one', async () => {
    const session = await login('admin')
    const res = await callJson('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { Cookie: session.refreshCookie, Authorization: 'Bearer expired.or.garbage' },
    })
    expect(res.res.status).toBe(200)
  })

  it('tolerates the previous token inside the grace window (lost response)', async () => {
    const session = await login('admin')
    expect((await refresh(session.refreshCookie)).res.status).toBe(200)
    const retried = await refresh(session.refreshCookie)
    expect(retried.res.status).toBe(200)
  })

  it('detects reuse of a rotated token after the grace window and revokes the whole session', async () => {
    const session = await login('admin')
    const noGrace = { REFRESH_REUSE_GRACE_SECONDS: '0' }
    const first = await refresh(session.refreshCookie, noGrace)
    const current = (first.body.data as { access_token: string }).access_token
    const currentCookie = refreshCookieFrom(first.res)
    await new Promise((r) => setTimeout(r, 5))
    const replay = await refresh(session.refreshCookie, noGrace)
    expect(replay.res.status).toBe(401)
    expect(replay.body.msg).toBe('Refresh token reuse detected; the session has been ended, please log in again')
    // The legitimate holder's tokens are dead too: the family is revoked.
    expect((await authed('/api/v1/auth/codes', current)).status).toBe(401)
    expect((await refresh(currentCookie, noGrace)).res.status).toBe(401)
  })

  it('answers a missing cookie with 400 and a garbage cookie with 401', async () => {
    expect((await refresh('')).res.status).toBe(400)
    expect((await refresh('fba_refresh_token=garbage')).res.status).toBe(401)
  })

  it('a logged-out session cannot refresh', async () => {
    const session = await login('admin')
    await callJson('/api/v1/auth/logout', { method: 'POST', headers: { Cookie: session.refreshCookie } })
    expect((await refresh(session.refreshCookie)).res.status).toBe(401)
  })
})
