/**
 * Which commands only read, from Redis's own `COMMAND` table — used to move the `upstash-sync-token` forward
 * after writes only, as Upstash does (its clients send the last token back for read-your-writes).
 */
import { type RedisConnection, sendRaw } from './connection-pool'
import type { RedisReply } from './reply'

export class CommandTable {
  readonly #readOnly: Set<string>

  constructor(readOnly: Iterable<string>) {
    this.#readOnly = new Set([...readOnly].map((name) => name.toUpperCase()))
  }

  /** Unknown commands count as writes: moving the token too often is harmless, too rarely is not. */
  isReadOnly(name: string): boolean {
    return this.#readOnly.has(name.toUpperCase())
  }
}

/** Reads `COMMAND`; if the server refuses it, every command counts as a write. */
export async function loadCommandTable(connection: RedisConnection): Promise<CommandTable> {
  let reply: RedisReply
  try {
    reply = await sendRaw(connection, 'COMMAND', [])
  } catch {
    return new CommandTable([])
  }
  const readOnly: string[] = []
  if (Array.isArray(reply)) {
    for (const entry of reply) {
      // [name, arity, flags[], first key, last key, step, …]
      if (!Array.isArray(entry)) continue
      const [name, , flags] = entry
      if (!Array.isArray(flags) || name === null || typeof name === 'number' || name instanceof Error) continue
      if (Array.isArray(name)) continue
      const flagNames = flags.map((flag) => String(flag))
      if (flagNames.includes('readonly') && !flagNames.includes('may_replicate')) readOnly.push(String(name))
    }
  }
  return new CommandTable(readOnly)
}

/** The `upstash-sync-token` value: a counter that moves on every write request. */
export class SyncToken {
  #value = 0

  get value(): string {
    return String(this.#value)
  }

  advance(): string {
    this.#value += 1
    return this.value
  }
}
