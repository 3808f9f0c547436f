/**
 * Small HTTP helpers shared by the local emulators (libSQL, Upstash Redis, QStash).
 * Node-only: nothing here ships in the Worker.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

export interface ListenOptions {
  /** Interface to bind; emulators are for local use, so loopback by default. */
  host?: string
  /** 0 (the default) picks a free port. */
  port?: number
}

export interface RunningServer {
  server: Server
  host: string
  port: number
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string
  close(): Promise<void>
}

/** Thrown by handlers to answer with a status and a JSON body; anything else becomes a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body))
  }
}

/**
 * Starts an HTTP server whose handler errors never crash the process: `HttpError`s become their
 * response, anything else a 500 with the message (an emulator must survive garbage input).
 */
export async function listen(handler: Handler, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const sockets = new Set<import('node:net').Socket>()
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy()
          return
        }
        if (err instanceof HttpError) {
          sendJson(res, err.status, err.body, err.headers)
        } else {
          sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) })
        }
      })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('clientError', (_err, socket) => socket.destroy())
  // Longer than any client's idle keep-alive (undici 4 s, workerd's pool), so the client always drops an idle socket
  // first: a client whose event loop was blocked past the server's timeout (a test's spawnSync) would otherwise send
  // on a socket the server just closed ("other side closed"). Managed services keep idle connections longer too.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  return {
    server,
    host,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Reads the whole request body; rejects with 413 past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 32 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > limit) throw new HttpError(413, { error: 'request body too large' })
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

/** Parses a JSON body; malformed JSON becomes a 400 with `{ error }` (override `status`/`shape` per protocol). */
export async function readJson(req: IncomingMessage, limit?: number): Promise<unknown> {
  const raw = await readBody(req, limit)
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw new HttpError(400, { error: 'request body is not valid JSON' })
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** The bearer token of a request, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  if (!header) return undefined
  const match = /^Bearer\s+(.+)$/i.exec(header)
  return match?.[1]?.trim()
}

/** Asks the OS for a free TCP port on `host` (used when a child process needs a port up front). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const probe = await listen(() => undefined, { host, port: 0 })
  const { port } = probe
  await probe.close()
  return port
}
