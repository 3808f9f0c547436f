/**
 * Online sessions: `status` in `GET /monitors/sessions` is 1 exactly for sessions with a connected Socket.IO client —
 * per session, so one session going away never marks another offline (fba's `SPOP` removed a random member) — and
 * every live session reads 1 where the hub cannot be asked (a host without it).
 */
import { describe, expect, it } from 'vitest'
import type { monitorRoutes } from '../../../src/domains/monitors/routes.v1'
import { login, seedAndSignIn } from '../../helpers/auth'
import { answer, api, type ClientOptions } from '../../helpers/harness'
import { connectAs, connectFrame, socketPacket } from './helpers'

const { admin } = seedAndSignIn(['admin']).sessions

/** `status` of each listed session, by session uuid. */
async function statuses(options?: ClientOptions): Promise<Map<string, number>> {
  const { status, data } = await answer(
    api<typeof monitorRoutes>(admin.accessToken, options).monitors.sessions.$get({ query: {} }),
  )
  expect(status).toBe(200)
  return new Map(data.map((row) => [row.session_uuid, row.status]))
}

/** Polls until `session` has `status` (a client's close reaches the hub a moment after the client sees it). */
async function expectStatus(session: string, status: number): Promise<void> {
  for (let tries = 0; ; tries++) {
    const current = (await statuses()).get(session)
    if (current === status || tries > 50) {
      expect(current).toBe(status)
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('status in GET /monitors/sessions', () => {
  it('is 1 while a session has a connected socket, 0 without one', async () => {
    const phone = await login('admin')
    const laptop = await login('admin')
    const { socket } = await connectAs(laptop)
    const listed = await statuses()
    expect(listed.get(laptop.sessionUuid)).toBe(1)
    expect(listed.get(phone.sessionUuid)).toBe(0)
    expect(listed.get(admin.sessionUuid)).toBe(0)
    socket.close()
    await expectStatus(laptop.sessionUuid, 0)
  })

  it('stays 1 until the last socket of the session goes; other sessions are untouched', async () => {
    const mine = await login('admin')
    const other = await login('admin')
    const first = (await connectAs(mine)).socket
    const second = (await connectAs(mine, { nsp: '/ws' })).socket
    const others = (await connectAs(other)).socket
    first.close()
    await first.waitClosed()
    await expectStatus(mine.sessionUuid, 1)
    second.send('41/ws,') // a client-side disconnect of its only namespace
    await second.waitClosed()
    await expectStatus(mine.sessionUuid, 0)
    expect((await statuses()).get(other.sessionUuid)).toBe(1)
    others.close()
  })

  it('counts a socket only once its CONNECT succeeded', async () => {
    const session = await login('admin')
    const { socket } = await connectAs(admin)
    socket.send(connectFrame('/ws', { token: 'not.a.jwt', session_uuid: session.sessionUuid }))
    expect(socketPacket(await socket.next()).type).toBe(4)
    expect((await statuses()).get(session.sessionUuid)).toBe(0)
    socket.close()
  })

  it('reads 1 for every live session on a host without the hub', async () => {
    const session = await login('admin')
    const listed = await statuses({ overrides: { REALTIME_HUB: undefined } })
    expect(listed.get(session.sessionUuid)).toBe(1)
  })
})
