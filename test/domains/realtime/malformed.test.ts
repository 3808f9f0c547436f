/**
 * Whatever a client sends, the hub answers by closing that socket only — never by throwing, and never by breaking
 * the other sockets: after each bad frame a bystander still gets pushes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedAndSignIn } from '../../helpers/auth'
import { connectAs, connectFrame, fileRealtime, openSocket, type RawSocket, socketPacket } from './helpers'

const { admin, test } = seedAndSignIn().sessions
const realtime = fileRealtime()
let bystander: RawSocket

beforeAll(async () => {
  bystander = (await connectAs(test)).socket
})

afterAll(() => bystander.close())

/** The bystander still gets a push meant for it, and nothing else happened to it. */
async function bystanderUnharmed(): Promise<void> {
  expect(bystander.isClosed).toBe(false)
  expect(await realtime.emit('still', 'there', { to: { user: 2 } })).toBe(1)
  expect(socketPacket(await bystander.next())).toEqual({ type: 2, nsp: '/', data: ['still', 'there'] })
}

const FRAMES: [string, string | (() => ArrayBuffer), number][] = [
  ['an unknown Engine.IO packet type', 'x', 1008],
  ['an Engine.IO open packet from the client', '0{}', 1008],
  ['an Engine.IO upgrade packet (nothing to upgrade from)', '5', 1008],
  ['an unknown Socket.IO packet type', '49', 1008],
  ['a Socket.IO event with a broken JSON payload', '42["a",', 1008],
  ['a Socket.IO event that is not an array', '42{"a":1}', 1008],
  ['a binary Socket.IO event', '451-["upload",{"_placeholder":true,"num":0}]', 1008],
  ['a CONNECT_ERROR from the client', '44{"message":"x"}', 1008],
  ['a binary WebSocket frame', () => new Uint8Array([4, 2]).buffer, 1008],
  ['a message over maxPayload (64 KiB)', `42["big","${'x'.repeat(70_000)}"]`, 1009],
  ['a binary frame over maxPayload', () => new ArrayBuffer(70_000), 1009],
]

describe('malformed input closes that socket only', () => {
  it.each(FRAMES)('%s → close %s', async (_name, frame, code) => {
    const { socket } = await connectAs(admin)
    socket.send(typeof frame === 'string' ? frame : frame())
    expect((await socket.waitClosed()).code).toBe(code)
    await bystanderUnharmed()
  })

  it('the same before any namespace is connected', async () => {
    const { socket } = await openSocket()
    socket.send('42["early"]')
    expect((await socket.waitClosed()).code).toBe(1008)
    await bystanderUnharmed()
  })

  it('a second CONNECT to a connected namespace', async () => {
    const { socket } = await connectAs(admin)
    socket.send(connectFrame('/', { token: admin.accessToken }))
    expect((await socket.waitClosed()).code).toBe(1008)
    await bystanderUnharmed()
  })

  it('a message larger than the limit in bytes though not in characters (UTF-8)', async () => {
    const { socket } = await connectAs(admin)
    socket.send(`42["big","${'好'.repeat(22_000)}"]`) // 22 000 characters, 66 000 bytes
    expect((await socket.waitClosed()).code).toBe(1009)
    await bystanderUnharmed()
  })
})

describe('what the hub accepts without closing', () => {
  it('client events and acks are ignored (push only); the socket stays', async () => {
    const { socket } = await connectAs(admin)
    socket.send('42["hello",{"a":1}]')
    socket.send('4213["with-ack"]')
    socket.send('431[]')
    await socket.quiet()
    expect(await realtime.emit('reply', 1, { to: { session: admin.sessionUuid } })).toBe(1)
    expect(socketPacket(await socket.next()).data).toEqual(['reply', 1])
    socket.close()
  })

  it('a client ping gets a pong; a noop nothing', async () => {
    const { socket } = await connectAs(admin)
    socket.send('2')
    expect(await socket.next()).toBe('3')
    socket.send('6')
    await socket.quiet()
    socket.close()
  })

  it("a client's DISCONNECT of its last namespace ends the socket; an Engine.IO close too", async () => {
    const first = (await connectAs(admin)).socket
    first.send('41')
    expect((await first.waitClosed()).code).toBe(1000)
    const second = (await connectAs(admin, { nsp: '/ws' })).socket
    second.send('1')
    expect((await second.waitClosed()).code).toBe(1000)
    await bystanderUnharmed()
  })

  it('a DISCONNECT of one of two namespaces leaves the other connected', async () => {
    const { socket } = await connectAs(admin)
    socket.send(connectFrame('/ws', { token: admin.accessToken }))
    expect(socketPacket(await socket.next())).toMatchObject({ type: 0, nsp: '/ws' })
    socket.send('41/ws,')
    await socket.quiet()
    expect(await realtime.emit('left', 1, { to: { session: admin.sessionUuid } })).toBe(1)
    expect(socketPacket(await socket.next())).toEqual({ type: 2, nsp: '/', data: ['left', 1] })
    socket.close()
  })
})
