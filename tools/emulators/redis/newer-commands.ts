/**
 * Redis 8 commands the 7.0 backend lacks — `XDELEX`, `XACKDEL`, `BITOP DIFF|DIFF1|ANDOR|ONE` — as Lua scripts
 * over 7.0 commands: atomic, and usable in `/`, `/pipeline` and `/multi-exec` alike.
 */
import type { RedisArg } from './command-args'
import type { ScriptPlan } from './script-plan'

/**
 * KEYS[1] the stream; ARGV: group ('' for XDELEX), policy KEEPREF|DELREF|ACKED, ids. Per id: -1 no such entry,
 * 1 deleted, 2 kept because a group still references it (ACKED: pending, or not yet delivered to a group).
 */
const STREAM_DELETE = `
local key, group, policy = KEYS[1], ARGV[1], ARGV[2]
local kind = redis.call('TYPE', key).ok
if kind ~= 'stream' and kind ~= 'none' then
  return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
end
local groups = {}
if kind == 'stream' then
  for _, info in ipairs(redis.call('XINFO', 'GROUPS', key)) do
    local entry = {}
    for i = 1, #info, 2 do entry[info[i]] = info[i + 1] end
    groups[#groups + 1] = entry
  end
end
if group ~= '' then
  local found = false
  for _, entry in ipairs(groups) do if entry.name == group then found = true end end
  if not found then
    return redis.error_reply("NOGROUP No such key '" .. key .. "' or consumer group '" .. group .. "'")
  end
end
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  if not ms then ms, seq = string.match(id, '^(%d+)$'), '0' end
  return tonumber(ms), tonumber(seq)
end
local function after(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  return am > bm or (am == bm and as > bs)
end
local function referenced(id)
  for _, entry in ipairs(groups) do
    if after(id, entry['last-delivered-id']) then return true end
    if #redis.call('XPENDING', key, entry.name, id, id, 1) > 0 then return true end
  end
  return false
end
local out = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  if not parse(id) then return redis.error_reply('ERR Invalid stream ID specified as stream command argument') end
  if group ~= '' then redis.call('XACK', key, group, id) end
  if kind == 'none' or #redis.call('XRANGE', key, id, id) == 0 then out[#out + 1] = -1
  elseif policy == 'ACKED' and referenced(id) then out[#out + 1] = 2
  else
    if policy == 'DELREF' then
      for _, entry in ipairs(groups) do redis.call('XACK', key, entry.name, id) end
    end
    redis.call('XDEL', key, id)
    out[#out + 1] = 1
  end
end
return out
`

const POLICIES = ['KEEPREF', 'DELREF', 'ACKED']

/** `XDELEX key [policy] IDS n id…` and `XACKDEL key group [policy] IDS n id…`. */
export function streamDeleteCommand(name: 'XDELEX' | 'XACKDEL', args: RedisArg[]): ScriptPlan {
  const key = args[0]
  const group = name === 'XACKDEL' ? args[1] : ''
  let index = name === 'XACKDEL' ? 2 : 1
  if (key === undefined || group === undefined) {
    return { error: `ERR wrong number of arguments for '${name.toLowerCase()}' command` }
  }
  let policy = 'KEEPREF'
  const word = args[index]?.toString().toUpperCase() ?? ''
  if (POLICIES.includes(word)) {
    policy = word
    index++
  }
  if (args[index]?.toString().toUpperCase() !== 'IDS') return { error: 'ERR syntax error' }
  const count = Number(args[index + 1]?.toString())
  const ids = args.slice(index + 2)
  if (!Number.isInteger(count) || count <= 0) return { error: 'ERR Number of IDs must be a positive integer' }
  if (ids.length !== count) return { error: 'ERR The `numids` parameter must match the number of arguments' }
  return { script: STREAM_DELETE, keys: [key], args: [group, policy, ...ids] }
}

/**
 * KEYS: destination, then sources. ARGV[1]: DIFF (X ∧ ¬(Y1 ∨ …)), DIFF1 (¬X ∧ (Y1 ∨ …)), ANDOR (X ∧ (Y1 ∨ …)),
 * ONE (bits set in exactly one source). Missing keys are empty strings; shorter strings are zero-padded.
 */
const BITOP = `
local op = ARGV[1]
local sources, length = {}, 0
for i = 2, #KEYS do
  local value = redis.call('GET', KEYS[i]) or ''
  sources[#sources + 1] = value
  if #value > length then length = #value end
end
if length == 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
local bytes = {}
for position = 1, length do
  local first = string.byte(sources[1], position) or 0
  local others, once, twice = 0, first, 0
  for i = 2, #sources do
    local b = string.byte(sources[i], position) or 0
    others = bit.bor(others, b)
    twice = bit.bor(twice, bit.band(once, b))
    once = bit.bor(once, b)
  end
  local result
  if op == 'DIFF' then result = bit.band(first, bit.bnot(others))
  elseif op == 'DIFF1' then result = bit.band(bit.bnot(first), others)
  elseif op == 'ANDOR' then result = bit.band(first, others)
  else result = bit.band(once, bit.bnot(twice)) end
  bytes[position] = string.char(bit.band(result, 255))
end
redis.call('SET', KEYS[1], table.concat(bytes))
return length
`

export const NEWER_BITOPS = ['DIFF', 'DIFF1', 'ANDOR', 'ONE']

/** `BITOP DIFF|DIFF1|ANDOR|ONE dest src…`, or undefined for the operations Redis 7 has (AND, OR, XOR, NOT). */
export function newerBitop(args: RedisArg[]): ScriptPlan | undefined {
  const op = args[0]?.toString().toUpperCase() ?? ''
  if (!NEWER_BITOPS.includes(op)) return undefined
  const [destination, ...sources] = args.slice(1)
  const minimum = op === 'ONE' ? 1 : 2
  if (destination === undefined || sources.length < minimum) {
    return {
      error: `ERR BITOP ${op} must be called with at least ${minimum === 1 ? 'one' : 'two'} source key${minimum === 1 ? '' : 's'}.`,
    }
  }
  return { script: BITOP, keys: [destination, ...sources], args: [op] }
}
