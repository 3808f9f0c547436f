/**
 * The realtime hub: a Durable Object that holds the deployment's Socket.IO connections with the WebSocket Hibernation
 * API (an idle hub is evicted from memory while its sockets stay open; each socket's state is in its attachment) and
 * pushes to them by RPC (infra/realtime.ts). docs/realtime.md is the guide.
 *
 * - Upgrade (`fetch`, forwarded by the Worker's `/ws/socket.io` route): accept, send Engine.IO's open packet.
 * - CONNECT to `/` or `/ws` with `auth: {token, session_uuid}`: authenticated like an HTTP request (./connect-auth.ts);
 *   ack `{sid}` or CONNECT_ERROR `{message, data: {code}}` — and the socket is closed when no namespace is left.
 * - Heartbeat: an alarm every `PING_INTERVAL_MS` sends Engine.IO pings; the runtime answers the client's pong with a
 *   noop without waking the hub (`setWebSocketAutoResponse`), and the next alarm closes sockets whose last pong is too
 *   old. The same alarm ends connections whose login session has ended and sockets that never connected a namespace.
 * - Anything malformed, binary or too big closes that socket only; no handler lets an error escape.
 */
import { DurableObject } from 'cloudflare:workers'
import { type Config, loadConfig } from '../../core/config'
import { AppError, ServiceUnavailableError } from '../../core/errors'
import { negotiateLanguage, registerMessages, t } from '../../core/i18n'
import { describeError, Logger, type LogLevel } from '../../core/logging'
import type { LocalizedFields, RealtimeHubRpc, RealtimeMember, RealtimeTarget } from '../../infra/realtime'
import { createServices, required } from '../../infra/services'
import { authMessages } from '../auth/messages'
import { authenticateConnect } from './connect-auth'
import { Connections, type HubEndpoints, MAX_ROOM_LENGTH, MAX_ROOMS, type SocketState } from './connections'
import { ENDPOINTS_HEADER, readEndpoints } from './endpoints'
import {
  CLOSE_POLICY,
  CONNECT_TIMEOUT_MS,
  eventFrame,
  NAMESPACES,
  NOOP,
  openFrame,
  type Packet,
  PacketType,
  PING,
  PING_INTERVAL_MS,
  PING_TIMEOUT_MS,
  PONG,
  readFrame,
  socketFrame,
} from './protocol'

// CONNECT errors are written with the auth domain's texts; the app registers them too (registering is idempotent).
registerMessages(authMessages)

/** WebSocket close codes: normal, going away (no pong), internal error, try again later. */
const CLOSE_NORMAL = 1000
const CLOSE_GONE = 1001
const CLOSE_INTERNAL = 1011
const CLOSE_RETRY = 1013

/** Events a server may not emit: Socket.IO clients reserve them for their own lifecycle. */
const RESERVED_EVENTS = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
])

const randomId = (): string => crypto.randomUUID().replaceAll('-', '')

