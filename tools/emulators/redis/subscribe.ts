/**
 * `redis.subscribe()` / `redis.psubscribe()` of @upstash/redis: `POST /subscribe/<channel>` or
 * `/psubscribe/<pattern>` with `Accept: text/event-stream` opens a Server-Sent Events stream fed by a dedicated
 * Redis SUBSCRIBE connection. Each event is one `data:` line in Redis's reply order, comma-separated as the
 * client parses it: `subscribe,<channel>,<count>`, `message,<channel>,<payload>`,
 * `pmessage,<pattern>,<channel>,<payload>`. Closing the request (the client's unsubscribe aborts it) closes
 * the Redis connection. Channels are server-wide, like Redis's (docs/emulators/redis.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Redis, type RedisOptions } from 'ioredis'
import { HttpError } from '../shared/http'

export function isSubscribeRoute(segments: string[]): 'subscribe' | 'psubscribe' | undefined {
  const name = segments[0]?.toLowerCase()
  return name === 'subscribe' || name === 'psubscribe' ? name : undefined
}

/** Open subscriber connections, closed with the emulator. */
export class Subscriptions {
  readonly #open = new Set<Redis>()

  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    options: RedisOptions,
    kind: 'subscribe' | 'psubscribe',
    channels: string[],
  ): Promise<void> {
    if (channels.length === 0 || channels.some((channel) => channel === '')) {
      throw new HttpError(400, { error: `ERR wrong number of arguments for '${kind}' command` })
    }
    // `db` is irrelevant to pub/sub; one attempt, and no resubscribing behind the client's back.
    const connection = new Redis({ ...options, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null })
    connection.on('error', () => undefined)
    this.#open.add(connection)
    const close = () => {
      this.#open.delete(connection)
      connection.disconnect()
    }
    try {
      await connection.connect()
    } catch (err) {
      close()
      throw new HttpError(500, { error: `ERR emulator lost its Redis connection: ${String(err)}` })
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    })
    res.flushHeaders()
    const send = (fields: (string | number | Buffer)[]) => {
      if (res.writableEnded) return
      // SSE ends an event at a newline: a payload's line breaks are escaped so the event stays one line.
      const line = fields.map((field) => String(field).replace(/\r?\n/g, '\\n')).join(',')
      res.write(`data: ${line}\n\n`)
    }
    connection.on('messageBuffer', (channel: Buffer, message: Buffer) => send(['message', channel, message]))
    connection.on('pmessageBuffer', (pattern: Buffer, channel: Buffer, message: Buffer) =>
      send(['pmessage', pattern, channel, message]),
    )
    res.on('close', close)
    req.on('close', close)
    connection.on('end', () => res.end())
    try {
      const count = await (kind === 'subscribe'
        ? connection.subscribe(...channels)
        : connection.psubscribe(...channels))
      // One confirmation per channel, as Redis sends them; the count is this stream's subscriptions.
      for (const [index, channel] of channels.entries()) send([kind, channel, Math.min(index + 1, Number(count))])
    } catch (err) {
      send(['error', kind, String(err)])
      res.end()
      close()
    }
  }

  close(): void {
    for (const connection of this.#open) connection.disconnect()
    this.#open.clear()
  }
}
