/**
 * The push API (infra/realtime.ts) through the hub's RPC: every target reaches exactly its sockets, in each connected
 * namespace's own frame; rooms are joined and left by the server; kicks send Socket.IO's DISCONNECT and close.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/core/config'
import { Logger } from '../../../src/core/logging'
import { createRealtime } from '../../../src/infra/realtime'
import { login, type Session, seedAndSignIn } from '../../helpers/auth'
import { expectLogs } from '../../helpers/logs'
import { connectAs, fileRealtime, openSocket, type RawSocket, socketPacket } from './helpers'

const { admin, test } = seedAndSignIn().sessions
const realtime = fileRealtime()
let otherAdmin: Session

beforeAll(async () => {
  otherAdmin = await login('admin')
})

const open: RawSocket[] = []

/** Closes this test's sockets and waits until the hub has let go of them, so no test sees another's sockets. */
afterEach(async () => {
  const closing = open.splice(0)
  for (const socket of closing) socket.close()
  await Promise.all(closing.map((socket) => socket.waitClosed()))
  const sessions = [admin, otherAdmin, test].map((who) => who.sessionUuid)
  for (let tries = 0; (await realtime.online(sessions))?.size; tries++) {
    if (tries > 50) throw new Error('the hub still holds closed sockets')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
})

/** Four clients: the admin's session on `/` and on `/ws` (two sockets), another admin session, the test user. */
async function clients() {
  const connect = async (who: Session, nsp = '/') => {
    const { socket } = await connectAs(who, { nsp })
    open.push(socket)
    return socket
  }
  return {
    adminRoot: await connect(admin),
    adminWs: await connect(admin, '/ws'),
    otherAdmin: await connect(otherAdmin),
    test: await connect(test),
  }
}

/** The event each socket received next (undefined: none within a short wait). */
async function received(sockets: Record<string, RawSocket>): Promise<Record<string, unknown>> {
  await new Promise((resolve) => setTimeout(resolve, 100))
  return Object.fromEntries(
    Object.entries(sockets).map(([name, socket]) => {
      const frame = socket.frames.shift()
      return [name, frame === undefined ? undefined : socketPacket(frame)]
    }),
  )
}

const event = (nsp: string, name: string, data: unknown) => ({ type: 2, nsp, data: [name, data] })

describe('targets', () => {
  it("to a user: every socket of that user's sessions, in each namespace's frame", async () => {
    const sockets = await clients()
    expect(await realtime.emit('task_notification', { msg: 'done' }, { to: { user: 1 } })).toBe(3)
    expect(await received(sockets)).toEqual({
      adminRoot: event('/', 'task_notification', { msg: 'done' }),
      adminWs: event('/ws', 'task_notification', { msg: 'done' }),
      otherAdmin: event('/', 'task_notification', { msg: 'done' }),
      test: undefined,
    })
  })

  it('to a session: only that login', async () => {
    const sockets = await clients()
    expect(await realtime.emit('ping', 1, { to: { session: admin.sessionUuid } })).toBe(2)
    expect(await received(sockets)).toEqual({
      adminRoot: event('/', 'ping', 1),
      adminWs: event('/ws', 'ping', 1),
      otherAdmin: undefined,
      test: undefined,
    })
  })

  it('to all: every connected socket, not one that never connected a namespace', async () => {
    const sockets = await clients()
    const { socket: unconnected } = await openSocket()
    open.push(unconnected)
    expect(await realtime.emit('notice', { title: '公告' }, { to: 'all' })).toBe(4)
    expect(await received({ ...sockets, unconnected })).toEqual({
      adminRoot: event('/', 'notice', { title: '公告' }),
      adminWs: event('/ws', 'notice', { title: '公告' }),
      otherAdmin: event('/', 'notice', { title: '公告' }),
      test: event('/', 'notice', { title: '公告' }),
      unconnected: undefined,
    })
  })

  it('to a room: the sockets the server put there, until they leave', async () => {
    const sockets = await clients()
    expect(await realtime.join({ session: otherAdmin.sessionUuid }, 'ops')).toBe(1)
    expect(await realtime.join({ user: 2 }, 'ops')).toBe(1)
    expect(await realtime.emit('alert', 'disk', { to: { room: 'ops' } })).toBe(2)
    expect(await received(sockets)).toMatchObject({
      adminRoot: undefined,
      adminWs: undefined,
      otherAdmin: event('/', 'alert', 'disk'),
      test: event('/', 'alert', 'disk'),
    })
    expect(await realtime.leave({ user: 2 }, 'ops')).toBe(1)
    expect(await realtime.emit('alert', 'cpu', { to: { room: 'ops' } })).toBe(1)
    expect(await received(sockets)).toMatchObject({ otherAdmin: event('/', 'alert', 'cpu'), test: undefined })
  })

  it('reaches nobody when nobody matches', async () => {
    await clients()
    expect(await realtime.emit('x', null, { to: { user: 999 } })).toBe(0)
    expect(await realtime.emit('x', null, { to: { room: 'nobody-here' } })).toBe(0)
  })
})

describe('kicks', () => {
  it("a session's sockets get Socket.IO's DISCONNECT (no reconnect) and are closed; others stay", async () => {
    const sockets = await clients()
    expect(await realtime.disconnect({ session: admin.sessionUuid })).toBe(2)
    expect(socketPacket(await sockets.adminRoot.next())).toEqual({ type: 1, nsp: '/', data: undefined })
    expect(socketPacket(await sockets.adminWs.next())).toEqual({ type: 1, nsp: '/ws', data: undefined })
    expect((await sockets.adminRoot.waitClosed()).code).toBe(1000)
    expect((await sockets.adminWs.waitClosed()).code).toBe(1000)
    expect(await realtime.emit('still', 'here', { to: 'all' })).toBe(2)
    expect(await received({ otherAdmin: sockets.otherAdmin, test: sockets.test })).toEqual({
      otherAdmin: event('/', 'still', 'here'),
      test: event('/', 'still', 'here'),
    })
  })

  it("a user's: every session of that user", async () => {
    const sockets = await clients()
    expect(await realtime.disconnect({ user: 1 })).toBe(3)
    for (const socket of [sockets.adminRoot, sockets.adminWs, sockets.otherAdmin])
      expect((await socket.waitClosed()).code).toBe(1000)
    expect(sockets.test.isClosed).toBe(false)
  })
})

describe('refused pushes are logged and reach nobody; the hub goes on', () => {
  it('a reserved event name', async () => {
    const sockets = await clients()
    const logs = expectLogs({ msg: 'realtime hub did not answer', call: 'emit' })
    expect(await realtime.emit('connect', {}, { to: 'all' })).toBe(0)
    expect(logs.entries).toHaveLength(1)
    expect(await realtime.emit('fine', 1, { to: { user: 2 } })).toBe(1)
    expect((await received({ test: sockets.test })).test).toEqual(event('/', 'fine', 1))
  })

  it('a binary payload', async () => {
    await clients()
    const logs = expectLogs({ msg: 'realtime hub did not answer', call: 'emit' })
    expect(await realtime.emit('blob', new Uint8Array([1, 2]), { to: 'all' })).toBe(0)
    expect(logs.entries).toHaveLength(1)
  })

  it('a room name that is empty or too long', async () => {
    await clients()
    const logs = expectLogs({ msg: 'realtime hub did not answer', call: 'join' })
    expect(await realtime.join({ user: 1 }, '')).toBe(0)
    expect(await realtime.join({ user: 1 }, 'r'.repeat(129))).toBe(0)
    expect(logs.entries).toHaveLength(2)
  })
})

describe('without a hub (a Node host, or a Worker without the binding)', () => {
  it('every call is a no-op that says so once, at info level', async () => {
    const lines: string[] = []
    const logger = new Logger({}, 'info', (line) => lines.push(line))
    const none = createRealtime({}, loadConfig({}), logger)
    expect(none.available).toBe(false)
    expect(await none.emit('x', 1, { to: 'all' })).toBe(0)
    expect(await none.disconnect({ user: 1 })).toBe(0)
    expect(await none.online(['a'])).toBeUndefined()
    expect(lines.map((l) => JSON.parse(l) as { level: string; msg: string })).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'realtime hub not bound on this host: pushes and kicks do nothing',
      }),
    ])
  })
})
