/**
 * `Upstash-Signature` for deliveries: a compact HS256 JWT keyed with the UTF-8 bytes of the signing key,
 * exactly what `Receiver.verify({ signature, body, url })` from `@upstash/qstash` checks:
 * iss `Upstash`, sub = destination URL as published, `body` = base64url(SHA-256(raw body)), iat/nbf/exp, jti.
 */
import { createHash, randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'

/** Lifetime of a signature; QStash uses 5 minutes. */
export const SIGNATURE_TTL_SECONDS = 300

export interface SignOptions {
  signingKey: string
  /** The destination URL exactly as the publisher gave it; Receiver compares it to `url` verbatim. */
  url: string
  body: Uint8Array
  /** Unix ms used for iat/nbf/exp (tests pass an old value to produce an expired signature). */
  now?: number
}

/** base64url(SHA-256(body)) with `=` padding, as QStash's own signatures carry (Receiver strips it). */
export function bodyHash(body: Uint8Array): string {
  const digest = createHash('sha256').update(body).digest('base64url')
  return `${digest}${'='.repeat((4 - (digest.length % 4)) % 4)}`
}

export async function signDelivery(options: SignOptions): Promise<string> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000)
  return new SignJWT({ body: bodyHash(options.body) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(options.url)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + SIGNATURE_TTL_SECONDS)
    .setJti(`jwt_${randomBytes(12).toString('hex')}`)
    .sign(new TextEncoder().encode(options.signingKey))
}
