/**
 * What the emulator does with each command before it reaches Redis: pass it on, rewrite it (FLUSHALL, Lua),
 * answer it locally (per-namespace script state) or refuse it.
 *
 * Refused: anything that would block a pooled connection (BLPOP…), change its state behind the pool's back
 * (SELECT, SUBSCRIBE, MULTI, CLIENT…), cross namespaces (SWAPDB, MOVE, COPY … DB) or reconfigure the shared
 * server (CONFIG, SHUTDOWN, DEBUG…). Upstash refuses most of these too; the message says why.
 */
import type { RedisArg, RedisCommand } from './command-args'
import {
  BLOCKING,
  CONNECTION_STATE,
  FIELD_EXPIRY,
  PUBSUB_MODE,
  SERVER_WIDE,
  TRANSACTION,
  UPSTASH_ARRAYS,
  UPSTASH_FAMILIES,
} from './command-names'
import { fieldExpiryCommand, purgingHashCommand } from './hash-field-expiry'
import { type JsonRun, jsonCommand } from './json-commands'
import { NOSCRIPT_ERROR, type ScriptRegistry } from './lua-scripts'
import { newerBitop, streamDeleteCommand } from './newer-commands'
import type { RedisReply } from './reply'
import type { ScriptPlan } from './script-plan'
import { exactTrim, isSelfCopy, readWithoutAck, scanWithTypes } from './upstash-differences'

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
  /**
   * Set by the first hash-field expiry command: from then on hash commands purge expired fields first
   * (hash-field-expiry.ts). Until then they go to Redis unwrapped, as fast as before.
   */
  fieldExpiryUsed?: boolean
}

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
  if (UPSTASH_ARRAYS.has(name) || UPSTASH_FAMILIES.some((prefix) => name.startsWith(prefix))) {
    return reject(name, 'is an Upstash-only command the emulator does not implement (see docs/emulators.md)')
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
      if (hasOption(args, 'DB', 2)) return reject(name, 'with DB would cross namespaces')
      return isSelfCopy(args) ? { kind: 'local', name, reply: 0 } : { kind: 'send', name, args }
    case 'SCAN':
      return scriptOr(name, args, scanWithTypes(args))
    case 'XTRIM':
      return { kind: 'send', name, args: exactTrim(args) ?? args }
    case 'XREADGROUP':
      return scriptOr(name, args, readWithoutAck(args))
    case 'BITOP':
      return scriptOr(name, args, newerBitop(args))
    case 'XDELEX':
    case 'XACKDEL':
      return runScript(name, streamDeleteCommand(name, args))
    case 'EVAL':
    case 'EVAL_RO':
      return prepareEval(name, args, scripts)
    case 'EVALSHA':
    case 'EVALSHA_RO':
      return prepareEvalSha(name, args, scripts)
    case 'SCRIPT':
      return prepareScript(args, scripts)
    default:
      if (FIELD_EXPIRY.has(name)) {
        scripts.fieldExpiryUsed = true
        return runScript(name, fieldExpiryCommand(name, args))
      }
      return scripts.fieldExpiryUsed
        ? scriptOr(name, args, purgingHashCommand(name, args))
        : { kind: 'send', name, args }
  }
}

/** An emulated command as one EVAL (atomic, fine inside MULTI), or its argument error answered locally. */
function runScript(name: string, plan: ScriptPlan): PreparedCommand {
  if ('error' in plan) return { kind: 'local', name, reply: new Error(plan.error) }
  return { kind: 'send', name: 'EVAL', args: [plan.script, String(plan.keys.length), ...plan.keys, ...plan.args] }
}

function scriptOr(name: string, args: RedisArg[], plan: ScriptPlan | undefined): PreparedCommand {
  return plan ? runScript(name, plan) : { kind: 'send', name, args }
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
