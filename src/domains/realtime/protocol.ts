/**
 * Socket.IO v5 over Engine.IO v4, websocket transport only, framed by the protocol's own parsers (`engine.io-parser`,
 * `socket.io-parser`). One WebSocket message is one Engine.IO packet; an Engine.IO `message` packet carries one
 * Socket.IO packet. What the hub accepts and refuses is decided here, so the hub handles only well-formed input.
 */
import { decodePacket, type Packet as EnginePacket, encodePacket } from 'engine.io-parser'
import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser'

export { type Packet, PacketType }

/**
 * Engine.IO's handshake values. The client pings never: the server sends `2` every `pingInterval` and expects `3`
 * within `pingTimeout` (the client likewise gives up after `pingInterval + pingTimeout` without a ping).
 */
export const PING_INTERVAL_MS = 25_000
export const PING_TIMEOUT_MS = 20_000
/**
 * Largest message a client may send (bytes). The hub takes only CONNECT (a token and a session id) and DISCONNECT from
 * clients, so 64 KiB is generous; Socket.IO's default (1 MB) is sized for chat-like uploads.
 */
export const MAX_PAYLOAD_BYTES = 64 * 1024
/** A socket that has not connected to any namespace this long after opening is closed (Socket.IO's `connectTimeout`). */
export const CONNECT_TIMEOUT_MS = 45_000
/** The namespaces served: `/` (what fba's admin UI connects to) and fba's `/ws`; both reach the same pushes. */
export const NAMESPACES: readonly string[] = ['/', '/ws']

/** Engine.IO's own answer codes for refused handshakes (the HTTP body is `{code, message}`). */
export const ENGINE_ERRORS = {
  transportUnknown: { code: 0, message: 'Transport unknown' },
  sessionUnknown: { code: 1, message: 'Session ID unknown' },
  badRequest: { code: 3, message: 'Bad request' },
  forbidden: { code: 4, message: 'Forbidden' },
  unsupportedProtocol: { code: 5, message: 'Unsupported protocol version' },
} as const

/** The pong the runtime answers without waking the hub (`setWebSocketAutoResponse`): a client's `3` gets a `6` (noop). */
export const PONG = '3'
export const NOOP = '6'
export const PING = '2'

function encodeEngine(packet: EnginePacket): string {
  let frame = ''
  // Synchronous for string data; binary data would be refused earlier.
  encodePacket(packet, false, (encoded) => {
    frame = typeof encoded === 'string' ? encoded : ''
  })
  return frame
}

/** The Engine.IO open packet that starts every connection. */
export function openFrame(sid: string): string {
  return encodeEngine({
    type: 'open',
    data: JSON.stringify({
      sid,
      upgrades: [],
      pingInterval: PING_INTERVAL_MS,
      pingTimeout: PING_TIMEOUT_MS,
      maxPayload: MAX_PAYLOAD_BYTES,
    }),
  })
}

const encoder = new Encoder()

/**
 * One Socket.IO packet as a WebSocket text frame. Binary payloads are refused (the hub speaks JSON only): the
 * parser would split them into attachments, which this transport does not send.
 */
export function socketFrame(packet: Packet): string {
  const parts = encoder.encode(packet)
  const [text] = parts
  if (parts.length !== 1 || typeof text !== 'string') throw new TypeError('binary payloads are not supported')
  return encodeEngine({ type: 'message', data: text })
}

export function eventFrame(nsp: string, event: string, data: unknown): string {
  return socketFrame({ type: PacketType.EVENT, nsp, data: [event, data] })
}

/** What a client sent, once read: an Engine.IO control packet, a Socket.IO packet, or a protocol violation. */
export type Incoming =
  | { kind: 'ping' | 'pong' | 'close' | 'noop' }
  | { kind: 'packet'; packet: Packet }
  | { kind: 'invalid'; reason: string; code: number }

/** WebSocket close codes for refusals: 1008 policy violation, 1009 message too big. */
export const CLOSE_POLICY = 1008
export const CLOSE_TOO_BIG = 1009

/** Whether `text` (UTF-16) is larger than `limit` bytes once UTF-8 encoded, without encoding short strings. */
function overLimit(text: string, limit: number): boolean {
  if (text.length > limit) return true
  if (text.length * 3 <= limit) return false
  return new TextEncoder().encode(text).byteLength > limit
}

/** Reads one WebSocket message. Never throws: anything malformed is `invalid`, which closes that socket. */
export function readFrame(message: string | ArrayBuffer): Incoming {
  if (typeof message !== 'string') {
    if (message.byteLength > MAX_PAYLOAD_BYTES)
      return { kind: 'invalid', reason: 'message too big', code: CLOSE_TOO_BIG }
    return { kind: 'invalid', reason: 'binary frames are not supported', code: CLOSE_POLICY }
  }
  if (overLimit(message, MAX_PAYLOAD_BYTES)) return { kind: 'invalid', reason: 'message too big', code: CLOSE_TOO_BIG }
  const engine = decodePacket(message)
  switch (engine.type) {
    case 'ping':
    case 'pong':
    case 'close':
    case 'noop':
      return { kind: engine.type }
    case 'message':
      return typeof engine.data === 'string'
        ? readSocketPacket(engine.data)
        : { kind: 'invalid', reason: 'binary messages are not supported', code: CLOSE_POLICY }
    default:
      // `open`, `upgrade` (no transport to upgrade from) and unknown types (`error`).
      return { kind: 'invalid', reason: `unexpected engine packet ${engine.type}`, code: CLOSE_POLICY }
  }
}

function readSocketPacket(text: string): Incoming {
  const decoder = new Decoder()
  let packet: Packet | undefined
  decoder.on('decoded', (decoded: Packet) => {
    packet = decoded
  })
  try {
    decoder.add(text)
  } catch (err) {
    return { kind: 'invalid', reason: err instanceof Error ? err.message : 'undecodable packet', code: CLOSE_POLICY }
  } finally {
    decoder.destroy()
  }
  // A binary event header leaves the decoder waiting for attachments: refused, like any binary payload.
  if (!packet) return { kind: 'invalid', reason: 'binary events are not supported', code: CLOSE_POLICY }
  return { kind: 'packet', packet }
}
