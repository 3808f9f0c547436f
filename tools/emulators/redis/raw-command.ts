/**
 * One RESP2 command over a fresh TCP connection, for readiness probes (PING) before any client pool exists.
 * Understands the scalar replies only (simple string, error, integer, bulk string).
 */
import { connect } from 'node:net'

const PROBE_TIMEOUT_MS = 2_000

export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)]
  for (const arg of args) {
    const bytes = Buffer.from(arg, 'utf8')
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'))
  }
  return Buffer.concat(parts)
}

/** A complete scalar reply in `data`, `undefined` while more bytes are needed. Error replies throw. */
export function parseScalarReply(data: Buffer): string | number | null | undefined {
  const lineEnd = data.indexOf('\r\n')
  if (lineEnd < 0) return undefined
  const type = String.fromCharCode(data[0] ?? 0)
  const line = data.subarray(1, lineEnd).toString('utf8')
  switch (type) {
    case '+':
      return line
    case '-':
      throw new Error(line)
    case ':':
      return Number(line)
    case '$': {
      const length = Number(line)
      if (length < 0) return null
      const start = lineEnd + 2
      if (data.length < start + length + 2) return undefined
      return data.subarray(start, start + length).toString('utf8')
    }
    default:
      throw new Error(`unexpected RESP reply type ${JSON.stringify(type)}`)
  }
}

export function sendRawCommand(
  port: number,
  args: readonly string[],
  host = '127.0.0.1',
): Promise<string | number | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host })
    let data = Buffer.alloc(0)
    const finish = (err: unknown, value?: string | number | null) => {
      socket.destroy()
      if (err) reject(err)
      else resolve(value ?? null)
    }
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish(new Error('timed out waiting for a reply')))
    socket.once('error', (err) => finish(err))
    socket.once('connect', () => socket.write(encodeCommand(args)))
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      try {
        const reply = parseScalarReply(data)
        if (reply !== undefined) finish(undefined, reply)
      } catch (err) {
        finish(err)
      }
    })
    socket.once('end', () => finish(new Error('connection closed before a reply')))
  })
}
