/**
 * The command names the Redis emulator treats specially, by kind, and their catalogue by status — what the support
 * matrix in docs/emulators.md lists (test/tools/emulators/support-matrix.test.ts holds the two in step).
 */
import { FIELD_EXPIRY_COMMANDS, HASH_COMMANDS } from './hash-field-expiry'
import { EMULATED_JSON_COMMANDS, UNSUPPORTED_JSON_COMMANDS } from './json-commands'

export const FIELD_EXPIRY = new Set<string>(FIELD_EXPIRY_COMMANDS)

export const BLOCKING = new Set([
  'BLPOP',
  'BRPOP',
  'BRPOPLPUSH',
  'BLMOVE',
  'BLMPOP',
  'BZPOPMIN',
  'BZPOPMAX',
  'BZMPOP',
  'WAIT',
  'WAITAOF',
])
export const PUBSUB_MODE = new Set([
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
  'MONITOR',
])
export const CONNECTION_STATE = new Set([
  'SELECT',
  'QUIT',
  'RESET',
  'AUTH',
  'HELLO',
  'CLIENT',
  'READONLY',
  'READWRITE',
  'ASKING',
])
export const TRANSACTION = new Set(['MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH'])
export const SERVER_WIDE = new Set([
  'SWAPDB',
  'MOVE',
  'MIGRATE',
  'SHUTDOWN',
  'DEBUG',
  'REPLICAOF',
  'SLAVEOF',
  'SYNC',
  'PSYNC',
  'REPLCONF',
  'FAILOVER',
  'CONFIG',
  'SAVE',
  'BGSAVE',
  'BGREWRITEAOF',
  'MODULE',
  'ACL',
  'CLUSTER',
  'FUNCTION',
  'FCALL',
  'FCALL_RO',
])

/**
 * Upstash-only command families the emulator does not implement: answered with a clear error here rather than
 * Redis's "unknown command" (arrays `AR*`, Upstash Search `SEARCH.*`, Upstash Vector `VECTOR.*`).
 */
export const UPSTASH_ARRAYS = new Set([
  'ARCOUNT',
  'ARDEL',
  'ARDELRANGE',
  'ARGET',
  'ARGETRANGE',
  'ARGREP',
  'ARINFO',
  'ARINSERT',
  'ARLASTITEMS',
  'ARLEN',
  'ARMGET',
  'ARMSET',
  'ARNEXT',
  'AROP',
  'ARRING',
  'ARSCAN',
  'ARSEEK',
  'ARSET',
])
export const UPSTASH_FAMILIES = ['SEARCH.', 'VECTOR.']

/**
 * Commands passed on with a rewrite, wrapped in a script, or refused in one form (XREAD … BLOCK); anything not
 * catalogued goes to Redis unchanged.
 */
const ADAPTED = [
  'XREAD',
  'FLUSHALL',
  'COPY',
  'SCAN',
  'XTRIM',
  'XREADGROUP',
  'BITOP',
  'EVAL',
  'EVAL_RO',
  'EVALSHA',
  'EVALSHA_RO',
  'SCRIPT',
]

export type CommandStatus = 'adapted' | 'emulated' | 'unsupported'

/**
 * Every command this policy treats other than "pass to Redis as is", by status — the rows the support matrix in
 * docs/emulators.md must have (test/tools/emulators/support-matrix.test.ts holds the two in step). Families are
 * listed by prefix (`SEARCH.*`).
 */
export function commandCatalogue(): Map<string, CommandStatus> {
  const catalogue = new Map<string, CommandStatus>()
  const add = (names: Iterable<string>, status: CommandStatus) => {
    for (const name of names) catalogue.set(name, status)
  }
  add(
    [...BLOCKING, ...PUBSUB_MODE, ...CONNECTION_STATE, ...TRANSACTION, ...SERVER_WIDE, ...UPSTASH_ARRAYS],
    'unsupported',
  )
  add(UNSUPPORTED_JSON_COMMANDS, 'unsupported')
  add(
    UPSTASH_FAMILIES.map((prefix) => `${prefix}*`),
    'unsupported',
  )
  add([...ADAPTED, ...Object.keys(HASH_COMMANDS)], 'adapted')
  add([...EMULATED_JSON_COMMANDS, ...FIELD_EXPIRY_COMMANDS, 'XDELEX', 'XACKDEL'], 'emulated')
  return catalogue
}
