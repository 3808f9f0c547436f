/**
 * Hash-field expiry (Redis 7.4: `HEXPIRE` … `HPERSIST`; Redis 8: `HGETEX`, `HSETEX`, `HGETDEL`) on a Redis 7.0
 * backend. Each hash with field deadlines has a companion sorted set `__hfe__:<key>` (field → deadline in unix
 * ms). Every command here is one Lua script, so it is atomic and works in `/`, `/pipeline` and `/multi-exec`.
 *
 * Expired fields disappear lazily: once a namespace has used field expiry, the ordinary hash commands
 * (`HGET`, `HGETALL`, `HLEN`, `HSET`, `HDEL` …) run through a script that first deletes the fields whose
 * deadline has passed. Key-level commands (`EXISTS`, `TYPE`, `SCAN`, `DEL`'s count) see a hash as it is until
 * a hash command touches it — the documented limit (docs/emulators/redis.md).
 */
import type { RedisArg } from './command-args'
import type { ScriptPlan } from './script-plan'

export const FIELD_DEADLINES_PREFIX = '__hfe__:'

/** Commands that read or write hash fields: they purge expired fields first once field expiry is in use. */
export const HASH_COMMANDS: Record<string, 'none' | 'pairs' | 'all'> = {
  HGET: 'none',
  HMGET: 'none',
  HGETALL: 'none',
  HLEN: 'none',
  HKEYS: 'none',
  HVALS: 'none',
  HEXISTS: 'none',
  HSTRLEN: 'none',
  HSCAN: 'none',
  HRANDFIELD: 'none',
  HINCRBY: 'none', // keeps the field's deadline, as Redis does
  HINCRBYFLOAT: 'none',
  HSETNX: 'none', // only sets a field that does not exist, which has no deadline
  HSET: 'pairs', // overwriting a value clears its deadline
  HMSET: 'pairs',
  HDEL: 'all',
}

export const FIELD_EXPIRY_COMMANDS = [
  'HEXPIRE',
  'HPEXPIRE',
  'HEXPIREAT',
  'HPEXPIREAT',
  'HTTL',
  'HPTTL',
  'HEXPIRETIME',
  'HPEXPIRETIME',
  'HPERSIST',
  'HGETEX',
  'HSETEX',
  'HGETDEL',
] as const

/** Shared Lua: the clock, the type check and the purge of due fields. */
const PRELUDE = `
local key, deadlines = KEYS[1], KEYS[2]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function each_chunk(list, fn)
  for i = 1, #list, 500 do fn(unpack(list, i, math.min(i + 499, #list))) end
end
local function settle()
  if redis.call('EXISTS', key) == 0 then redis.call('DEL', deadlines) end
end
local function purge(now)
  local kind = redis.call('TYPE', key).ok
  if kind ~= 'hash' then
    redis.call('DEL', deadlines)
    return kind == 'none'
  end
  local due = redis.call('ZRANGEBYSCORE', deadlines, '-inf', now)
  if #due > 0 then
    each_chunk(due, function(...) redis.call('HDEL', key, ...) end)
    redis.call('ZREMRANGEBYSCORE', deadlines, '-inf', now)
    settle()
  end
  return true
end
`

/** `HGET k f` & co.: purge, run the command, forget the deadlines of fields it overwrote or deleted. */
const PURGE_THEN_RUN = `${PRELUDE}
purge(now_ms())
local result = redis.pcall(ARGV[1], key, unpack(ARGV, 3))
if type(result) == 'table' and result.err then return result end
local step = ARGV[2] == 'pairs' and 2 or (ARGV[2] == 'all' and 1 or 0)
if step > 0 then
  local fields = {}
  for i = 3, #ARGV, step do fields[#fields + 1] = ARGV[i] end
  if #fields > 0 then each_chunk(fields, function(...) redis.call('ZREM', deadlines, ...) end) end
  settle()
end
return result
`

/**
 * ARGV: operation, then its options, then the fields. Operations: expire (condition, amount ms, relative 0/1),
 * ttl (unit s|ms, absolute 0/1), persist, getex (mode none|persist|set, amount, relative), setex (condition
 * ''|FNX|FXX, mode clear|keepttl|set, amount, relative, then field value pairs), getdel.
 */