export class RealtimeHub extends DurableObject implements RealtimeHubRpc {
  #connections: Connections | undefined
  /** Parsed config per endpoint set (the hub's bindings with a socket's endpoints laid over them). */
  readonly #configs = new Map<string, Config>()
  /** CONNECTs being authenticated, by `<socket id> <namespace>`: a second CONNECT meanwhile is a protocol violation. */
  readonly #pending = new Set<string>()
  #logger: Logger | undefined

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env)
    // The client's pong is answered by the runtime (with a noop the client ignores), so heartbeats never wake the
    // hub; the alarm reads the time of each socket's last pong instead.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PONG, NOOP))
  }

  /** The index of the sockets, rebuilt from their attachments after the hub woke up. */
  get #index(): Connections {
    this.#connections ??= Connections.from(this.ctx.getWebSockets())
    return this.#connections
  }

  #config(endpoints: HubEndpoints = {}): Config {
    const key = JSON.stringify(endpoints)
    let config = this.#configs.get(key)
    if (!config) {
      config = loadConfig({ ...(this.env as object), ...endpoints })
      this.#configs.set(key, config)
    }
    return config
  }

  get #log(): Logger {
    if (!this.#logger) {
      let level: LogLevel = 'info'
      try {
        level = this.#config().LOG_LEVEL
      } catch {
        // An invalid configuration is reported where it is used (a CONNECT); logging must still work.
      }
      this.#logger = new Logger({ component: 'realtime-hub' }, level)
    }
    return this.#logger
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket')
      return new Response('Expected a WebSocket upgrade', { status: 426 })
    const { 0: client, 1: server } = new WebSocketPair()
    this.ctx.acceptWebSocket(server)
    const state: SocketState = {
      id: randomId(),
      openedAt: Date.now(),
      lang: negotiateLanguage(request.headers.get('accept-language')),
      endpoints: readEndpoints(request.headers.get(ENDPOINTS_HEADER)),
      nsps: {},
    }
    this.#index.save(server, state)
    server.send(openFrame(state.id))
    await this.#keepBeating()
    return new Response(null, { status: 101, webSocket: client })
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    try {
      const incoming = readFrame(message)
      switch (incoming.kind) {
        case 'ping':
          ws.send(PONG)
          return
        case 'pong':
        case 'noop':
          return
        case 'close':
          this.#close(ws, CLOSE_NORMAL, 'client closed')
          return
        case 'invalid':
          this.#log.info('socket closed: protocol violation', { reason: incoming.reason })
          this.#close(ws, incoming.code, incoming.reason)
          return
        case 'packet':
          await this.#onPacket(ws, incoming.packet)
      }
    } catch (err) {
      this.#log.error('socket closed: message handling failed', describeError(err))
      this.#close(ws, CLOSE_INTERNAL, 'internal error')
    }
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    this.#log.debug('socket closed by the client', { code })
    // Completes the closing handshake, echoing the client's code where it may be sent (not 1005, 1006, 1015).
    const echo = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)
    this.#close(ws, echo ? code : CLOSE_NORMAL, 'closed by the client')
  }

  override webSocketError(ws: WebSocket, error: unknown): void {
    this.#close(ws, CLOSE_INTERNAL, 'socket error')
    this.#log.info('socket failed', { error: error instanceof Error ? error.message : String(error) })
  }

  override async alarm(): Promise<void> {
    try {
      this.sweep(Date.now())
    } finally {
      // The alarm that is running no longer counts as set: the next beat is scheduled here.
      if (this.ctx.getWebSockets().length > 0) await this.ctx.storage.setAlarm(Date.now() + PING_INTERVAL_MS)
    }
  }

  /**
   * The heartbeat's work at `now` (the alarm's, callable on its own), per socket: end the connections whose login
   * session has ended (DISCONNECT, then close when none is left); close a socket that never connected a namespace
   * within `CONNECT_TIMEOUT_MS`, or whose last pong is older than a ping interval plus its timeout; ping the rest.
   */
  sweep(now: number): void {
    const index = this.#index
    for (const [ws, state] of [...index.sockets()]) {
      const ended = Object.entries(state.nsps).filter(([, m]) => m.sessionEnds <= now)
      if (ended.length) {
        this.#drop(
          ws,
          state,
          ended.map(([nsp]) => nsp),
        )
        if (!index.state(ws)) continue
      }
      if (Object.keys(state.nsps).length === 0 && now - state.openedAt > CONNECT_TIMEOUT_MS) {
        this.#close(ws, CLOSE_POLICY, 'no namespace connected')
        continue
      }
      const lastPong = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? state.openedAt
      if (now - lastPong > PING_INTERVAL_MS + PING_TIMEOUT_MS) {
        this.#close(ws, CLOSE_GONE, 'ping timeout')
        continue
      }
      this.#send(ws, PING)
    }
  }

  /** Starts the heartbeat alarm unless it is set (the alarm sets the next one while sockets remain). */
  async #keepBeating(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PING_INTERVAL_MS)
  }

  async #onPacket(ws: WebSocket, packet: Packet): Promise<void> {
    const state = this.#index.state(ws)
    if (!state) {
      this.#close(ws, CLOSE_POLICY, 'unknown socket')
      return
    }
    const connected = state.nsps[packet.nsp]
    if (packet.type === PacketType.CONNECT) {
      if (connected || this.#pending.has(`${state.id} ${packet.nsp}`)) {
        this.#close(ws, CLOSE_POLICY, 'namespace already connected')
        return
      }
      if (!NAMESPACES.includes(packet.nsp)) {
        ws.send(
          socketFrame({ type: PacketType.CONNECT_ERROR, nsp: packet.nsp, data: { message: 'Invalid namespace' } }),
        )
        return
      }
      await this.#connect(ws, state, packet.nsp, packet.data)
      return
    }
    // Socket.IO's rule: any other packet for a namespace the socket has not connected ends the connection.
    if (!connected) {
      this.#close(ws, CLOSE_POLICY, 'namespace not connected')
      return
    }
    switch (packet.type) {
      case PacketType.DISCONNECT:
        this.#drop(ws, state, [packet.nsp], { notify: false })
        return
      case PacketType.EVENT:
      case PacketType.ACK:
        // Push only: clients talk to the HTTP API. Their events (and acks) are ignored, like events without a
        // handler on a Socket.IO server.
        return
      default:
        this.#close(ws, CLOSE_POLICY, 'unexpected packet')
    }
  }

  async #connect(ws: WebSocket, opened: SocketState, nsp: string, auth: unknown): Promise<void> {
    const pending = `${opened.id} ${nsp}`
    this.#pending.add(pending)
    let authenticated: Awaited<ReturnType<typeof authenticateConnect>>
    try {
      const config = this.#config(opened.endpoints)
      const services = createServices(config)
      authenticated = await authenticateConnect(
        {
          config,
          // Lean pipeline requests, as for an HTTP request: no SDK client is built for a CONNECT.
          pipeline: () => required(services.redisPipeline, 'redis'),
          db: () => required(services.db, 'database'),
          later: (what, work) =>
            this.ctx.waitUntil(
              work.catch((err: unknown) => this.#log.error('background work failed', { what, ...describeError(err) })),
            ),
        },
        auth,
      )
    } catch (err) {
      this.#refuse(ws, opened, nsp, err)
      return
    } finally {
      this.#pending.delete(pending)
    }
    // The socket may have closed, or changed, while the login was checked.
    const state = this.#index.state(ws)
    if (!state || ws.readyState !== WebSocket.OPEN) return
    const sid = randomId()
    const { user, session } = authenticated
    const next: SocketState = {
      ...state,
      nsps: {
        ...state.nsps,
        [nsp]: { sid, user: user.id, session: session.sid, sessionEnds: session.expiresAt, rooms: [] },
      },
    }
    this.#index.save(ws, next)
    ws.send(socketFrame({ type: PacketType.CONNECT, nsp, data: { sid } }))
  }

  /**
   * A CONNECT that failed. A refused login (401/403) gets Socket.IO's CONNECT_ERROR with the message an HTTP request
   * would get; a socket left without any namespace is then closed. A service that could not answer (503) closes the
   * socket without CONNECT_ERROR, so the client reconnects later instead of giving up.
   */
  #refuse(ws: WebSocket, state: SocketState, nsp: string, err: unknown): void {
    if (err instanceof ServiceUnavailableError) {
      this.#log.warn('socket closed: login could not be checked', describeError(err))
      this.#close(ws, CLOSE_RETRY, 'try again later')
      return
    }
    if (!(err instanceof AppError)) {
      this.#log.error('socket closed: login check failed', describeError(err))
      this.#close(ws, CLOSE_INTERNAL, 'internal error')
      return
    }
    const message = t(state.lang, err.messageKey, err.params)
    this.#log.info('socket login refused', { status: err.status, reason: err.messageKey })
    if (ws.readyState !== WebSocket.OPEN) return
    ws.send(socketFrame({ type: PacketType.CONNECT_ERROR, nsp, data: { message, data: { code: err.code } } }))
    const current = this.#index.state(ws)
    if (!current || Object.keys(current.nsps).length === 0) this.#close(ws, CLOSE_POLICY, 'unauthorized')
  }

  /**
   * Ends namespace connections of a socket (`notify`: tell the client with Socket.IO's DISCONNECT, after which it does
   * not reconnect); a socket left without any is closed.
   */
  #drop(ws: WebSocket, state: SocketState, nsps: readonly string[], { notify = true } = {}): void {
    const remaining = { ...state.nsps }
    for (const nsp of nsps) {
      delete remaining[nsp]
      if (notify) this.#send(ws, socketFrame({ type: PacketType.DISCONNECT, nsp }))
    }
    if (Object.keys(remaining).length === 0) {
      this.#close(ws, CLOSE_NORMAL, notify ? 'disconnected by the server' : 'client disconnected')
      return
    }
    this.#index.save(ws, { ...state, nsps: remaining })
  }

  /** Closes one socket and forgets it; closing an already closed socket is not an error. */
  #close(ws: WebSocket, code: number, reason: string): void {
    this.#index.remove(ws)
    try {
      ws.close(code, reason)
    } catch {
      // Already closing or closed: nothing left to do.
    }
  }

  /** Sends one frame, reporting whether the socket took it (a socket that just went away is skipped). */
  #send(ws: WebSocket, frame: string): boolean {
    try {
      ws.send(frame)
      return true
    } catch {
      return false
    }
  }

  // ---- RPC (infra/realtime.ts) ----

  async emit(event: string, data: unknown, to: RealtimeTarget, localized?: LocalizedFields): Promise<number> {
    if (typeof event !== 'string' || !event || RESERVED_EVENTS.has(event))
      throw new TypeError(`"${event}" cannot be emitted (empty or reserved by Socket.IO)`)
    const texts = localized && Object.keys(localized).length ? Object.entries(localized) : undefined
    if (texts && data !== undefined && (data === null || typeof data !== 'object' || Array.isArray(data)))
      throw new TypeError('localized fields need an object payload')
    // One frame per namespace (and language, when the payload has localized texts), built on first use.
    const frames = new Map<string, string>()
    let reached = 0
    for (const [ws, state, nsp] of this.#index.select(to)) {
      const key = texts ? `${nsp} ${state.lang}` : nsp
      let frame = frames.get(key)
      if (frame === undefined) {
        const payload = texts
          ? { ...(data as object), ...Object.fromEntries(texts.map(([f, m]) => [f, t(state.lang, m.key, m.params)])) }
          : data
        frame = eventFrame(nsp, event, payload)
        frames.set(key, frame)
      }
      if (this.#send(ws, frame)) reached++
    }
    return reached
  }

  async disconnect(who: RealtimeMember): Promise<number> {
    const bySocket = new Map<WebSocket, { state: SocketState; nsps: string[] }>()
    for (const [ws, state, nsp] of this.#index.select(who)) {
      const entry = bySocket.get(ws) ?? { state, nsps: [] }
      entry.nsps.push(nsp)
      bySocket.set(ws, entry)
    }
    let ended = 0
    for (const [ws, { state, nsps }] of bySocket) {
      this.#drop(ws, state, nsps)
      ended += nsps.length
    }
    return ended
  }

  async join(who: RealtimeMember, room: string): Promise<number> {
    checkRoom(room)
    return this.#changeRooms(who, (rooms) => (rooms.includes(room) ? rooms : [...rooms, room]))
  }

  async leave(who: RealtimeMember, room: string): Promise<number> {
    checkRoom(room)
    return this.#changeRooms(who, (rooms) => rooms.filter((r) => r !== room))
  }

  #changeRooms(who: RealtimeMember, change: (rooms: string[]) => string[]): number {
    let changed = 0
    for (const [ws, , nsp] of [...this.#index.select(who)]) {
      // The latest state: an earlier step of this loop may have saved this socket's other namespace.
      const state = this.#index.state(ws)
      const m = state?.nsps[nsp]
      if (!state || !m) continue
      const rooms = change(m.rooms)
      if (rooms.length > MAX_ROOMS) throw new RangeError(`a connection is in at most ${MAX_ROOMS} rooms`)
      this.#index.save(ws, { ...state, nsps: { ...state.nsps, [nsp]: { ...m, rooms } } })
      changed++
    }
    return changed
  }

  async online(sessions: readonly string[]): Promise<string[]> {
    const index = this.#index
    return sessions.filter((sid) => index.hasSession(sid))
  }
}

function checkRoom(room: string): void {
  if (typeof room !== 'string' || !room || room.length > MAX_ROOM_LENGTH)
    throw new RangeError(`a room name is 1–${MAX_ROOM_LENGTH} characters`)
}
