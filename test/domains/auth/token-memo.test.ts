/** The verified-token memo in tokens.ts: a hit must never accept what a full verification would reject. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ACCESS_TYP, REFRESH_TYP, signToken, verifyToken } from '../../../src/domains/auth/tokens'

const config = { JWT_SECRET: 'x'.repeat(40), JWT_ISSUER: 'stratum', JWT_AUDIENCE: 'stratum-admin' }

let serial = 0
/** A fresh token per test: the memo is module-wide, so tests must not share tokens. */
function sign(typ: typeof ACCESS_TYP | typeof REFRESH_TYP = ACCESS_TYP, ttlSeconds = 600) {
  serial += 1
  return signToken(config, typ, { userId: 7, sid: `sid-${serial}`, jti: `jti-${serial}`, ttlSeconds })
}

/** The i18n key of the 401 a verification fails with. */
async function rejection(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
  expect(err).toMatchObject({ status: 401 })
  return (err as { messageKey: string }).messageKey
}

afterEach(() => {
  vi.useRealTimers()
})

describe('verified-token memo', () => {
  it('verifies a verified token again with the same claims', async () => {
    const { token, exp } = await sign()
    const first = await verifyToken(config, ACCESS_TYP, token)
    expect(first).toEqual({ userId: 7, sid: `sid-${serial}`, jti: `jti-${serial}`, exp })
    expect(await verifyToken(config, ACCESS_TYP, token)).toEqual(first)
  })

  it('rejects a remembered token once the secret is rotated', async () => {
    const { token } = await sign()
    await verifyToken(config, ACCESS_TYP, token)
    const rotated = { ...config, JWT_SECRET: 'y'.repeat(40) }
    expect(await rejection(verifyToken(rotated, ACCESS_TYP, token))).toBe('auth.token_invalid')
    // The old secret still works (the miss under the new secret must not poison it).
    await expect(verifyToken(config, ACCESS_TYP, token)).resolves.toMatchObject({ userId: 7 })
  })

  it('rejects a remembered token under another audience or issuer', async () => {
    const { token } = await sign()
    await verifyToken(config, ACCESS_TYP, token)
    expect(await rejection(verifyToken({ ...config, JWT_AUDIENCE: 'other' }, ACCESS_TYP, token))).toBe(
      'auth.token_invalid',
    )
    await verifyToken(config, ACCESS_TYP, token)
    expect(await rejection(verifyToken({ ...config, JWT_ISSUER: 'other' }, ACCESS_TYP, token))).toBe(
      'auth.token_invalid',
    )
  })

  it('does not accept a remembered access token as a refresh token, or the reverse', async () => {
    const access = await sign(ACCESS_TYP)
    await verifyToken(config, ACCESS_TYP, access.token)
    expect(await rejection(verifyToken(config, REFRESH_TYP, access.token))).toBe('auth.token_invalid')

    const refresh = await sign(REFRESH_TYP)
    await verifyToken(config, REFRESH_TYP, refresh.token)
    expect(await rejection(verifyToken(config, ACCESS_TYP, refresh.token))).toBe('auth.token_invalid')
  })

  it('rejects a remembered token as expired once its expiry passes', async () => {
    vi.useFakeTimers({ now: Date.now() })
    const { token } = await sign(ACCESS_TYP, 1)
    await verifyToken(config, ACCESS_TYP, token)
    vi.setSystemTime(Date.now() + 2_000)
    expect(await rejection(verifyToken(config, ACCESS_TYP, token))).toBe('auth.token_expired')
  })

  it('still verifies an expired token with ignoreExpiry, but not a forged one', async () => {
    vi.useFakeTimers({ now: Date.now() })
    const { token } = await sign(ACCESS_TYP, 1)
    await verifyToken(config, ACCESS_TYP, token)
    vi.setSystemTime(Date.now() + 2_000)
    await expect(verifyToken(config, ACCESS_TYP, token, { ignoreExpiry: true })).resolves.toMatchObject({ userId: 7 })
    // ignoreExpiry bypasses the memo but still checks the signature.
    const rotated = { ...config, JWT_SECRET: 'z'.repeat(40) }
    expect(await rejection(verifyToken(rotated, ACCESS_TYP, token, { ignoreExpiry: true }))).toBe('auth.token_invalid')
  })
})
