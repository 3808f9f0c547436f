/**
 * `JSON.*` (RedisJSON, which Upstash serves) emulated on a Redis 7 without the module: a document is a Redis
 * string holding its JSON text. Each command reads the text, computes in the emulator and writes back with a
 * compare-and-set Lua script (retried when another client changed the key in between), so concurrent
 * writers never lose an update. Reply shapes follow RedisJSON 2: `$…` paths answer one entry per match,
 * legacy paths (`.`, `.a.b`) answer the first match and fail when there is none. See docs/emulators/redis.md.
 */
import type { RedisArg } from './command-args'
import type { RedisConnection } from './connection-pool'
import { sendRaw } from './connection-pool'
import {
  creationTargets,
  evaluate,
  isObject,
  type JsonLocation,
  JsonPathError,
  type JsonValue,
  type ParsedPath,
  parsePath,
} from './json-path'
import type { RedisReply } from './reply'

/** A RedisJSON command error (wrong type, missing path…): the command's error reply. */
export class JsonCommandError extends Error {
  override name = 'JsonCommandError'
}

/** What one command does to one document: its reply and, for writes, the new document (undefined = delete). */
interface Applied {
  reply: RedisReply
  write?: { document: JsonValue | undefined }
}

type SingleKeyCommand = (document: JsonValue | undefined, args: string[]) => Applied

export const EMULATED_JSON_COMMANDS = [
  'JSON.SET',
  'JSON.GET',
  'JSON.MGET',
  'JSON.DEL',
  'JSON.FORGET',
  'JSON.TYPE',
  'JSON.ARRAPPEND',
  'JSON.ARRLEN',
  'JSON.ARRPOP',
  'JSON.ARRINDEX',
  'JSON.ARRINSERT',
  'JSON.NUMINCRBY',
  'JSON.NUMMULTBY',
  'JSON.STRLEN',
  'JSON.STRAPPEND',
  'JSON.OBJKEYS',
  'JSON.OBJLEN',
  'JSON.TOGGLE',
  'JSON.CLEAR',
] as const

/** RedisJSON commands the client can send that are refused (any other `JSON.*` is refused too). */
export const UNSUPPORTED_JSON_COMMANDS = ['JSON.MERGE', 'JSON.MSET', 'JSON.ARRTRIM', 'JSON.RESP', 'JSON.DEBUG'] as const

const NO_KEY = "ERR could not perform this operation on a key that doesn't exist"
const WRONG_TYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value'
/** Runs in Redis: writes ARGV[3] (or deletes when ARGV[2] is '1') only if the key still holds what was read. */
const COMPARE_AND_SET = `local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current ~= false then return 0 end
elseif current ~= ARGV[4] then return 0 end
if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[3], 'KEEPTTL') end
return 1`
const MAX_ATTEMPTS = 50

function arity(name: string): JsonCommandError {
  return new JsonCommandError(`ERR wrong number of arguments for '${name.toLowerCase()}' command`)
}

function path(text: string | undefined): ParsedPath {
  return parsePath(text ?? '$')
}

function parseValue(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    throw new JsonCommandError(`ERR expected value at line 1 column 1: '${text.slice(0, 40)}' is not JSON`)
  }
}

function typeName(value: JsonValue): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/** Legacy paths answer the first match or fail; `$` paths answer all matches (possibly none). */
function matches(document: JsonValue, parsed: ParsedPath): JsonLocation[] {
  const found = evaluate(document, parsed)
  if (parsed.legacy && found.length === 0) {
    throw new JsonCommandError(`ERR Path '${parsed.text}' does not exist`)
  }
  return found
}

function replace(location: JsonLocation, value: JsonValue, root: { document: JsonValue }): void {
  if (location.parent === undefined) root.document = value
  else if (Array.isArray(location.parent)) location.parent[location.key as number] = value
  else location.parent[location.key as string] = value
}

/**
 * Per-match commands (ARRLEN, STRLEN, NUMINCRBY…): `each` answers a match's reply or `null` when the match has
 * the wrong type; a legacy path turns that into an error and answers the last match's reply alone.
 */
