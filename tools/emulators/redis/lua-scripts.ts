/**
 * Lua scripts between Upstash clients and real Redis.
 *
 * Upstash accepts a shebang flag real Redis 7 rejects (`#!lua flags=allow-key-locking`, used by every
 * @upstash/ratelimit 2.x script: "ERR Unexpected flag in script shebang"). So scripts are adapted before they
 * reach Redis, and because clients address scripts by the SHA1 of the text *they* sent (EVALSHA with a
 * precomputed hash), the registry maps that SHA1 to the adapted text.
 *
 * Redis's script cache is server-wide, but namespaces must not see each other's scripts (a test that never
 * loaded a script must get NOSCRIPT, like a fresh Upstash database). So each namespace keeps the set of
 * SHA1s it has loaded; EVALSHA of anything else answers NOSCRIPT, which makes the clients fall back to EVAL.
 */
import { createHash } from 'node:crypto'
import type { RedisArg } from './command-args'

/** Shebang flags Redis 7 understands (https://redis.io/docs/latest/develop/interact/programmability/eval-intro/). */
const REDIS_SCRIPT_FLAGS = new Set(['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'])

export function sha1Hex(text: RedisArg): string {
  return createHash('sha1').update(text).digest('hex')
}

/**
 * Drops shebang flags Redis does not know. When none is left the line becomes a Lua comment rather than
 * disappearing, so line numbers in Redis's error messages still match the client's source.
 */
export function adaptScript(source: string): string {
  if (!source.startsWith('#!')) return source
  const newline = source.indexOf('\n')
  const shebang = newline < 0 ? source : source.slice(0, newline)
  const rest = newline < 0 ? '' : source.slice(newline)
  const match = /^#!lua(?:\s+flags=(\S*))?\s*$/.exec(shebang.trimEnd())
  if (!match) return source // not a plain `#!lua [flags=…]` line: let Redis judge it
  const flags = (match[1] ?? '').split(',').filter(Boolean)
  const known = flags.filter((flag) => REDIS_SCRIPT_FLAGS.has(flag))
  if (known.length === flags.length) return source
  const kept =
    known.length > 0
      ? `#!lua flags=${known.join(',')}`
      : `-- ${shebang} (flags unknown to Redis removed by the emulator)`
  return kept + rest
}

/** Adapted script texts by the SHA1 of the client's text; shared by all namespaces (texts are not secrets). */
export class ScriptRegistry {
  readonly #scripts = new Map<string, string>()

  /** Registers a script as the client sent it; returns its client-side SHA1 and the text Redis gets. */
  register(source: RedisArg): { sha: string; adapted: string } {
    const sha = sha1Hex(source)
    let adapted = this.#scripts.get(sha)
    if (adapted === undefined) {
      adapted = adaptScript(typeof source === 'string' ? source : source.toString('utf8'))
      this.#scripts.set(sha, adapted)
    }
    return { sha, adapted }
  }

  adapted(sha: string): string | undefined {
    return this.#scripts.get(sha)
  }
}

export const NOSCRIPT_ERROR = 'NOSCRIPT No matching script. Please use EVAL.'
