/**
 * The Socket.IO handshake at `/ws/socket.io` as fba's admin UI performs it (docs/fba-compatibility.md, "Realtime"):
 * Engine.IO v4 over a WebSocket, CONNECT to `/` (or fba's `/ws`) with `auth: {token, session_uuid}`, and the same
 * authentication rules as an HTTP request — a refused login gets Socket.IO's CONNECT_ERROR and the socket is closed.
 */
import { env } from 'cloudflare:workers'
import { z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import type { authRoutes } from '../../../src/domains/auth/routes.v1'
import { sysUser } from '../../../src/domains/users/schema'
import { login, seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { api } from '../../helpers/harness'
import { fileRedis } from '../../helpers/isolation'
import { expectLogs } from '../../helpers/logs'
import { connectAs, connectFrame, openSocket, socketPacket, upgrade } from './helpers'

const { admin } = seedAndSignIn(['admin']).sessions

/** CONNECTs with `auth` and expects a CONNECT_ERROR, then the socket closed; returns the error's payload. */
async function refused(
  auth: Record<string, unknown> | undefined,
  nsp = '/',
): Promise<{ message: string; data: unknown }> {
  const { socket } = await openSocket()
  socket.send(connectFrame(nsp, auth))
  const packet = socketPacket(await socket.next())
  expect(packet.type).toBe(4)
  expect(packet.nsp).toBe(nsp)
  const closed = await socket.waitClosed()
  expect(closed.code).toBe(1008)
  return z.object({ message: z.string(), data: z.unknown() }).parse(packet.data)
}

const forged = async (claims: { exp?: number; typ?: string } = {}) => {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ sid: admin.sessionUuid })
    .setProtectedHeader({ alg: 'HS256', typ: claims.typ ?? 'at+jwt' })
    .setIssuer('stratum')
    .setAudience('stratum-admin')
    .setSubject('1')
    .setJti('forged')
    .setIssuedAt(now - 120)
    .setNotBefore(now - 120)
    .setExpirationTime(claims.exp ?? now + 600)
    .sign(new TextEncoder().encode(String(env.JWT_SECRET)))
}

describe('the handshake', () => {
  it('opens with Engine.IO v4 values: websocket only, a heartbeat and a payload limit', async () => {
    const { socket, open } = await openSocket()
    expect(open).toEqual({
      sid: expect.stringMatching(/^\w{16,}$/),
      upgrades: [],
      pingInterval: 25_000,
      pingTimeout: 20_000,
      maxPayload: 65_536,
    })
    socket.close()
  })

  it('connects as the admin UI does: path /ws/socket.io/, namespace /, auth {token, session_uuid}', async () => {
    const { socket } = await openSocket()
    socket.send(`40${JSON.stringify({ session_uuid: admin.sessionUuid, token: admin.accessToken })}`)
    const ack = socketPacket(await socket.next())
    expect(ack).toEqual({ type: 0, nsp: '/', data: { sid: expect.stringMatching(/^\w{16,}$/) } })
    socket.close()
  })

  it("connects fba's /ws namespace too, and both on one socket", async () => {
    const { socket } = await connectAs(admin, { nsp: '/ws' })
    socket.send(connectFrame('/', { token: admin.accessToken, session_uuid: admin.sessionUuid }))
    expect(socketPacket(await socket.next())).toMatchObject({ type: 0, nsp: '/' })
    socket.close()
  })

  it('accepts auth without session_uuid (the token names its session)', async () => {
    const { socket } = await openSocket()
    socket.send(connectFrame('/', { token: admin.accessToken }))
    expect(socketPacket(await socket.next())).toMatchObject({ type: 0, nsp: '/' })
    socket.close()
  })

  it('answers an unknown namespace with "Invalid namespace" and keeps the socket', async () => {
    const { socket } = await openSocket()
    socket.send(connectFrame('/chat', { token: admin.accessToken }))
    expect(socketPacket(await socket.next())).toEqual({ type: 4, nsp: '/chat', data: { message: 'Invalid namespace' } })
    socket.send(connectFrame('/', { token: admin.accessToken }))
    expect(socketPacket(await socket.next())).toMatchObject({ type: 0, nsp: '/' })
    socket.close()
  })
})

