/**
 * What the emulator does with each command before it reaches Redis: pass it on, rewrite it (FLUSHALL, Lua),
 * answer it locally (per-namespace script state) or refuse it.
 *
 * Refused: anything that would block a pooled connection (BLPOP…), change its state behind the pool's back
 * (SELECT, SUBSCRIBE, MULTI, CLIENT…), cross namespaces (SWAPDB, MOVE, COPY … DB) or reconfigure the shared
 * server (CONFIG, SHUTDOWN, DEBUG…). Upstash refuses most of these too; the message says why.
 */
import type { RedisArg, RedisCommand } from './command-args'
import { type JsonRun, jsonCommand } from './json-commands'
import { NOSCRIPT_ERROR, type ScriptRegistry } from './lua-scripts'
import type { RedisReply } from './reply'

export type PreparedCommand =
  /** Send `name args` to Redis; `transform` adjusts the reply (e.g. SCRIPT LOAD's SHA back to the client's). */
  | { kind: 'send'; name: string; args: RedisArg[]; transform?: (reply: RedisReply) => RedisReply }
  /** Answered by the emulator; an Error is a command error like any Redis error reply. */
  | { kind: 'local'; name: string; reply: RedisReply }
  /** Emulated in the emulator (`JSON.*`): reads and writes through the request's connection, in order. */
  | { kind: 'json'; name: string; run: JsonRun }
  /** Not supported: a single command → 400, in a pipeline → that item's error, in multi-exec → whole 400. */
  | { kind: 'reject'; name: string; error: string }

export interface NamespaceScripts {
  registry: ScriptRegistry
  /** Client-side SHA1s this namespace has loaded (EVAL or SCRIPT LOAD). */
  loaded: Set<string>
}

const BLOCKING = new Set([
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
const PUBSUB_MODE = new Set([
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
  'MONITOR',
])
const CONNECTION_STATE = new Set([
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
const TRANSACTION = new Set(['MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH'])
const SERVER_WIDE = new Set([
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

function reject(name: string, why: string): PreparedCommand {
  return { kind: 'reject', name, error: `ERR Command is not available in the Stratum Redis emulator: '${name}' ${why}` }
}

/** Decides the fate of one command. `scripts` is the calling namespace's script state. */
export function prepareCommand(command: RedisCommand, scripts: NamespaceScripts): PreparedCommand {
  const name = command.name.toUpperCase()
  const { args } = command
  // ioredis looks command names up in plain objects: `constructor` & co. would hit Object.prototype.
  if (name.toLowerCase() in Object.prototype) {
    return { kind: 'reject', name, error: `ERR unknown command '${command.name}'` }
  }
  if (BLOCKING.has(name) || ((name === 'XREAD' || name === 'XREADGROUP') && hasOption(args, 'BLOCK', 0, 'STREAMS'))) {
    return reject(name, 'blocks the connection; the Upstash REST API does not support blocking commands')
  }
  if (PUBSUB_MODE.has(name)) {
    return reject(name, 'needs a dedicated connection; use the SSE endpoints POST /subscribe/… and /psubscribe/…')
  }
  if (name.startsWith('JSON.')) {
    const run = jsonCommand(name, args)
    return run
      ? { kind: 'json', name, run }
      : reject(name, 'is a RedisJSON subcommand the emulator does not implement (see docs/emulators/redis.md)')
  }
  if (CONNECTION_STATE.has(name)) {
    return reject(name, 'changes connection state; connections are pooled (use /ns/<name> URLs instead of SELECT)')
  }
  if (TRANSACTION.has(name)) {
    return reject(name, 'is not a REST command; send the commands to /multi-exec (WATCH is not supported)')
  }
  if (SERVER_WIDE.has(name)) {
    return reject(name, 'acts on the whole server, which namespaces share')
  }
  switch (name) {
    case 'FLUSHALL':
      // An Upstash database is one keyspace: FLUSHALL there empties only this namespace here.
      return { kind: 'send', name: 'FLUSHDB', args }
    case 'COPY':
      return hasOption(args, 'DB', 2) ? reject(name, 'with DB would cross namespaces') : { kind: 'send', name, args }
    case 'EVAL':
    case 'EVAL_RO':
      return prepareEval(name, args, scripts)
    case 'EVALSHA':
    case 'EVALSHA_RO':
      return prepareEvalSha(name, args, scripts)
    case 'SCRIPT':
      return prepareScript(args, scripts)
    default:
      return { kind: 'send', name, args }
  }
}

function prepareEval(name: string, args: RedisArg[], scripts: NamespaceScripts): PreparedCommand {
  const [source, ...rest] = args
  if (source === undefined) return { kind: 'send', name, args } // let Redis report the arity error
  const { sha, adapted } = scripts.registry.register(source)
  // Registered before it runs so a later EVALSHA in the same pipeline finds it, as in Redis.
  scripts.loaded.add(sha)
  return { kind: 'send', name, args: [adapted, ...rest] }
}

/** EVALSHA runs as EVAL of the adapted text: no second SHA to track, and Redis caches it all the same. */
function prepareEvalSha(name: string, args: RedisArg[], scripts: NamespaceScripts): PreparedCommand {
  const [shaArg, ...rest] = args
  if (shaArg === undefined) return { kind: 'send', name, args }
  const sha = shaArg.toString().toLowerCase()
  const adapted = scripts.loaded.has(sha) ? scripts.registry.adapted(sha) : undefined
  if (adapted === undefined) return { kind: 'local', name, reply: new Error(NOSCRIPT_ERROR) }
  return { kind: 'send', name: name === 'EVALSHA_RO' ? 'EVAL_RO' : 'EVAL', args: [adapted, ...rest] }
}

function prepareScript(args: RedisArg[], scripts: NamespaceScripts): PreparedCommand {
  const sub = args[0]?.toString().toUpperCase()
  switch (sub) {
    case 'LOAD': {
      const source = args[1]
      if (source === undefined || args.length !== 2) return { kind: 'send', name: 'SCRIPT', args }
      const { sha, adapted } = scripts.registry.register(source)
      scripts.loaded.add(sha)
      // Redis compiles the adapted text (so syntax errors surface) and answers its SHA; the client wants its own.
      return { kind: 'send', name: 'SCRIPT', args: ['LOAD', adapted], transform: () => sha }
    }
    case 'EXISTS':
      return {
        kind: 'local',
        name: 'SCRIPT',
        reply: args.slice(1).map((sha) => (scripts.loaded.has(sha.toString().toLowerCase()) ? 1 : 0)),
      }
    case 'FLUSH':
      // Forget this namespace's scripts only; Redis's cache is shared with the other namespaces.
      scripts.loaded.clear()
      return { kind: 'local', name: 'SCRIPT', reply: Buffer.from('OK') }
    default:
      return { kind: 'send', name: 'SCRIPT', args }
  }
}

/** Whether `option` appears among the arguments from index `from`, stopping at `until` (where keys begin). */
function hasOption(args: RedisArg[], option: string, from = 0, until?: string): boolean {
  for (let index = from; index < args.length; index++) {
    const word = args[index]?.toString().toUpperCase()
    if (word === until) return false
    if (word === option) return true
  }
  return false
}