function perMatch(
  document: JsonValue | undefined,
  pathText: string | undefined,
  each: (location: JsonLocation, root: { document: JsonValue }) => RedisReply,
  options: { missingKey: 'null' | 'error'; write?: boolean; expected: string },
): Applied {
  if (document === undefined) {
    if (options.missingKey === 'error') throw new JsonCommandError(NO_KEY)
    return { reply: null }
  }
  const parsed = path(pathText)
  const root = { document }
  const replies = matches(document, parsed).map((location) => each(location, root))
  const write = options.write ? { document: root.document } : undefined
  if (!parsed.legacy) return { reply: replies, write }
  const last = replies.at(-1) ?? null
  if (last === null) throw new JsonCommandError(`WRONGTYPE wrong type of path value - expected ${options.expected}`)
  return { reply: last, write }
}

/** Serializes like JSON.GET's INDENT / NEWLINE / SPACE options (all empty: compact, as JSON.stringify). */
function format(value: JsonValue, indent: string, newline: string, space: string, level = 0): string {
  if (indent === '' && newline === '' && space === '') return JSON.stringify(value)
  const pad = (n: number) => indent.repeat(n)
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    const items = value.map((item) => pad(level + 1) + format(item, indent, newline, space, level + 1))
    return `[${newline}${items.join(`,${newline}`)}${newline}${pad(level)}]`
  }
  if (isObject(value)) {
    const entries = Object.entries(value)
    if (entries.length === 0) return '{}'
    const items = entries.map(
      ([key, item]) =>
        `${pad(level + 1)}${JSON.stringify(key)}:${space}${format(item, indent, newline, space, level + 1)}`,
    )
    return `{${newline}${items.join(`,${newline}`)}${newline}${pad(level)}}`
  }
  return JSON.stringify(value)
}

