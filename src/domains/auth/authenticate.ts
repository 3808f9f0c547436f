/**
 * Bearer authentication. Warm path: verify the JWT locally, then one Redis pipeline reads the session (is this
 * token still the session's current one?), the cached user snapshot and the authorization generation (is the
 * snapshot still current?) — no database query. Cold path: the
 * snapshot is loaded from the database and cached after the response (`waitUntil`).
 */
import type { Context } from 'hono'
import { ForbiddenError, UnauthorizedError } from '../../core/errors'
import { background } from '../../http/background'
import type { AppEnv } from '../../http/context'
import { countDefaultLimit } from '../../http/middleware/rate-limit'
import { redisKeys } from '../../infra/redis-keys'
import { required } from '../../infra/services'
import { type AuthUser, enabledRoles } from './auth-user'
import { loadAuthUser } from './auth-user-loader'
import type { Session } from './sessions'
import { ACCESS_TYP, verifyToken } from './tokens'

declare module '../../http/context' {
  interface Variables {
    /** The caller's snapshot, set once the Bearer token is authenticated. */
    user?: AuthUser
    /** The caller's login session. */
    session?: Session
  }
}

/** How long a user snapshot may live in Redis; writes that change it delete it sooner. */
export const AUTH_USER_CACHE_SECONDS = 86_400

export function bearerToken(c: Context<AppEnv>): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')
  return match?.[1]
}

/**
 * Account-state checks (docs/fba-compatibility.md, "Authentication"): a locked user, a locked or deleted department,
 * or (non-superusers) only disabled roles.
 */
export function assertActive(user: AuthUser): void {
  if (user.status !== 1) throw new ForbiddenError('auth.user_locked')
  if (user.deptId !== null && user.deptDeleted) throw new ForbiddenError('auth.dept_deleted')
  if (user.deptId !== null && user.deptStatus !== 1) throw new ForbiddenError('auth.dept_locked')
  // Superusers bypass role checks everywhere else; disabling their roles must not lock them out.
  if (!user.isSuperuser && user.roles.length && !enabledRoles(user).length)
    throw new ForbiddenError('auth.roles_locked')
}

export async function authenticate(c: Context<AppEnv>): Promise<AuthUser> {
  const known = c.get('user')
  if (known) return known
  const token = bearerToken(c)
  if (!token) throw new UnauthorizedError()
  const config = c.get('config')
  const services = c.get('services')
  const claims = await verifyToken(config, ACCESS_TYP, token)
  const redis = required(services.redis, 'redis')
  const keys = redisKeys(config)
  const pipeline = redis
    .pipeline()
    .get<Session>(keys.session(claims.sid))
    .get<AuthUser>(keys.authUser(claims.userId))
    .get<number>(keys.authzGeneration())
  // The default rate limit's counters ride along: still one round trip.
  const judgeRateLimit = countDefaultLimit(c, pipeline)
  const results = await pipeline.exec()
  judgeRateLimit?.(results.slice(3))
  const [session, cached, generation] = results as [Session | null, AuthUser | null, number | null]
  if (!session || session.accessJti !== claims.jti || session.userId !== claims.userId) {
    throw new UnauthorizedError('auth.session_revoked')
  }
  const currentGeneration = generation ?? 0
  let user = cached?.generation === currentGeneration ? cached : null
  if (!user) {
    user = await loadAuthUser(required(services.db, 'database'), claims.userId, currentGeneration)
    if (!user) throw new UnauthorizedError('auth.token_invalid')
    background(c, 'cache auth user', redis.set(keys.authUser(user.id), user, { ex: AUTH_USER_CACHE_SECONDS }))
  }
  assertActive(user)
  c.set('user', user)
  c.set('userId', user.id)
  c.set('session', session)
  return user
}

/**
 * After a change to roles, menus, departments, data scopes or rules: every user's snapshot is stale from the next
 * request on (one INCR instead of finding and deleting every affected user's snapshot).
 */
export async function bumpAuthzGeneration(c: Context<AppEnv>): Promise<void> {
  await required(c.get('services').redis, 'redis').incr(redisKeys(c.get('config')).authzGeneration())
}

/** Drops a user's cached snapshot so the next request reloads it (after any change to the user or its roles). */
export async function invalidateAuthUser(c: Context<AppEnv>, ...userIds: number[]): Promise<void> {
  if (!userIds.length) return
  const keys = redisKeys(c.get('config'))
  await required(c.get('services').redis, 'redis').del(...userIds.map((id) => keys.authUser(id)))
}