const FIELD_EXPIRY = `${PRELUDE}
local now = now_ms()
if not purge(now) then
  return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
end
local op = ARGV[1]
local function deadline_of(amount, relative)
  amount = tonumber(amount)
  if relative == '1' then return now + amount end
  return amount
end
local function expire_field(field, at)
  if at <= now then
    redis.call('HDEL', key, field)
    redis.call('ZREM', deadlines, field)
    return 2
  end
  redis.call('ZADD', deadlines, at, field)
  return 1
end
local out = {}
if op == 'expire' then
  local condition, at = ARGV[2], deadline_of(ARGV[3], ARGV[4])
  for i = 5, #ARGV do
    local field = ARGV[i]
    local current = redis.call('ZSCORE', deadlines, field)
    current = current and tonumber(current)
    if redis.call('HEXISTS', key, field) == 0 then out[#out + 1] = -2
    elseif condition == 'NX' and current then out[#out + 1] = 0
    elseif condition == 'XX' and not current then out[#out + 1] = 0
    elseif condition == 'GT' and (not current or at <= current) then out[#out + 1] = 0
    elseif condition == 'LT' and current and at >= current then out[#out + 1] = 0
    else out[#out + 1] = expire_field(field, at) end
  end
elseif op == 'ttl' then
  local seconds, absolute = ARGV[2] == 's', ARGV[3] == '1'
  for i = 4, #ARGV do
    local field = ARGV[i]
    local at = redis.call('ZSCORE', deadlines, field)
    if redis.call('HEXISTS', key, field) == 0 then out[#out + 1] = -2
    elseif not at then out[#out + 1] = -1
    else
      local value = absolute and tonumber(at) or (tonumber(at) - now)
      if seconds then value = absolute and math.floor(value / 1000) or math.floor((value + 500) / 1000) end
      out[#out + 1] = value
    end
  end
elseif op == 'persist' then
  for i = 2, #ARGV do
    local field = ARGV[i]
    if redis.call('HEXISTS', key, field) == 0 then out[#out + 1] = -2
    elseif redis.call('ZREM', deadlines, field) == 0 then out[#out + 1] = -1
    else out[#out + 1] = 1 end
  end
elseif op == 'getex' or op == 'getdel' then
  local first = op == 'getex' and 5 or 2
  for i = first, #ARGV do
    local field = ARGV[i]
    local value = redis.call('HGET', key, field)
    out[#out + 1] = value
    if value then
      if op == 'getdel' then
        redis.call('HDEL', key, field)
        redis.call('ZREM', deadlines, field)
      elseif ARGV[2] == 'persist' then
        redis.call('ZREM', deadlines, field)
      elseif ARGV[2] == 'set' then
        expire_field(field, deadline_of(ARGV[3], ARGV[4]))
      end
    end
  end
elseif op == 'setex' then
  local condition, mode = ARGV[2], ARGV[3]
  for i = 6, #ARGV, 2 do
    local exists = redis.call('HEXISTS', key, ARGV[i]) == 1
    if (condition == 'FNX' and exists) or (condition == 'FXX' and not exists) then return 0 end
  end
  for i = 6, #ARGV, 2 do
    redis.call('HSET', key, ARGV[i], ARGV[i + 1])
    if mode == 'clear' then redis.call('ZREM', deadlines, ARGV[i])
    elseif mode == 'set' then expire_field(ARGV[i], deadline_of(ARGV[4], ARGV[5])) end
  end
  out = 1
end
settle()
return out
`

function scriptCall(script: string, key: RedisArg, args: RedisArg[]): ScriptPlan {
  return { script, keys: [key, deadlinesKey(key)], args }
}

export function deadlinesKey(key: RedisArg): RedisArg {
  return typeof key === 'string'
    ? FIELD_DEADLINES_PREFIX + key
    : Buffer.concat([Buffer.from(FIELD_DEADLINES_PREFIX), key])
}

/** The purge wrapper for an ordinary hash command, or undefined when `name` is not one. */
export function purgingHashCommand(name: string, args: RedisArg[]): ScriptPlan | undefined {
  const clears = HASH_COMMANDS[name]
  const [key, ...rest] = args
  if (clears === undefined || key === undefined) return undefined
  return scriptCall(PURGE_THEN_RUN, key, [name, clears, ...rest])
}

const NOT_INTEGER = 'ERR value is not an integer or out of range'

function integer(arg: RedisArg | undefined): number | undefined {
  const text = arg?.toString()
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}

/** `FIELDS numfields f1 f2 …` from `from`; `per` = arguments per field (2 for HSETEX's field value pairs). */
function fieldsClause(name: string, args: RedisArg[], from: number, per = 1): RedisArg[] | { error: string } {
  if (args[from]?.toString().toUpperCase() !== 'FIELDS') {
    return { error: `ERR Mandatory argument FIELDS is missing or not at the right position` }
  }
  const count = integer(args[from + 1])
  if (count === undefined || count <= 0) return { error: `ERR Parameter \`numFields\` should be greater than 0` }
  const rest = args.slice(from + 2)
  if (rest.length !== count * per) {
    return { error: `ERR ${name}: the \`numfields\` parameter must match the number of arguments` }
  }
  return rest
}