const SINGLE_KEY: Record<string, SingleKeyCommand> = {
  'JSON.SET'(document, args) {
    const [pathText, valueText, ...rest] = args
    if (pathText === undefined || valueText === undefined || rest.length > 1) throw arity('JSON.SET')
    const condition = rest[0]?.toUpperCase()
    if (condition !== undefined && condition !== 'NX' && condition !== 'XX')
      throw new JsonCommandError('ERR syntax error')
    const value = parseValue(valueText)
    const parsed = path(pathText)
    if (document === undefined) {
      if (parsed.steps.length > 0) throw new JsonCommandError('ERR new objects must be created at the root')
      if (condition === 'XX') return { reply: null }
      return { reply: 'OK', write: { document: value } }
    }
    const found = evaluate(document, parsed)
    const root = { document }
    if (found.length > 0) {
      if (condition === 'NX') return { reply: null }
      for (const location of found) replace(location, structuredClone(value), root)
      return { reply: 'OK', write: { document: root.document } }
    }
    if (condition === 'XX') return { reply: null }
    const targets = creationTargets(document, parsed)
    if (!targets || targets.parents.length === 0) {
      if (parsed.legacy) throw new JsonCommandError(`ERR Path '${pathText}' does not exist`)
      return { reply: null }
    }
    for (const parent of targets.parents) {
      ;(parent.value as { [key: string]: JsonValue })[targets.name] = structuredClone(value)
    }
    return { reply: 'OK', write: { document: root.document } }
  },

  'JSON.GET'(document, args) {
    const options = { INDENT: '', NEWLINE: '', SPACE: '' }
    const paths: string[] = []
    for (let i = 0; i < args.length; i++) {
      const word = args[i]!.toUpperCase()
      if ((word === 'INDENT' || word === 'NEWLINE' || word === 'SPACE') && i + 1 < args.length) {
        options[word] = args[++i]!
      } else paths.push(args[i]!)
    }
    if (document === undefined) return { reply: null }
    const out = (value: JsonValue) => format(value, options.INDENT, options.NEWLINE, options.SPACE)
    const parsedPaths = (paths.length > 0 ? paths : ['.']).map((text) => parsePath(text))
    if (parsedPaths.length === 1) {
      const parsed = parsedPaths[0]!
      const values = matches(document, parsed).map((location) => location.value)
      return { reply: out(parsed.legacy ? values[0]! : values) }
    }
    // Several paths: an object keyed by path; all legacy → first match each, any `$` → arrays of matches.
    const legacy = parsedPaths.every((parsed) => parsed.legacy)
    const result: { [key: string]: JsonValue } = {}
    for (const parsed of parsedPaths) {
      const values = matches(document, parsed).map((location) => location.value)
      result[parsed.text] = legacy ? values[0]! : values
    }
    return { reply: out(result) }
  },

  'JSON.DEL'(document, args) {
    if (args.length > 1) throw arity('JSON.DEL')
    if (document === undefined) return { reply: 0 }
    const parsed = path(args[0])
    const found = evaluate(document, parsed)
    if (found.some((location) => location.parent === undefined)) return { reply: 1, write: { document: undefined } }
    // Array elements go from the highest index down so earlier removals do not shift later ones.
    const ordered = [...found].sort((a, b) =>
      typeof a.key === 'number' && typeof b.key === 'number' ? b.key - a.key : 0,
    )
    let deleted = 0
    for (const location of ordered) {
      const { parent, key } = location
      if (Array.isArray(parent) && typeof key === 'number' && parent[key] === location.value) {
        parent.splice(key, 1)
        deleted++
      } else if (isObject(parent ?? null) && typeof key === 'string' && Object.hasOwn(parent!, key)) {
        delete (parent as { [key: string]: JsonValue })[key]
        deleted++
      }
    }
    return { reply: deleted, write: deleted > 0 ? { document } : undefined }
  },

  'JSON.TYPE'(document, args) {
    if (args.length > 1) throw arity('JSON.TYPE')
    if (document === undefined) return { reply: null }
    const parsed = path(args[0] ?? '.')
    const types = evaluate(document, parsed).map((location) => typeName(location.value))
    return { reply: parsed.legacy ? (types[0] ?? null) : types }
  },

  'JSON.ARRAPPEND'(document, args) {
    const [pathText, ...values] = args
    if (pathText === undefined || values.length === 0) throw arity('JSON.ARRAPPEND')
    const items = values.map(parseValue)
    return perMatch(
      document,
      pathText,
      ({ value }) => {
        if (!Array.isArray(value)) return null
        value.push(...structuredClone(items))
        return value.length
      },
      { missingKey: 'error', write: true, expected: 'array' },
    )
  },

  'JSON.ARRINSERT'(document, args) {
    const [pathText, indexText, ...values] = args
    if (pathText === undefined || indexText === undefined || values.length === 0) throw arity('JSON.ARRINSERT')
    const index = integer(indexText)
    const items = values.map(parseValue)
    return perMatch(
      document,
      pathText,
      ({ value }) => {
        if (!Array.isArray(value)) return null
        const at = index < 0 ? value.length + index : index
        if (at < 0 || at > value.length) throw new JsonCommandError('ERR index out of bounds')
        value.splice(at, 0, ...structuredClone(items))
        return value.length
      },
      { missingKey: 'error', write: true, expected: 'array' },
    )
  },

  'JSON.ARRINDEX'(document, args) {
    const [pathText, valueText, startText, stopText] = args
    if (pathText === undefined || valueText === undefined || args.length > 4) throw arity('JSON.ARRINDEX')
    const needle = JSON.stringify(parseValue(valueText))
    return perMatch(
      document,
      pathText,
      ({ value }) => {
        if (!Array.isArray(value)) return null
        const length = value.length
        const norm = (n: number) => Math.min(Math.max(n < 0 ? length + n : n, 0), length)
        const start = norm(startText === undefined ? 0 : integer(startText))
        const stopRaw = stopText === undefined ? 0 : integer(stopText)
        const stop = stopRaw === 0 ? length : norm(stopRaw)
        for (let i = start; i < stop; i++) if (JSON.stringify(value[i]) === needle) return i
        return -1
      },
      { missingKey: 'error', expected: 'array' },
    )
  },

  'JSON.ARRPOP'(document, args) {
    const [pathText, indexText] = args
    if (args.length > 2) throw arity('JSON.ARRPOP')
    const index = indexText === undefined ? -1 : integer(indexText)
    const applied = perMatch(
      document,
      pathText ?? '.',
      ({ value }) => {
        if (!Array.isArray(value)) return null
        if (value.length === 0) return 'null'
        const at = Math.min(Math.max(index < 0 ? value.length + index : index, 0), value.length - 1)
        return JSON.stringify(value.splice(at, 1)[0])
      },
      { missingKey: 'error', write: true, expected: 'array' },
    )
    // RedisJSON answers nil (not "null") for popping an empty array.
    const nil = (reply: RedisReply) => (reply === 'null' ? null : reply)
    return { ...applied, reply: Array.isArray(applied.reply) ? applied.reply.map(nil) : nil(applied.reply) }
  },

  'JSON.ARRLEN'(document, args) {
    if (args.length > 1) throw arity('JSON.ARRLEN')
    return perMatch(document, args[0] ?? '.', ({ value }) => (Array.isArray(value) ? value.length : null), {
      missingKey: 'null',
      expected: 'array',
    })
  },

  'JSON.NUMINCRBY'(document, args) {
    return numberOp('JSON.NUMINCRBY', document, args, (a, b) => a + b)
  },

  'JSON.NUMMULTBY'(document, args) {
    return numberOp('JSON.NUMMULTBY', document, args, (a, b) => a * b)
  },

  'JSON.STRLEN'(document, args) {
    if (args.length > 1) throw arity('JSON.STRLEN')
    return perMatch(document, args[0] ?? '.', ({ value }) => (typeof value === 'string' ? value.length : null), {
      missingKey: 'null',
      expected: 'string',
    })
  },

  'JSON.STRAPPEND'(document, args) {
    const [first, second] = args
    if (first === undefined || args.length > 2) throw arity('JSON.STRAPPEND')
    const [pathText, valueText] = second === undefined ? ['.', first] : [first, second]
    const suffix = parseValue(valueText)
    if (typeof suffix !== 'string') throw new JsonCommandError('WRONGTYPE wrong type of value - expected string')
    return perMatch(
      document,
      pathText,
      (location, root) => {
        if (typeof location.value !== 'string') return null
        const next = location.value + suffix
        replace(location, next, root)
        return next.length
      },
      { missingKey: 'error', write: true, expected: 'string' },
    )
  },

  'JSON.OBJKEYS'(document, args) {
    if (args.length > 1) throw arity('JSON.OBJKEYS')
    return perMatch(document, args[0] ?? '.', ({ value }) => (isObject(value) ? Object.keys(value) : null), {
      missingKey: 'null',
      expected: 'object',
    })
  },

  'JSON.OBJLEN'(document, args) {
    if (args.length > 1) throw arity('JSON.OBJLEN')
    return perMatch(document, args[0] ?? '.', ({ value }) => (isObject(value) ? Object.keys(value).length : null), {
      missingKey: 'null',
      expected: 'object',
    })
  },

  'JSON.TOGGLE'(document, args) {
    if (args.length !== 1) throw arity('JSON.TOGGLE')
    return perMatch(
      document,
      args[0],
      (location, root) => {
        if (typeof location.value !== 'boolean') return null
        replace(location, !location.value, root)
        return location.value ? 0 : 1
      },
      { missingKey: 'error', write: true, expected: 'bool' },
    )
  },

  'JSON.CLEAR'(document, args) {
    if (args.length > 1) throw arity('JSON.CLEAR')
    if (document === undefined) throw new JsonCommandError(NO_KEY)
    const root = { document }
    let cleared = 0
    for (const location of evaluate(document, path(args[0]))) {
      const { value } = location
      if (Array.isArray(value) ? value.length > 0 : isObject(value) ? Object.keys(value).length > 0 : false) {
        replace(location, Array.isArray(value) ? [] : {}, root)
        cleared++
      } else if (typeof value === 'number' && value !== 0) {
        replace(location, 0, root)
        cleared++
      }
    }
    return { reply: cleared, write: cleared > 0 ? { document: root.document } : undefined }
  },
}
SINGLE_KEY['JSON.FORGET'] = SINGLE_KEY['JSON.DEL']!

