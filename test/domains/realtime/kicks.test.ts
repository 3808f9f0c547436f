/**
 * Kicks (docs/realtime.md, "Kicks"): every path that ends a login session closes that session's sockets at once —
 * the client gets Socket.IO's DISCONNECT (so it does not reconnect), then the close. The session store does it
 * (src/domains/auth/sessions.ts), so forced logout, logout, password change and reset, disabling, deleting, switching
 * multi-login off, a new login without multi-login and the `users.end-sessions` consumer all kick without code of
 * their own.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { authRoutes } from '../../../src/domains/auth/routes.v1'
import { SessionStore } from '../../../src/domains/auth/sessions'
import type { monitorRoutes } from '../../../src/domains/monitors/routes.v1'
import type { userRoutes } from '../../../src/domains/users/routes.v1'
import { redisKeys } from '../../../src/infra/redis-keys'
import { login, seedAndSignIn } from '../../helpers/auth'
import { deliverAll } from '../../helpers/deliveries'
import { api } from '../../helpers/harness'
import { fileRedis } from '../../helpers/isolation'
import { fileConfig } from '../tasks/direct-submit'
import { asAdmin, createUser } from '../users/helpers'
import { connectAs, fileRealtime, type RawSocket, socketPacket } from './helpers'

const { admin } = seedAndSignIn(['admin']).sessions
// The deleted user's `user.deleted` goes to its consumer (which finds nothing left to end) before the file ends.
afterAll(() => deliverAll())

/** A user of its own with two live sessions (multi-login on), each with a connected socket. */
async function userWithTwoSockets() {
  const user = await createUser()
  expect(
    (
      await (
        await asAdmin()
      ).sys.users[':pk'].permissions.$put({ param: { pk: user.id }, query: { type: 'multi_login' } })
    ).status,
  ).toBe(200)
  const first = await login(user.username, user.password)
  const second = await login(user.username, user.password)
  const [a, b] = await Promise.all([connectAs(first), connectAs(second)])
  return { user, first, second, firstSocket: a.socket, secondSocket: b.socket }
}

/** The socket got Socket.IO's DISCONNECT for `/`, then was closed by the server. */
async function kicked(socket: RawSocket): Promise<void> {
  expect(socketPacket(await socket.next())).toMatchObject({ type: 1, nsp: '/' })
  expect((await socket.waitClosed()).code).toBe(1000)
}

/** Still open: nothing arrived, and it is not closed. */
async function untouched(socket: RawSocket): Promise<void> {
  await socket.quiet(100)
  expect(socket.isClosed).toBe(false)
  socket.close()
}

describe('a session that ends closes its sockets', () => {
  it('forced logout (DELETE /monitors/sessions/{pk}): that session only', async () => {
    const { user, first, firstSocket, secondSocket } = await userWithTwoSockets()
    const monitors = api<typeof monitorRoutes>(admin.accessToken).monitors
    const res = await monitors.sessions[':pk'].$delete({
      param: { pk: user.id },
      query: { session_uuid: first.sessionUuid },
    })
    expect(res.status).toBe(200)
    await kicked(firstSocket)
    await untouched(secondSocket)
  })

  it('logout: the session logged out of', async () => {
    const { first, firstSocket, secondSocket } = await userWithTwoSockets()
    expect((await api<typeof authRoutes>(first.accessToken).auth.logout.$post()).status).toBe(200)
    await kicked(firstSocket)
    await untouched(secondSocket)
  })

  it("own password change: every session's sockets, the current one's too", async () => {
    const { user, first, firstSocket, secondSocket } = await userWithTwoSockets()
    const res = await api<typeof userRoutes>(first.accessToken).sys.users.me.password.$put({
      json: { old_password: user.password, new_password: 'N3wPassword', confirm_password: 'N3wPassword' },
    })
    expect(res.status).toBe(200)
    await Promise.all([kicked(firstSocket), kicked(secondSocket)])
  })

  it('password reset by a superuser, disabling, deleting: all of the user', async () => {
    const users = await asAdmin()
    const reset = await userWithTwoSockets()
    expect(
      (await users.sys.users[':pk'].password.$put({ param: { pk: reset.user.id }, json: { password: 'An0therPass' } }))
        .status,
    ).toBe(200)
    await Promise.all([kicked(reset.firstSocket), kicked(reset.secondSocket)])

    const disabled = await userWithTwoSockets()
    expect(
      (await users.sys.users[':pk'].permissions.$put({ param: { pk: disabled.user.id }, query: { type: 'status' } }))
        .status,
    ).toBe(200)
    await Promise.all([kicked(disabled.firstSocket), kicked(disabled.secondSocket)])

    const deleted = await userWithTwoSockets()
    expect((await users.sys.users[':pk'].$delete({ param: { pk: deleted.user.id } })).status).toBe(200)
    await Promise.all([kicked(deleted.firstSocket), kicked(deleted.secondSocket)])
  })

  it('multi-login switched off: all but the newest session', async () => {
    const { user, firstSocket, secondSocket } = await userWithTwoSockets()
    const users = await asAdmin()
    expect(
      (await users.sys.users[':pk'].permissions.$put({ param: { pk: user.id }, query: { type: 'multi_login' } }))
        .status,
    ).toBe(200)
    await kicked(firstSocket)
    await untouched(secondSocket)
  })

  it('a new login of a user without multi-login: the sessions it ended, not its own', async () => {
    const user = await createUser() // multi-login off
    const { socket } = await connectAs(await login(user.username, user.password))
    const latest = await login(user.username, user.password)
    await kicked(socket)
    const { socket: own } = await connectAs(latest)
    await untouched(own)
  })

  it('request-less code that revokes through the store kicks too (as the users.end-sessions consumer does)', async () => {
    const { user, firstSocket, secondSocket } = await userWithTwoSockets()
    const store = new SessionStore(fileRedis(), redisKeys(fileConfig()), fileRealtime())
    expect(await store.revokeAllForUser(user.id)).toBe(2)
    await Promise.all([kicked(firstSocket), kicked(secondSocket)])
  })
})
