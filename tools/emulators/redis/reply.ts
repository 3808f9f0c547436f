/**
 * Redis replies as the connection pool hands them over (raw RESP2, no ioredis reply transformers) and their
 * translation into Upstash REST result values.
 */

/**
 * Bulk and status strings arrive as Buffers (binary-safe), integers as numbers, nil as null.
 * Errors only appear nested (inside an EXEC reply or a Lua table); top-level errors reject instead.
 */
export type RedisReply = Buffer | string | number | null | Error | RedisReply[]

/** What goes into `{"result": …}`. */
export type UpstashResult = string | number | null | UpstashResult[]

const OK = 'OK'

/**
 * Upstash encodes every string of a result in base64 when the request says `Upstash-Encoding: base64`
 * (the @upstash/redis default) — except a top-level "OK", which the client compares before decoding.
 * Nested strings are always encoded: the client base64-decodes every string inside an array, "OK" included.
 */
export function toUpstashResult(reply: RedisReply, base64: boolean): UpstashResult {
  if (base64 && isOk(reply)) return OK
  return convert(reply, base64)
}

function convert(reply: RedisReply, base64: boolean): UpstashResult {
  if (reply === null || typeof reply === 'number') return reply
  if (Array.isArray(reply)) return reply.map((item) => convert(item, base64))
  // A nested error (e.g. redis.error_reply inside a Lua table) has no JSON form: pass its message on.
  const bytes =
    reply instanceof Error ? Buffer.from(reply.message) : typeof reply === 'string' ? Buffer.from(reply) : reply
  return base64 ? bytes.toString('base64') : bytes.toString('utf8')
}

function isOk(reply: RedisReply): boolean {
  if (typeof reply === 'string') return reply === OK
  return Buffer.isBuffer(reply) && reply.length === 2 && reply.toString('latin1') === OK
}

/** The message of a Redis error reply as Upstash forwards it (`ERR …`, `WRONGTYPE …`, `NOSCRIPT …`). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