function integer(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new JsonCommandError('ERR value is not an integer or out of range')
  return Number(text)
}

function numberOp(
  name: string,
  document: JsonValue | undefined,
  args: string[],
  op: (a: number, b: number) => number,
): Applied {
  const [pathText, operandText] = args
  if (pathText === undefined || operandText === undefined || args.length > 2) throw arity(name)
  const operand = parseValue(operandText)
  if (typeof operand !== 'number') throw new JsonCommandError('ERR expected a number')
  const applied = perMatch(
    document,
    pathText,
    (location, root) => {
      if (typeof location.value !== 'number') return null
      const next = op(location.value, operand)
      if (!Number.isFinite(next)) throw new JsonCommandError('ERR result is not a finite number')
      replace(location, next, root)
      return JSON.stringify(next)
    },
    { missingKey: 'error', write: true, expected: 'number' },
  )
  // RedisJSON answers one bulk string: the JSON array of new values for `$` paths, the new value for legacy.
  const reply = Array.isArray(applied.reply)
    ? `[${applied.reply.map((item) => (item === null ? 'null' : String(item))).join(',')}]`
    : applied.reply
  return { ...applied, reply }
}

function decodeDocument(raw: RedisReply): JsonValue | undefined {
  if (raw === null) return undefined
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw)
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    throw new JsonCommandError(WRONG_TYPE)
  }
}

