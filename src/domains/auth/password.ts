/**
 * Password hashing with PBKDF2-SHA256 through WebCrypto: the only slow KDF a Worker can run (WASM bcrypt/argon2 can't
 * load there). Stored form: `pbkdf2_sha256$<iterations>$<salt b64url>$<hash b64url>`, so the parameters travel with
 * each hash and can change later (`verify` says when a hash should be redone with the current ones).
 *
 * The PBKDF2 input is HMAC-SHA256(pepper, password) rather than the password itself: the pepper is a server secret
 * that never sits in the database, so a leaked users table alone can't be brute-forced. HMAC also turns passwords of
 * any length into one fixed-size key.
 */

import { PBKDF2_MAX_ITERATIONS } from '../../core/config'
import { base64ToBytes, bytesToBase64 } from '../../core/encoding'

export interface PasswordHasher {
  hash(plain: string): Promise<string>
  verify(plain: string, stored: string | null | undefined): Promise<{ ok: boolean; needsRehash: boolean }>
}

export interface PasswordHasherOptions {
  /** Server-side secret mixed into every hash; changing it invalidates all stored hashes. */
  pepper: string
  iterations?: number
}

export { PBKDF2_MAX_ITERATIONS }
/** The count `PASSWORD_HASH_ITERATIONS` defaults to. */
export const DEFAULT_ITERATIONS = PBKDF2_MAX_ITERATIONS

const ALGORITHM = 'pbkdf2_sha256'
const SALT_BYTES = 16
const HASH_BYTES = 32

interface ParsedHash {
  algorithm: string
  iterations: number
  salt: Uint8Array<ArrayBuffer>
  hash: Uint8Array<ArrayBuffer>
}

const encoder = new TextEncoder()

/**
 * Call it while handling a request, not at module top level: it draws random bytes, which Workers forbid in global
 * scope. Keep the result (per pepper) so the key import isn't repeated.
 */
export function createPasswordHasher(options: PasswordHasherOptions): PasswordHasher {
  const iterations = options.iterations ?? DEFAULT_ITERATIONS
  assertIterations(iterations)
  // WebCrypto rejects an empty HMAC key; say why instead of failing on the first login.
  if (!options.pepper) throw new Error('Password pepper must not be empty')

  // Imported once per hasher: importKey is cheap but not free, and every login would pay it.
  const pepperKey = crypto.subtle.importKey(
    'raw',
    encoder.encode(options.pepper),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )

  // Stands in for a missing or malformed hash so those take the same path (one full PBKDF2 run and a compare) as a
  // real one: response time must not tell an unknown user from a wrong password. Random bytes rather than the hash of
  // some password: no plaintext matches it, and building it costs no PBKDF2 run.
  const dummy: ParsedHash = {
    algorithm: ALGORITHM,
    iterations,
    salt: crypto.getRandomValues(new Uint8Array(SALT_BYTES)),
    hash: crypto.getRandomValues(new Uint8Array(HASH_BYTES)),
  }

  const derive = async (plain: string, salt: Uint8Array<ArrayBuffer>, rounds: number): Promise<Uint8Array> => {
    // NFC so the same password typed on different keyboards/platforms (composed vs decomposed accents) matches.
    const peppered = await crypto.subtle.sign('HMAC', await pepperKey, encoder.encode(plain.normalize('NFC')))
    const material = await crypto.subtle.importKey('raw', peppered, 'PBKDF2', false, ['deriveBits'])
    const bits = await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: rounds },
      material,
      HASH_BYTES * 8,
    )
    return new Uint8Array(bits)
  }

  return {
    async hash(plain) {
      const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
      const hash = await derive(plain, salt, iterations)
      return [ALGORITHM, iterations, toBase64Url(salt), toBase64Url(hash)].join('$')
    },

    async verify(plain, stored) {
      const parsed = parseHash(stored)
      const target = parsed ?? dummy
      const derived = await derive(plain, target.salt, target.iterations)
      // `&&` after the compare, never before it: the compare always runs.
      const ok = constantTimeEqual(derived, target.hash) && parsed !== null
      // Only a verified password can be rehashed, so the flag is meaningless (false) otherwise.
      const needsRehash = ok && (target.algorithm !== ALGORITHM || target.iterations !== iterations)
      return { ok, needsRehash }
    },
  }
}

function assertIterations(iterations: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new RangeError(`PBKDF2 iterations must be a positive integer, got ${iterations}`)
  }
  if (iterations > PBKDF2_MAX_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations ${iterations} exceed the Workers limit of ${PBKDF2_MAX_ITERATIONS}`)
  }
}

/** Null for anything that isn't a hash this module can check (including counts production would refuse). */
function parseHash(stored: string | null | undefined): ParsedHash | null {
  if (typeof stored !== 'string') return null
  const parts = stored.split('$')
  if (parts.length !== 4) return null
  const [algorithm, rounds, salt, hash] = parts as [string, string, string, string]
  if (algorithm !== ALGORITHM || !/^[1-9]\d{0,8}$/.test(rounds)) return null
  const iterations = Number(rounds)
  if (iterations > PBKDF2_MAX_ITERATIONS) return null
  const saltBytes = fromBase64Url(salt)
  const hashBytes = fromBase64Url(hash)
  if (!saltBytes || saltBytes.length === 0 || !hashBytes || hashBytes.length !== HASH_BYTES) return null
  return { algorithm, iterations, salt: saltBytes, hash: hashBytes }
}

/** XOR-accumulates every byte so the time taken doesn't depend on where the first difference is. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

function toBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null
  try {
    return base64ToBytes(text.replaceAll('-', '+').replaceAll('_', '/'))
  } catch {
    return null
  }
}
