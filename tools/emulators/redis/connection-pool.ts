/**
 * A few ioredis connections bound to one logical database, and a raw send that bypasses ioredis's
 * per-command conveniences.
 *
 * ioredis keys its reply transformers and connection bookkeeping on the lower-case command name (`hgetall`
 * becomes an object, `select` moves its db tracking, `quit` closes…). Upstash clients expect Redis's flat
 * arrays, so commands go out with upper-case names and `replyEncoding: null`: replies stay raw RESP values
 * (Buffers, numbers, arrays), binary-safe for base64.
 */
import { Command, Redis, type RedisOptions } from 'ioredis'
import type { RedisArg } from './command-args'
import type { RedisReply } from './reply'

export type RedisConnection = Redis

/** Connection options for ioredis from a `redis://[user:password@]host:port` URL (its db path is ignored). */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url)
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`expected a redis:// or rediss:// URL, got ${url}`)
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  }
}

/** Sends one command with its raw reply; Redis error replies reject with ioredis's ReplyError. */
export function sendRaw(connection: RedisConnection, name: string, args: RedisArg[]): Promise<RedisReply> {
  const command = new Command(name.toUpperCase(), args, { replyEncoding: null })
  connection.sendCommand(command)
  return command.promise as Promise<RedisReply>
}

export class ConnectionPool {
  readonly #connections: RedisConnection[]
  #next = 0

  constructor(base: RedisOptions, db: number, size: number) {
    this.#connections = Array.from(
      { length: Math.max(1, size) },
      () =>
        new Redis({
          ...base,
          db,
          lazyConnect: true,
          connectionName: `stratum-emulator-db${db}`,
          // Fail requests while Redis is down instead of queueing them forever.
          maxRetriesPerRequest: 1,
          // A half-sent MULTI/EXEC must never be replayed on a fresh connection.
          autoResendUnfulfilledCommands: false,
          retryStrategy: (times) => Math.min(times * 100, 2_000),
        }),
    )
    for (const connection of this.#connections) {
      // Connection errors surface as failed commands; without a listener ioredis would log each one.
      connection.on('error', () => undefined)
    }
  }

  /** Connects every connection (SELECT db included) so no command is sent before its database is selected. */
  async connect(): Promise<void> {
    await Promise.all(this.#connections.map((connection) => connection.connect()))
  }

  /** Round-robin; one HTTP request uses one connection so its commands run in the order sent. */
  acquire(): RedisConnection {
    const connection = this.#connections[this.#next % this.#connections.length]!
    this.#next = (this.#next + 1) % this.#connections.length
    return connection
  }

  close(): void {
    for (const connection of this.#connections) connection.disconnect()
  }
}