/** A prepared JSON command: runs on the request's connection, after the commands sent before it. */
export type JsonRun = (connection: RedisConnection) => Promise<RedisReply>

/** The runner for an emulated `JSON.*` command, or undefined when the subcommand is not emulated. */
export function jsonCommand(name: string, rawArgs: RedisArg[]): JsonRun | undefined {
  const args = rawArgs.map((arg) => arg.toString())
  if (name === 'JSON.MGET') {
    return async (connection) => {
      if (args.length < 2) throw arity(name)
      const keys = args.slice(0, -1)
      const parsed = parsePath(args.at(-1)!)
      const raws = await sendRaw(connection, 'MGET', keys)
      return (Array.isArray(raws) ? raws : []).map((raw) => {
        let document: JsonValue | undefined
        try {
          document = decodeDocument(raw)
        } catch {
          return null // RedisJSON answers nil for keys that are not JSON documents
        }
        if (document === undefined) return null
        const values = evaluate(document, parsed).map((location) => location.value)
        if (parsed.legacy) return values.length > 0 ? JSON.stringify(values[0]) : null
        return JSON.stringify(values)
      })
    }
  }
  const apply = SINGLE_KEY[name]
  if (!apply) return undefined
  return async (connection) => {
    const [key, ...rest] = args
    if (key === undefined) throw arity(name)
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = await sendRaw(connection, 'GET', [key])
      const document = decodeDocument(raw)
      const applied = apply(document, rest)
      if (!applied.write) return applied.reply
      const next = applied.write.document
      const previous: RedisArg = Buffer.isBuffer(raw) ? raw : raw === null ? '' : String(raw)
      const written = await sendRaw(connection, 'EVAL', [
        COMPARE_AND_SET,
        '1',
        key,
        raw === null ? '' : 'exists',
        next === undefined ? '1' : '0',
        next === undefined ? '' : JSON.stringify(next),
        previous,
      ])
      if (written === 1) return applied.reply
    }
    throw new JsonCommandError(`ERR ${name}: the key kept changing under concurrent writes, try again`)
  }
}

export function isJsonPathError(err: unknown): boolean {
  return err instanceof JsonPathError || err instanceof JsonCommandError
}
