/**
 * The hub's life across hibernation and its heartbeat. Evicting the Durable Object (its sockets hibernate, its memory
 * goes) must lose nothing: who is connected where, rooms and online state come back from the sockets' attachments.
 * The heartbeat alarm pings, the runtime answers pongs without waking the hub, and the sweep closes the sockets that
 * stopped answering, never connected, or whose login session ended.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeHub } from '../../../src/domains/realtime/hub'
import { login, seedAndSignIn } from '../../helpers/auth'
import { codesWith } from '../auth/helpers'
import { connectAs, connectFrame, fileRealtime, hubStub, openSocket, socketPacket } from './helpers'

const { admin, test } = seedAndSignIn().sessions
const realtime = fileRealtime()

beforeAll(async () => {
  // Warm user snapshots, so the hub's logins read Redis only: eviction waits for in-flight work, and a cold login's
  // database deadline (DB_TIMEOUT_MS) would hold it for seconds.
  for (const who of [admin, test]) expect((await codesWith(who.accessToken)).status).toBe(200)
})

const sweep = (at: number) => runInDurableObject(hubStub(), (hub: RealtimeHub) => hub.sweep(at))

describe('hibernation', () => {
  it('keeps every connection, room and online state when the hub is evicted', async () => {
    const adminSocket = (await connectAs(admin)).socket
    const testSocket = (await connectAs(test, { nsp: '/ws' })).socket
    expect(await realtime.join({ user: 2 }, 'ops')).toBe(1)

    await evictDurableObject(hubStub())

    expect([...((await realtime.online([admin.sessionUuid, test.sessionUuid, 'nobody'])) ?? [])]).toEqual([
      admin.sessionUuid,
      test.sessionUuid,
    ])
    expect(await realtime.emit('after', 'wake', { to: { room: 'ops' } })).toBe(1)
    expect(socketPacket(await testSocket.next())).toEqual({ type: 2, nsp: '/ws', data: ['after', 'wake'] })
    expect(await realtime.emit('after', 'wake', { to: { session: admin.sessionUuid } })).toBe(1)
    expect(socketPacket(await adminSocket.next())).toEqual({ type: 2, nsp: '/', data: ['after', 'wake'] })

    // The sockets themselves still speak: a CONNECT to another namespace, and a client disconnect.
    await evictDurableObject(hubStub())
    adminSocket.send(connectFrame('/ws', { token: admin.accessToken }))
    expect(socketPacket(await adminSocket.next())).toMatchObject({ type: 0, nsp: '/ws' })
    expect(await realtime.emit('both', 1, { to: { user: 1 } })).toBe(2)
    testSocket.send('41/ws,')
    expect((await testSocket.waitClosed()).code).toBe(1000)

    await evictDurableObject(hubStub())
    expect(await realtime.disconnect({ user: 1 })).toBe(2)
    expect((await adminSocket.waitClosed()).code).toBe(1000)
  }, 20_000)
})

describe('heartbeat', () => {
  it('pings every socket from an alarm; the pong is answered without the hub (a noop)', async () => {
    const { socket } = await connectAs(admin)
    const { socket: unconnected } = await openSocket()
    expect(await runInDurableObject(hubStub(), (_hub, state) => state.storage.getAlarm())).not.toBeNull()
    expect(await runDurableObjectAlarm(hubStub())).toBe(true)
    expect(await socket.next()).toBe('2')
    expect(await unconnected.next()).toBe('2')
    socket.send('3')
    expect(await socket.next()).toBe('6')
    // The alarm set the next beat while sockets remain.
    expect(await runInDurableObject(hubStub(), (_hub, state) => state.storage.getAlarm())).not.toBeNull()
    socket.close()
    unconnected.close()
  })

  it('closes a socket whose last pong is older than pingInterval + pingTimeout, and keeps one that answered', async () => {
    const silent = (await connectAs(admin)).socket
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const answering = (await connectAs(admin)).socket
    answering.send('3')
    expect(await answering.next()).toBe('6')
    const answeredAt = Date.now()
    // 45.5 s after the silent socket opened; 44 s after the other's pong.
    await sweep(answeredAt + 44_000)
    expect((await silent.waitClosed()).code).toBe(1001)
    expect(await answering.next()).toBe('2')
    expect(answering.isClosed).toBe(false)
    answering.close()
  })

  it('closes a socket that connects no namespace within 45 s', async () => {
    const { socket } = await openSocket()
    await sweep(Date.now() + 46_000)
    expect((await socket.waitClosed()).code).toBe(1008)
  })

  it('ends a connection when its login session ends (DISCONNECT, then close)', async () => {
    const short = await login('admin', undefined, { REFRESH_TOKEN_TTL_SECONDS: '300' })
    const { socket } = await connectAs(short)
    await sweep(Date.now() + 301_000)
    expect(socketPacket(await socket.next())).toEqual({ type: 1, nsp: '/', data: undefined })
    expect((await socket.waitClosed()).code).toBe(1000)
  })

  it('stops beating once no socket is left', async () => {
    const { socket } = await connectAs(admin)
    socket.close()
    await socket.waitClosed()
    for (let tries = 0; (await realtime.online([admin.sessionUuid]))?.size; tries++) {
      if (tries > 50) throw new Error('the hub still holds the socket')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await runDurableObjectAlarm(hubStub())
    expect(await runInDurableObject(hubStub(), (_hub, state) => state.storage.getAlarm())).toBeNull()
  })
})
