/**
 * Where Upstash answers differently from Redis 7 and clients rely on it (as @upstash/redis's own tests do):
 * `COPY k k` is 0, `SCAN … WITHTYPE` lists keys with their types, `XTRIM MAXLEN ~ n` trims (near-)exactly,
 * and `XREADGROUP … NOACK` leaves no consumer behind.
 */
import type { RedisArg } from './command-args'
import type { ScriptPlan } from './script-plan'

/** `SCAN cursor [MATCH p] [COUNT n] WITHTYPE` → `[cursor, [key, type, key, type, …]]`. */
const SCAN_WITH_TYPES = `
local page = redis.call('SCAN', unpack(ARGV))
local out = {}
for _, key in ipairs(page[2]) do
  out[#out + 1] = key
  out[#out + 1] = redis.call('TYPE', key).ok
end
return { page[1], out }
`

export function scanWithTypes(args: RedisArg[]): ScriptPlan | undefined {
  const rest = args.filter((arg) => arg.toString().toUpperCase() !== 'WITHTYPE')
  if (rest.length === args.length) return undefined
  return { script: SCAN_WITH_TYPES, keys: [], args: rest }
}

/** Whether COPY names the same key twice (Redis: an error; Upstash: 0, nothing copied). */
export function isSelfCopy(args: RedisArg[]): boolean {
  const [source, destination] = args
  return source !== undefined && destination !== undefined && source.toString() === destination.toString()
}

/**
 * `XTRIM key MAXLEN ~ n [LIMIT l]` → `XTRIM key MAXLEN = n`: Redis trims whole radix-tree nodes only (a 10 000
 * entry stream trimmed to ~300 keeps thousands), Upstash comes within a few entries. LIMIT only exists with `~`.
 */
export function exactTrim(args: RedisArg[]): RedisArg[] | undefined {
  const [key, strategy, exactness, threshold, ...rest] = args
  if (key === undefined || strategy?.toString().toUpperCase() !== 'MAXLEN' || exactness?.toString() !== '~') {
    return undefined
  }
  if (threshold === undefined) return undefined
  const limit = rest[0]?.toString().toUpperCase() === 'LIMIT' ? 2 : 0
  return [key, strategy, '=', threshold, ...rest.slice(limit)]
}

/**
 * KEYS: the streams; ARGV: group, consumer, then XREADGROUP's own arguments. Redis creates the consumer even
 * with NOACK; Upstash does not (XINFO CONSUMERS stays empty), so a consumer this read created is removed
 * again — with NOACK it owns no pending entries.
 */
const READ_WITHOUT_ACK = `
local group, consumer = ARGV[1], ARGV[2]
local function has_consumer(key)
  local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', key, group)
  if not ok then return true end
  for _, info in ipairs(consumers) do
    for i = 1, #info, 2 do
      if info[i] == 'name' and info[i + 1] == consumer then return true end
    end
  end
  return false
end
local existed = {}
for i, key in ipairs(KEYS) do existed[i] = has_consumer(key) end
local result = redis.pcall('XREADGROUP', unpack(ARGV, 3))
for i, key in ipairs(KEYS) do
  if not existed[i] then pcall(redis.call, 'XGROUP', 'DELCONSUMER', key, group, consumer) end
end
return result
`

export function readWithoutAck(args: RedisArg[]): ScriptPlan | undefined {
  const words = args.map((arg) => arg.toString().toUpperCase())
  const streamsAt = words.indexOf('STREAMS')
  if (streamsAt < 0 || !words.slice(0, streamsAt).includes('NOACK') || words[0] !== 'GROUP') return undefined
  const [group, consumer] = [args[1], args[2]]
  const streams = args.slice(streamsAt + 1)
  if (group === undefined || consumer === undefined || streams.length % 2 !== 0) return undefined
  return { script: READ_WITHOUT_ACK, keys: streams.slice(0, streams.length / 2), args: [group, consumer, ...args] }
}