describe('refused logins: CONNECT_ERROR with the HTTP message, then the socket closes', () => {
  it('no auth, or no token', async () => {
    expect(await refused(undefined)).toEqual({ message: 'Not authenticated', data: { code: 401 } })
    expect(await refused({ session_uuid: admin.sessionUuid })).toMatchObject({ data: { code: 401 } })
  })

  it('a bad token', async () => {
    expect(await refused({ token: 'not.a.jwt', session_uuid: admin.sessionUuid })).toEqual({
      message: 'Token is invalid',
      data: { code: 401 },
    })
  })

  it('an expired token', async () => {
    const token = await forged({ exp: Math.floor(Date.now() / 1000) - 60 })
    expect(await refused({ token, session_uuid: admin.sessionUuid })).toEqual({
      message: 'Token has expired',
      data: { code: 401 },
    })
  })

  it('a refresh token', async () => {
    const refreshToken = admin.refreshCookie.replace('fba_refresh_token=', '')
    expect(refreshToken).not.toBe('')
    expect(await refused({ token: refreshToken, session_uuid: admin.sessionUuid })).toEqual({
      message: 'Token is invalid',
      data: { code: 401 },
    })
    expect(await refused({ token: await forged({ typ: 'rt+jwt' }) })).toMatchObject({ data: { code: 401 } })
  })

  it('a revoked token (its session logged out)', async () => {
    const gone = await login('admin')
    const out = await api<typeof authRoutes>(gone.accessToken).auth.logout.$post()
    expect(out.status).toBe(200)
    expect(await refused({ token: gone.accessToken, session_uuid: gone.sessionUuid })).toEqual({
      message: 'Your session has ended, please log in again',
      data: { code: 401 },
    })
  })

  it("a session uuid that is not the token's", async () => {
    const other = await login('admin')
    expect(await refused({ token: admin.accessToken, session_uuid: other.sessionUuid })).toEqual({
      message: 'Token is invalid',
      data: { code: 401 },
    })
  })

  it('a locked user (403), in the language of the upgrade request', async () => {
    const test = await login('test')
    await fileDb().update(sysUser).set({ status: 0 }).where(eq(sysUser.username, 'test'))
    // What the users service does when it locks a user: the cached snapshot goes.
    await fileRedis().incr('stratum:authz:generation')
    try {
      const { socket } = await openSocket({ headers: { 'Accept-Language': 'zh-CN' } })
      socket.send(connectFrame('/ws', { token: test.accessToken, session_uuid: test.sessionUuid }))
      expect(socketPacket(await socket.next())).toEqual({
        type: 4,
        nsp: '/ws',
        data: { message: '用户已被锁定，请联系系统管理员', data: { code: 403 } },
      })
      expect((await socket.waitClosed()).code).toBe(1008)
    } finally {
      await fileDb().update(sysUser).set({ status: 1 }).where(eq(sysUser.username, 'test'))
    }
  })

  it('keeps the socket when another namespace on it is connected', async () => {
    const { socket } = await connectAs(admin)
    socket.send(connectFrame('/ws', { token: 'not.a.jwt' }))
    expect(socketPacket(await socket.next())).toMatchObject({ type: 4, nsp: '/ws' })
    await socket.quiet()
    expect(socket.isClosed).toBe(false)
    socket.close()
  })

  it('closes without CONNECT_ERROR when the login cannot be checked (Redis down): the client retries later', async () => {
    const logs = expectLogs({ msg: 'socket closed: login could not be checked' })
    const { socket } = await openSocket({ overrides: { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9/' } })
    socket.send(connectFrame('/', { token: admin.accessToken, session_uuid: admin.sessionUuid }))
    const closed = await socket.waitClosed(5000)
    expect(closed.code).toBe(1013)
    expect(socket.frames).toEqual([])
    expect(logs.entries).toHaveLength(1)
  })
})

describe('upgrade refusals (Engine.IO error answers)', () => {
  it.each([
    ['polling', '/ws/socket.io/?EIO=4&transport=polling', 400, { code: 0, message: 'Transport unknown' }],
    [
      'Engine.IO v3',
      '/ws/socket.io/?EIO=3&transport=websocket',
      400,
      { code: 5, message: 'Unsupported protocol version' },
    ],
    [
      'a polling session id',
      '/ws/socket.io/?EIO=4&transport=websocket&sid=abc',
      400,
      { code: 1, message: 'Session ID unknown' },
    ],
  ])('%s', async (_name, path, status, body) => {
    const res = await upgrade({ path })
    expect(res.status).toBe(status)
    expect(await res.json()).toEqual(body)
  })

  it('a plain GET without Upgrade', async () => {
    const res = await upgrade({ headers: { Upgrade: '' } })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ code: 3, message: 'Bad request' })
  })

  it('a page from an origin the API does not serve (same origin and CORS_ALLOWED_ORIGINS may connect)', async () => {
    const foreign = await upgrade({ headers: { Origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    expect(await foreign.json()).toEqual({ code: 4, message: 'Forbidden' })
    for (const origin of ['https://admin.example.com', 'http://localhost']) {
      const { socket } = await openSocket({ headers: { Origin: origin } })
      socket.close()
    }
  })

  it('the path without its trailing slash', async () => {
    const { socket } = await openSocket({ path: '/ws/socket.io?EIO=4&transport=websocket' })
    socket.close()
  })
})
