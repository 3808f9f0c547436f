/** Refresh-token rotation with reuse detection. */
import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/core/config'
import type { Session } from '../../../src/domains/auth/sessions'
import { redisKeys } from '../../../src/infra/redis-keys'
import { login, refreshCookieFrom } from '../../helpers/auth'
import { seedFileDatabase } from '../../helpers/database'
import { sleep } from '../../helpers/fixtures'
import { answer, failure } from '../../helpers/harness'
import { fileRedis } from '../../helpers/isolation'
import { expectLogs } from '../../helpers/logs'
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

  it('rewrites the session as a login writes it: record and user index living as long as it, ranked online by its end', async () => {
    const { sessionUuid, refreshCookie } = await login('admin')
    expect((await refreshWith(refreshCookie)).status).toBe(200)
    const redis = fileRedis()
    const keys = redisKeys(loadConfig({}))
    const session = await redis.get<Session>(keys.session(sessionUuid))
    if (!session) throw new Error('the rotated session is gone')
    expect(session.rotatedAt).toEqual(expect.any(Number))
    const userSessions = keys.userSessions(session.userId)
    const [ttl, indexTtl, indexed, online] = await Promise.all([
      redis.ttl(keys.session(sessionUuid)),
      redis.ttl(userSessions),
      redis.sismember(userSessions, sessionUuid),
      redis.zscore(keys.allSessions(), sessionUuid),
    ])
    // Seconds left until the session ends (a slow machine may have spent some of them since the write).
    const left = Math.ceil((session.expiresAt - Date.now()) / 1000)
    for (const seconds of [ttl, indexTtl]) expect(seconds).toBeGreaterThanOrEqual(left - 60)
    for (const seconds of [ttl, indexTtl]) expect(seconds).toBeLessThanOrEqual(left + 1)
    expect(indexed).toBe(1)
    expect(online).toBe(session.expiresAt)
  })

  it('works without any Authorization header, and with an expired one', async () => {
    const session = await login('admin')
    const headers = { Cookie: session.refreshCookie, Authorization: 'Bearer expired.or.garbage' }
    expect((await authApi(undefined, { headers }).auth.refresh.$post()).status).toBe(200)
  })

  it('answers a retry with the previous token inside the grace window with an access token only', async () => {
    // A response lost in transit, or a second tab refreshing with the cookie a moment too early.
    const session = await login('admin')
    const first = await refreshWith(session.refreshCookie)
    const rotated = await answer(first)
    const currentCookie = refreshCookieFrom(first)
    const retry = await refreshWith(session.refreshCookie)
    const retried = await answer(retry)
    expect(retried.status).toBe(200)
    expect(retried.data.session_uuid).toBe(session.sessionUuid)
    // The retry can go on working…
    expect((await codesWith(retried.data.access_token)).status).toBe(200)
    // …and expires no later than the access token of the rotation it repeats.
    expect(retried.data.access_token_expire_time <= rotated.data.access_token_expire_time).toBe(true)
    // The current cookie (which a second tab shares) still rotates.
    expect((await refreshWith(currentCookie)).status).toBe(200)
  })

  it('never hands a replayed token inside the grace window the current refresh token, nor ends the legitimate one', async () => {
    const session = await login('admin')
    const legitimate = await refreshWith(session.refreshCookie)
    const legitimateAccess = (await answer(legitimate)).data.access_token
    const legitimateCookie = refreshCookieFrom(legitimate)
    const replay = await refreshWith(session.refreshCookie)
    expect(replay.status).toBe(200)
    // No refresh cookie: the replayer cannot extend the family…
    expect(replay.headers.get('Set-Cookie')).toBeNull()
    // …and the legitimate client keeps both its access token and its refresh token.
    expect((await codesWith(legitimateAccess)).status).toBe(200)
    const next = await refreshWith(legitimateCookie)
    expect(next.status).toBe(200)
    // The replayer's access token dies with that rotation, like the legitimate one it copied.
    expect((await codesWith((await answer(replay)).data.access_token)).status).toBe(401)
  })

  it('detects reuse of a rotated token after the grace window and revokes the whole session', async () => {
    const session = await login('admin')
    const noGrace = { REFRESH_REUSE_GRACE_SECONDS: '0' }
    const first = await refreshWith(session.refreshCookie, noGrace)
    const current = (await answer(first)).data.access_token
    const currentCookie = refreshCookieFrom(first)
    await sleep(5)
    const logs = expectLogs({ msg: 'refresh token reuse: session revoked' })
    const replay = await failure(refreshWith(session.refreshCookie, noGrace))
    expect(replay.status).toBe(401)
    expect(logs.entries).toHaveLength(1)
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
