/** Refresh-token rotation with reuse detection. */
import { beforeAll, describe, expect, it } from 'vitest'
import { login, refreshCookieFrom } from '../../helpers/auth'
import { seedFileDatabase } from '../../helpers/database'
import { sleep } from '../../helpers/fixtures'
import { answer, failure } from '../../helpers/harness'
import { authApi, codesWith, refreshWith } from './helpers'

beforeAll(seedFileDatabase)

describe('POST /auth/refresh', () => {
  it('rotates: a new access token and a new refresh cookie; the old access token dies', async () => {
    const session = await login('admin')
    const res = await refreshWith(session.refreshCookie)
    const { status, data } = await answer(res)
    expect(status).toBe(200)
    expect(data.session_uuid).toBe(session.sessionUuid)
    expect(data.access_token).not.toBe(session.accessToken)
    const rotated = refreshCookieFrom(res)
    expect(rotated).toMatch(/^fba_refresh_token=ey/)
    expect(rotated).not.toBe(session.refreshCookie)
    expect((await codesWith(data.access_token)).status).toBe(200)
    expect((await codesWith(session.accessToken)).status).toBe(401)
    // …and the rotated cookie rotates again.
    expect((await refreshWith(rotated)).status).toBe(200)
  })

  it('works without any Authorization header, and with an expired one', async () => {
    const session = await login('admin')
    const headers = { Cookie: session.refreshCookie, Authorization: 'Bearer expired.or.garbage' }
    expect((await authApi(undefined, { headers }).auth.refresh.$post()).status).toBe(200)
  })

  it('tolerates the previous token inside the grace window (lost response)', async () => {
    const session = await login('admin')
    expect((await refreshWith(session.refreshCookie)).status).toBe(200)
    const retried = await refreshWith(session.refreshCookie)
    expect(retried.status).toBe(200)
  })

  it('detects reuse of a rotated token after the grace window and revokes the whole session', async () => {
    const session = await login('admin')
    const noGrace = { REFRESH_REUSE_GRACE_SECONDS: '0' }
    const first = await refreshWith(session.refreshCookie, noGrace)
    const current = (await answer(first)).data.access_token
    const currentCookie = refreshCookieFrom(first)
    await sleep(5)
    const replay = await failure(refreshWith(session.refreshCookie, noGrace))
    expect(replay.status).toBe(401)
    expect(replay.body.msg).toBe('Refresh token reuse detected; the session has been ended, please log in again')
    // The legitimate holder's tokens are dead too: the family is revoked.
    expect((await codesWith(current)).status).toBe(401)
    expect((await refreshWith(currentCookie, noGrace)).status).toBe(401)
  })

  it('answers a missing cookie with 400 and a garbage cookie with 401', async () => {
    expect((await refreshWith('')).status).toBe(400)
    expect((await refreshWith('fba_refresh_token=garbage')).status).toBe(401)
  })

  it('a logged-out session cannot refresh', async () => {
    const session = await login('admin')
    await authApi(undefined, { headers: { Cookie: session.refreshCookie } }).auth.logout.$post()
    expect((await refreshWith(session.refreshCookie)).status).toBe(401)
  })
})
