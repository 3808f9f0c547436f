/**
 * A raw Engine.IO v4 / Socket.IO v5 client for Worker tests: it opens `/ws/socket.io` through the whole app (the
 * harness's `send`, so with this file's database and Redis) and speaks frames as text, so tests see exactly what goes
 * over the wire. The frames are written by hand on purpose — they are what the protocol says, not what our parser
 * produces.
 */
import { env } from 'cloudflare:workers'
import { z } from '@hono/zod-openapi'
import { expect } from 'vitest'
import { loadConfig } from '../../../src/core/config'
import { Logger } from '../../../src/core/logging'
import { createRealtime, type Realtime } from '../../../src/infra/realtime'
import type { Overrides } from '../../helpers/app'
import { send } from '../../helpers/harness'
import { fileBindings } from '../../helpers/isolation'

export const SOCKET_PATH = '/ws/socket.io/?EIO=4&transport=websocket'

/** The pushing side a domain gets (`c.var.realtime`), on this file's bindings, for tests that push without a request. */
export function fileRealtime(): Realtime {
  const bindings = { ...env, ...fileBindings }
  return createRealtime(bindings, loadConfig(bindings), new Logger({}, 'warn'))
}

export interface Closed {
  code: number
  reason: string
}

export class RawSocket {
  readonly frames: string[] = []
  #waiters: (() => void)[] = []
  #closed: Closed | undefined
  readonly closed: Promise<Closed>

  constructor(readonly ws: WebSocket) {
    let onClose: (closed: Closed) => void = () => undefined
    this.closed = new Promise((resolve) => {
      onClose = resolve
    })
    ws.addEventListener('message', (event) => {
      this.frames.push(typeof event.data === 'string' ? event.data : '<binary>')
      this.#wake()
    })
    ws.addEventListener('close', (event) => {
      this.#closed = { code: event.code, reason: event.reason }
      onClose(this.#closed)
      this.#wake()
    })
    ws.accept()
  }

  #wake(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }

  get isClosed(): boolean {
    return this.#closed !== undefined
  }

  send(frame: string | ArrayBuffer): void {
    this.ws.send(frame)
  }

  /** The next frame (in order; frames already received are taken first); fails after `ms`. */
  async next(ms = 2000): Promise<string> {
    const deadline = Date.now() + ms
    while (this.frames.length === 0) {
      if (this.#closed) throw new Error(`socket closed (${this.#closed.code} ${this.#closed.reason}) with no frame`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error('no frame within the time limit')
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.frames.shift() as string
  }

  /** Waits until the socket is closed (fails after `ms`). */
  async waitClosed(ms = 2000): Promise<Closed> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('socket still open')), ms)
    })
    try {
      return await Promise.race([this.closed, expired])
    } finally {
      clearTimeout(timer)
    }
  }

  /** No frame arrives within `ms` (for "this socket got nothing" checks). */
  async quiet(ms = 200): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms))
    expect(this.frames).toEqual([])
  }

  close(): void {
    if (!this.#closed) this.ws.close(1000, 'test done')
  }
}

export interface OpenOptions {
  headers?: Record<string, string>
  overrides?: Overrides
  path?: string
}

/** The upgrade answer itself (to check refusals). */
export function upgrade(options: OpenOptions = {}): Promise<Response> {
  return send('GET', options.path ?? SOCKET_PATH, {
    headers: { Upgrade: 'websocket', ...options.headers },
    overrides: options.overrides,
  })
}

/** Opens a socket and reads Engine.IO's open packet. */
export async function openSocket(options: OpenOptions = {}): Promise<{ socket: RawSocket; open: EngineOpen }> {
  const res = await upgrade(options)
  expect(res.status).toBe(101)
  const ws = res.webSocket
  if (!ws) throw new Error('no WebSocket in the 101 answer')
  const socket = new RawSocket(ws)
  const first = await socket.next()
  expect(first.startsWith('0')).toBe(true)
  return { socket, open: JSON.parse(first.slice(1)) as EngineOpen }
}

export interface EngineOpen {
  sid: string
  upgrades: string[]
  pingInterval: number
  pingTimeout: number
  maxPayload: number
}

/** `40` / `40/ws,` with fba's auth payload. */
export function connectFrame(nsp: string, auth?: Record<string, unknown>): string {
  const prefix = nsp === '/' ? '40' : `40${nsp},`
  return auth ? `${prefix}${JSON.stringify(auth)}` : prefix
}

/** Reads a Socket.IO frame `4<type>[/nsp,]<json>` into its parts (for assertions). */
export function socketPacket(frame: string): { type: number; nsp: string; data: unknown } {
  expect(frame[0]).toBe('4')
  const type = Number(frame[1])
  let rest = frame.slice(2)
  let nsp = '/'
  if (rest.startsWith('/')) {
    const comma = rest.indexOf(',')
    nsp = comma === -1 ? rest : rest.slice(0, comma)
    rest = comma === -1 ? '' : rest.slice(comma + 1)
  }
  return { type, nsp, data: rest ? JSON.parse(rest) : undefined }
}

/** Opens a socket and connects `nsp` as fba's admin UI does; returns the CONNECT ack's sid. */
export async function connectAs(
  login: { accessToken: string; sessionUuid: string },
  options: OpenOptions & { nsp?: string } = {},
): Promise<{ socket: RawSocket; sid: string }> {
  const { socket } = await openSocket(options)
  const nsp = options.nsp ?? '/'
  socket.send(connectFrame(nsp, { token: login.accessToken, session_uuid: login.sessionUuid }))
  const ack = socketPacket(await socket.next())
  expect(ack, JSON.stringify(ack)).toMatchObject({ type: 0, nsp })
  return { socket, sid: z.object({ sid: z.string() }).parse(ack.data).sid }
}

/** The hub's stub, for RPC and the Durable Object test helpers. */
export function hubStub(): DurableObjectStub {
  const namespace = (env as unknown as { REALTIME_HUB: DurableObjectNamespace }).REALTIME_HUB
  return namespace.get(namespace.idFromName('hub'))
}
