/** Random identifiers shaped like QStash's (`msg_…`, `scd_…`), unguessable so tests cannot collide. */
import { randomBytes } from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length)
  let out = ''
  // 256 % 62 bias is irrelevant for ids that only need to be unique.
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length]
  return `${prefix}_${out}`
}
