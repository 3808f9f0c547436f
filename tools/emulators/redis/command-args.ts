/**
 * Turns what arrives over HTTP (a JSON command array, or path segments + body) into a Redis command,
 * rejecting shapes Redis cannot take with Upstash-style `ERR …` messages.
 */

export type RedisArg = string | Buffer

export interface RedisCommand {
  /** As sent by the client (Redis command names are case-insensitive). */
  name: string
  args: RedisArg[]
}

/** A request whose shape is wrong (not a command array, nested objects…). Answered with HTTP 400. */
export class CommandShapeError extends Error {
  override name = 'CommandShapeError'
}

/**
 * One command from JSON: `["SET", "k", "v", "EX", 100]`. The SDK sends numbers and booleans unquoted (it only
 * JSON-stringifies objects), so they become the text Redis would get from a RESP client: `100`, `1.5`, `true`.
 */
export function commandFromJson(value: unknown, position?: number): RedisCommand {
  const where = position === undefined ? 'command' : `command #${position + 1}`
  if (!Array.isArray(value)) {
    throw new CommandShapeError(`ERR ${where} must be a JSON array like ["SET","key","value"], got ${describe(value)}`)
  }
  if (value.length === 0) throw new CommandShapeError(`ERR ${where} is empty`)
  const [name, ...rest] = value as unknown[]
  if (typeof name !== 'string' || name.length === 0) {
    throw new CommandShapeError(`ERR ${where}: the command name must be a non-empty string, got ${describe(name)}`)
  }
  const args = rest.map((arg, index) => {
    const text = argumentText(arg)
    if (text === undefined) {
      throw new CommandShapeError(
        `ERR ${where} (${name}): argument ${index + 1} must be a string, number or boolean, got ${describe(arg)}`,
      )
    }
    return text
  })
  return { name, args }
}

/** The body of `/pipeline` and `/multi-exec`: an array of command arrays. */
export function commandsFromJson(value: unknown): RedisCommand[] {
  if (!Array.isArray(value)) {
    throw new CommandShapeError(`ERR the body must be a JSON array of command arrays, got ${describe(value)}`)
  }
  if (value.length === 0) throw new CommandShapeError('ERR the command list is empty')
  return value.map((item, index) => commandFromJson(item, index))
}

/**
 * Path-style command (`GET /set/foo/bar`, `POST /set/foo` with the value as body, `?EX=100` as extra args).
 * `_token` is the auth query parameter, not an argument; a query key without value is a bare flag (`?NX`).
 */
export function commandFromPath(segments: string[], query: URLSearchParams, body: Buffer | undefined): RedisCommand {
  const [name, ...args] = segments
  if (!name) throw new CommandShapeError('ERR empty command')
  const all: RedisArg[] = [...args]
  if (body && body.length > 0) all.push(body)
  for (const [key, value] of query) {
    if (key === '_token') continue
    all.push(key)
    if (value !== '') all.push(value)
  }
  return { name, args: all }
}

function argumentText(arg: unknown): string | undefined {
  switch (typeof arg) {
    case 'string':
      return arg
    case 'number':
      return Number.isFinite(arg) ? String(arg) : undefined
    case 'boolean':
      return arg ? 'true' : 'false'
    default:
      return undefined
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}
