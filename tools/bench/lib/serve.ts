/**
 * A tiny `node:http` host for a fetch handler (benchmarks only): Node request → `Request`, the handler's `Response`
 * → Node response. Bodies are read whole (deliveries and API answers are small). The handler sees the request before
 * and after everything else in this process, so a benchmark can measure around it (tools/bench/tasks.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

/** The Workers `ExecutionContext` a benchmark hands the app: `waitUntil` promises are collected in `pending`. */
export interface Ctx {
  waitUntil(p: Promise<unknown>): void
  passThroughOnException(): void
  props: Record<string, unknown>
}

export function context(pending: Promise<unknown>[]): Ctx {
  return { waitUntil: (p) => void pending.push(p), passThroughOnException: () => undefined, props: {} }
}

export interface Served {
  /** `http://127.0.0.1:<port>`. */
  url: string
  close(): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function toRequest(req: IncomingMessage, origin: string, body: Buffer): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(`${origin}${req.url ?? '/'}`, {
    method,
    headers,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  })
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer())
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length) headers['set-cookie'] = cookies
  headers['content-length'] = String(body.length)
  res.writeHead(response.status, headers)
  res.end(body)
}

/** Serves `handle` on 127.0.0.1 (a free port unless given); a handler that throws answers 500. */
export async function serve(handle: (request: Request) => Promise<Response>, port = 0): Promise<Served> {
  let origin = ''
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => handle(toRequest(req, origin, body)))
      .then((response) => writeResponse(res, response))
      .catch((err: unknown) => {
        console.error('[bench server]', err)
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('bench server: no TCP address')
  origin = `http://127.0.0.1:${address.port}`
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
