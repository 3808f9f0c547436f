/**
 * The state of one authorization (docs/oauth2.md): a random `state` names a Redis entry holding what the callback
 * must know — sign-in or binding (and for whom), and the PKCE verifier — with a short TTL
 * (`OAUTH2_STATE_EXPIRE_SECONDS`). The callback takes it with GETDEL: a state works once, so a replayed or forged
 * callback finds nothing (403).
 */
import { generateCodeVerifier, generateState } from 'arctic'
import type { Config } from '../../core/config'
import { ForbiddenError } from '../../core/errors'
import type { Redis } from '../../infra/redis'
import type { SocialSource } from './schema'

export type PendingAuthorization =
  | { type: 'login'; source: SocialSource; verifier: string }
  | { type: 'binding'; source: SocialSource; verifier: string; user_id: number }

export type Intent = { type: 'login' } | { type: 'binding'; user_id: number }

const key = (config: Pick<Config, 'REDIS_KEY_PREFIX'>, state: string) =>
  `${config.REDIS_KEY_PREFIX}:oauth2:state:${state}`

/** Stores a new authorization; returns its state and verifier (for the provider's URL). */
export async function beginAuthorization(
  redis: Redis,
  config: Pick<Config, 'REDIS_KEY_PREFIX'>,
  source: SocialSource,
  intent: Intent,
  ttlSeconds: number,
): Promise<{ state: string; verifier: string }> {
  const state = generateState()
  const verifier = generateCodeVerifier()
  const pending: PendingAuthorization = { ...intent, source, verifier }
  await redis.set(key(config, state), pending, { ex: ttlSeconds })
  return { state, verifier }
}

/** Takes the authorization `state` names, once; 403 when there is none (expired, used, forged) or it is another provider's. */
export async function takeAuthorization(
  redis: Redis,
  config: Pick<Config, 'REDIS_KEY_PREFIX'>,
  source: SocialSource,
  state: string | undefined,
): Promise<PendingAuthorization> {
  const pending = state ? await redis.getdel<PendingAuthorization>(key(config, state)) : null
  if (!pending || pending.source !== source) throw new ForbiddenError('oauth2.state_invalid')
  return pending
}
