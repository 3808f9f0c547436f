/**
 * What the hub knows about its sockets. Each socket's state lives in its WebSocket attachment (kept by the runtime
 * across hibernation, ≤ 16 KB); this module indexes those states in memory by user, session and room so a targeted
 * push touches only its sockets. The index is rebuilt from the attachments when the hub wakes (one pass), then kept
 * up to date as sockets connect, join, leave and close.
 *
 * Why not WebSocket tags: tags are fixed when the runtime accepts a socket, and a Socket.IO client says who it is only
 * afterwards, in its CONNECT packet.
 */
import type { Lang } from '../../core/i18n'
import type { RealtimeMember, RealtimeTarget } from '../../infra/realtime'

/** One namespace connection of a socket, after its CONNECT was authenticated. */
export interface Membership {
  /** Socket.IO's id of this namespace connection (sent in the CONNECT ack). */
  sid: string
  user: number
  session: string
  /** When the login session ends (epoch ms; it does not move on refresh): the connection ends with it. */
  sessionEnds: number
  rooms: string[]
}

/** The service endpoints a socket's logins are checked against (see ./endpoints.ts). */
export type HubEndpoints = Readonly<Record<string, string>>

export interface SocketState {
  /** Engine.IO session id. */
  id: string
  /** Epoch ms. */
  openedAt: number
  /** The language of the upgrade request (`Accept-Language`): CONNECT errors are written in it. */
  lang: Lang
  endpoints: HubEndpoints
  /** Connected namespaces (`/`, `/ws`) by name. */
  nsps: Record<string, Membership>
}

/** At most this many rooms per connection, each name at most this long (the attachment is capped at 16 KB). */
export const MAX_ROOMS = 64
export const MAX_ROOM_LENGTH = 128

type Key = `u:${number}` | `s:${string}` | `r:${string}`

const keysOf = (m: Membership): Key[] => [`u:${m.user}`, `s:${m.session}`, ...m.rooms.map((r): Key => `r:${r}`)]

function keyOf(target: Exclude<RealtimeTarget, 'all'>): Key {
  if ('user' in target) return `u:${target.user}`
  if ('session' in target) return `s:${target.session}`
  return `r:${target.room}`
}

/** Whether a namespace connection is one `target` names. */
export function matches(m: Membership, target: RealtimeTarget | RealtimeMember): boolean {
  if (target === 'all') return true
  if ('user' in target) return m.user === target.user
  if ('session' in target) return m.session === target.session
  return m.rooms.includes(target.room)
}

export class Connections {
  readonly #states = new Map<WebSocket, SocketState>()
  readonly #byKey = new Map<Key, Set<WebSocket>>()

  /** The index of the sockets the runtime holds, from their attachments (a socket without one is left out). */
  static from(sockets: readonly WebSocket[]): Connections {
    const connections = new Connections()
    for (const ws of sockets) {
      const state = ws.deserializeAttachment() as SocketState | null
      if (state) connections.set(ws, state)
    }
    return connections
  }

  get size(): number {
    return this.#states.size
  }

  state(ws: WebSocket): SocketState | undefined {
    return this.#states.get(ws)
  }

  /** Records a socket's (new) state: in its attachment, so it survives hibernation, and in the index. */
  save(ws: WebSocket, state: SocketState): void {
    ws.serializeAttachment(state)
    this.set(ws, state)
  }

  private set(ws: WebSocket, state: SocketState): void {
    this.#unindex(ws)
    this.#states.set(ws, state)
    for (const m of Object.values(state.nsps)) {
      for (const key of keysOf(m)) {
        let set = this.#byKey.get(key)
        if (!set) {
          set = new Set()
          this.#byKey.set(key, set)
        }
        set.add(ws)
      }
    }
  }

  remove(ws: WebSocket): SocketState | undefined {
    const state = this.#states.get(ws)
    this.#unindex(ws)
    this.#states.delete(ws)
    return state
  }

  #unindex(ws: WebSocket): void {
    const state = this.#states.get(ws)
    if (!state) return
    for (const m of Object.values(state.nsps)) {
      for (const key of keysOf(m)) {
        const set = this.#byKey.get(key)
        set?.delete(ws)
        if (set?.size === 0) this.#byKey.delete(key)
      }
    }
  }

  /** Every namespace connection `target` names, with its socket. */
  *select(target: RealtimeTarget | RealtimeMember): Generator<[WebSocket, SocketState, string, Membership]> {
    const sockets = target === 'all' ? this.#states.keys() : (this.#byKey.get(keyOf(target)) ?? [])
    // A copy: the caller may change the index while walking (a kick removes what it visits).
    for (const ws of [...sockets]) {
      const state = this.#states.get(ws)
      if (!state) continue
      for (const [nsp, m] of Object.entries(state.nsps)) if (matches(m, target)) yield [ws, state, nsp, m]
    }
  }

  /** Whether a session has a connected namespace on any socket. */
  hasSession(session: string): boolean {
    return (this.#byKey.get(`s:${session}`)?.size ?? 0) > 0
  }

  sockets(): IterableIterator<[WebSocket, SocketState]> {
    return this.#states.entries()
  }
}
