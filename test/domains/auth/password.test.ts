import { describe, expect, it } from 'vitest'
import { createPasswordHasher, DEFAULT_ITERATIONS, PBKDF2_MAX_ITERATIONS } from '../../../src/domains/auth/password'

// A low count keeps the suite fast; the production-cap test below uses the real default.
const FAST = 1_000
const pepper = 'test-pepper-a'

describe('password hashing', () => {
  it('round-trips and stores its parameters', async () => {
    const hasher = createPasswordHasher({ pepper, iterations: FAST })
    const stored = await hasher.hash('correct horse battery staple')
    expect(stored).toMatch(/^pbkdf2_sha256\$1000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(await hasher.verify('correct horse battery staple', stored)).toEqual({ ok: true, needsRehash: false })
  })

  it('rejects a wrong password', async () => {
    const hasher = createPasswordHasher({ pepper, iterations: FAST })
    const stored = await hasher.hash('s3cret!')
    expect(await hasher.verify('s3cret?', stored)).toEqual({ ok: false, needsRehash: false })
    expect(await hasher.verify('', stored)).toEqual({ ok: false, needsRehash: false })
  })

  it('salts every hash', async () => {
    const hasher = createPasswordHasher({ pepper, iterations: FAST })
    const [a, b] = await Promise.all([hasher.hash('same'), hasher.hash('same')])
    expect(a).not.toBe(b)
    expect(a.split('$')[2]).not.toBe(b.split('$')[2])
    expect((await hasher.verify('same', a)).ok).toBe(true)
    expect((await hasher.verify('same', b)).ok).toBe(true)
  })

  it('mixes in the pepper: a hash made with one pepper fails with another', async () => {
    const stored = await createPasswordHasher({ pepper: 'pepper-a', iterations: FAST }).hash('password')
    const other = createPasswordHasher({ pepper: 'pepper-b', iterations: FAST })
    expect((await other.verify('password', stored)).ok).toBe(false)
  })

  it('treats composed and decomposed accents as the same password', async () => {
    const hasher = createPasswordHasher({ pepper, iterations: FAST })
    const stored = await hasher.hash('caf\u00e9')
    expect((await hasher.verify('cafe\u0301', stored)).ok).toBe(true)
  })

  it('stays within the production Workers PBKDF2 cap', async () => {
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000)
    expect(DEFAULT_ITERATIONS).toBeLessThanOrEqual(PBKDF2_MAX_ITERATIONS)
    expect(() => createPasswordHasher({ pepper, iterations: PBKDF2_MAX_ITERATIONS + 1 })).toThrow(RangeError)
    expect(() => createPasswordHasher({ pepper, iterations: 0 })).toThrow(RangeError)
    expect(() => createPasswordHasher({ pepper, iterations: 1.5 })).toThrow(RangeError)

    const hasher = createPasswordHasher({ pepper })
    const stored = await hasher.hash('pw')
    expect(stored.split('$')[1]).toBe(String(DEFAULT_ITERATIONS))
    expect((await hasher.verify('pw', stored)).ok).toBe(true)
  })

  it('refuses an empty pepper', () => {
    expect(() => createPasswordHasher({ pepper: '' })).toThrow(/pepper/)
  })

  it('asks for a rehash when the stored iteration count differs from the current one', async () => {
    const old = await createPasswordHasher({ pepper, iterations: FAST }).hash('pw')
    const current = createPasswordHasher({ pepper, iterations: 2_000 })
    expect(await current.verify('pw', old)).toEqual({ ok: true, needsRehash: true })
    // Never for a wrong password: only a verified plaintext can be rehashed.
    expect(await current.verify('nope', old)).toEqual({ ok: false, needsRehash: false })
  })

  it('answers ok false, without throwing, for missing or malformed stored values', async () => {
    const hasher = createPasswordHasher({ pepper, iterations: FAST })
    const good = await hasher.hash('pw')
    const [, , salt, hash] = good.split('$')
    const bad = [
      null,
      undefined,
      '',
      'pw',
      '$$$',
      `bcrypt$${FAST}$${salt}$${hash}`,
      `pbkdf2_sha256$abc$${salt}$${hash}`,
      `pbkdf2_sha256$0$${salt}$${hash}`,
      `pbkdf2_sha256$100001$${salt}$${hash}`,
      `pbkdf2_sha256$${FAST}$$${hash}`,
      `pbkdf2_sha256$${FAST}$${salt}$${hash?.slice(0, 20)}`,
      `pbkdf2_sha256$${FAST}$${salt}$!!not-base64!!`,
      `${good}$extra`,
    ]
    for (const stored of bad) {
      expect(await hasher.verify('pw', stored), String(stored)).toEqual({ ok: false, needsRehash: false })
    }
  })
})
