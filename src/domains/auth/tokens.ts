/**
 * Access and refresh tokens (jose, HS256 pinned). Both carry `iss`, `aud`, `sub` (user id), `sid` (session id),
 * `jti` and `exp`; the JWT header `typ` tells them apart (`at+jwt` per RFC 9068, `rt+jwt`), so a refresh token can
 * never be used as an access token. Revocation lives in the session record (see sessions.ts).
 */
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose'
import type { Config } from '../../core/config'
import { InternalError, UnauthorizedError } from '../../core/errors'

export const ACCESS_TYP = 'at+jwt'
export const REFRESH_TYP = 'rt+jwt'
const ALGORITHM = 'HS256'

export interface TokenClaims {
  userId: number
  sid: string
  jti: string
  /** Expiry, epoch seconds. */
  exp: number
}

type TokenConfig = Pick<Config, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>

// Imported keys per secret, reused across requests: importing costs more than verifying. Plain data, no I/O.
const keys = new Map<string, Promise<CryptoKey>>()

function signingKey(config: TokenConfig): Promise<CryptoKey> {
  const secret = config.JWT_SECRET
  if (!secret) throw new InternalError('error.config_invalid', { params: { detail: 'JWT_SECRET is not set' } })
  let key = keys.get(secret)
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ])
    keys.set(secret, key)
  }
  return key
}

function issuedAt(token: string): Date | undefined {
  try {
    const { iat } = decodeJwt(token)
    return typeof iat === 'number' ? new Date(iat * 1000) : undefined
  } catch {
    return undefined // malformed: jwtVerify rejects it below
  }
}

export async function signToken(
  config: TokenConfig,
  typ: typeof ACCESS_TYP | typeof REFRESH_TYP,
  claims: { userId: number; sid: string; jti: string; ttlSeconds: number },
): Promise<{ token: string; exp: number }> {
  const now = Math.floor(Date.now() / 1000)
  const exp = now + claims.ttlSeconds
  const token = await new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: ALGORITHM, typ })
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .setSubject(String(claims.userId))
    .setJti(claims.jti)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(exp)
    .sign(await signingKey(config))
  return { token, exp }
}

/** A token verified earlier in this isolate, with what it was verified against. */
interface Verified {
  claims: TokenClaims
  secret: string
  issuer: string
  audience: string
}

const VERIFIED_MAX = 1_000
/**
 * Tokens already verified in this isolate, by their full text (signature included, so no other token can hit). A hit
 * skips the HMAC — on a warm authenticated request the WebCrypto call was the largest share of Stratum's own CPU.
 * Expiry is still checked on every use; revocation is the session record's job, checked on every request anyway;
 * an entry counts only under the secret, issuer and audience it was verified with (a rotated secret misses).
 * Bounded: the oldest entry goes first. Plain data, no I/O.
 */
const verifiedTokens = new Map<string, Verified>()

function rememberedClaims(config: TokenConfig, key: string): TokenClaims | undefined {
  const hit = verifiedTokens.get(key)
  if (!hit) return undefined
  const current =
    hit.secret === config.JWT_SECRET && hit.issuer === config.JWT_ISSUER && hit.audience === config.JWT_AUDIENCE
  if (current && hit.claims.exp > Date.now() / 1000) return hit.claims
  verifiedTokens.delete(key)
  return undefined
}

function remember(config: TokenConfig, key: string, claims: TokenClaims): void {
  if (verifiedTokens.size >= VERIFIED_MAX) {
    const oldest = verifiedTokens.keys().next().value
    if (oldest !== undefined) verifiedTokens.delete(oldest)
  }
  verifiedTokens.set(key, {
    claims,
    secret: config.JWT_SECRET ?? '',
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  })
}

/**
 * Verifies signature, algorithm, `typ`, `iss`, `aud`, `exp`/`nbf` and the required claims. Any failure is a 401:
 * "expired" when only the expiry is wrong, "invalid" otherwise. `ignoreExpiry` is for logout, which must work
 * with an expired access token (the signature is still checked).
 */
export async function verifyToken(
  config: TokenConfig,
  typ: typeof ACCESS_TYP | typeof REFRESH_TYP,
  token: string,
  options: { ignoreExpiry?: boolean } = {},
): Promise<TokenClaims> {
  const cacheKey = options.ignoreExpiry ? undefined : `${typ} ${token}`
  const known = cacheKey && rememberedClaims(config, cacheKey)
  if (known) return known
  try {
    const { payload } = await jwtVerify(token, await signingKey(config), {
      algorithms: [ALGORITHM],
      typ,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      requiredClaims: ['sub', 'sid', 'jti', 'exp', 'iat'],
      // Logout of an expired token: judge the time claims as of issuance; the signature is still verified.
      ...(options.ignoreExpiry ? { currentDate: issuedAt(token) } : {}),
    })
    const userId = Number(payload.sub)
    if (!Number.isSafeInteger(userId) || userId <= 0 || typeof payload.sid !== 'string' || !payload.jti) {
      throw new UnauthorizedError('auth.token_invalid')
    }
    const claims = { userId, sid: payload.sid, jti: payload.jti, exp: payload.exp as number }
    if (cacheKey) remember(config, cacheKey, claims)
    return claims
  } catch (err) {
    if (err instanceof UnauthorizedError || err instanceof InternalError) throw err
    if (err instanceof errors.JWTExpired) throw new UnauthorizedError('auth.token_expired')
    throw new UnauthorizedError('auth.token_invalid', { cause: err })
  }
}