type Expiry = { mode: 'none' | 'persist' | 'keepttl' | 'set'; amountMs: number; relative: boolean }

const EXPIRY_OPTIONS: Record<string, { scale: number; relative: boolean }> = {
  EX: { scale: 1000, relative: true },
  PX: { scale: 1, relative: true },
  EXAT: { scale: 1000, relative: false },
  PXAT: { scale: 1, relative: false },
}

/** Parses one expiry option at `args[index]`; returns how many arguments it took (0 = not an expiry option). */
function expiryOption(
  args: RedisArg[],
  index: number,
  allowed: string[],
): { expiry: Expiry; taken: number } | { error: string } | undefined {
  const word = args[index]?.toString().toUpperCase() ?? ''
  if (!allowed.includes(word)) return undefined
  if (word === 'PERSIST' || word === 'KEEPTTL') {
    return { expiry: { mode: word === 'PERSIST' ? 'persist' : 'keepttl', amountMs: 0, relative: false }, taken: 1 }
  }
  const option = EXPIRY_OPTIONS[word]
  const amount = integer(args[index + 1])
  if (!option || amount === undefined) return { error: NOT_INTEGER }
  if (amount <= 0 && option.relative) return { error: `ERR invalid expire time, must be >= 0` }
  return { expiry: { mode: 'set', amountMs: amount * option.scale, relative: option.relative }, taken: 2 }
}

/** A field-expiry command as a script call, or a Redis-style error for a malformed one. */
export function fieldExpiryCommand(name: string, args: RedisArg[]): ScriptPlan {
  const key = args[0]
  if (key === undefined) return { error: `ERR wrong number of arguments for '${name.toLowerCase()}' command` }
  const plan = (ops: RedisArg[], from: number, per = 1): ScriptPlan => {
    const fields = fieldsClause(name, args, from, per)
    return Array.isArray(fields) ? scriptCall(FIELD_EXPIRY, key, [...ops, ...fields]) : fields
  }
  switch (name) {
    case 'HEXPIRE':
    case 'HPEXPIRE':
    case 'HEXPIREAT':
    case 'HPEXPIREAT': {
      const amount = integer(args[1])
      if (amount === undefined || amount < 0) return { error: NOT_INTEGER }
      const seconds = name === 'HEXPIRE' || name === 'HEXPIREAT'
      const relative = !name.endsWith('AT')
      const condition = args[2]?.toString().toUpperCase() ?? ''
      const hasCondition = ['NX', 'XX', 'GT', 'LT'].includes(condition)
      const ms = seconds ? amount * 1000 : amount
      return plan(['expire', hasCondition ? condition : '', String(ms), relative ? '1' : '0'], hasCondition ? 3 : 2)
    }
    case 'HTTL':
    case 'HPTTL':
    case 'HEXPIRETIME':
    case 'HPEXPIRETIME': {
      const seconds = name === 'HTTL' || name === 'HEXPIRETIME'
      return plan(['ttl', seconds ? 's' : 'ms', name.endsWith('TIME') ? '1' : '0'], 1)
    }
    case 'HPERSIST':
      return plan(['persist'], 1)
    case 'HGETDEL':
      return plan(['getdel'], 1)
    case 'HGETEX': {
      const option = expiryOption(args, 1, ['EX', 'PX', 'EXAT', 'PXAT', 'PERSIST'])
      if (option && 'error' in option) return option
      const expiry = option?.expiry ?? { mode: 'none', amountMs: 0, relative: false }
      return plan(
        ['getex', expiry.mode, String(expiry.amountMs), expiry.relative ? '1' : '0'],
        1 + (option?.taken ?? 0),
      )
    }
    case 'HSETEX': {
      let index = 1
      const condition = args[index]?.toString().toUpperCase() ?? ''
      const hasCondition = condition === 'FNX' || condition === 'FXX'
      if (hasCondition) index++
      const option = expiryOption(args, index, ['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL'])
      if (option && 'error' in option) return option
      const expiry = option?.expiry ?? { mode: 'clear', amountMs: 0, relative: false }
      index += option?.taken ?? 0
      const ops = [
        'setex',
        hasCondition ? condition : '',
        expiry.mode,
        String(expiry.amountMs),
        expiry.relative ? '1' : '0',
      ]
      return plan(ops, index, 2)
    }
    default:
      return { error: `ERR unknown command '${name}'` }
  }
}
