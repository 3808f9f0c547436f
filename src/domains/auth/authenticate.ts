/**
 * Bearer authentication. Warm path: verify the JWT locally, then one Redis pipeline reads the session (is this
 * token still the session's current one?), the cached user snapshot and the authorization generation (is the
 * snapshot still current?) — no database query. Cold path: the
 * snapshot is loaded from the database and cached after the response (`waitUntil`).
 * The same rules without an HTTP request (`authenticateToken`) let the realtime hub authenticate a Socket.IO CONNECT.
 */
import type { Context } from 'hono'
import type { Config } from '../../core/config'
import { ForbiddenError, UnauthorizedError } from '../../core/errors'
import { background } from '../../http/background'
import type { AppEnv } from '../../http/context'
import { countDefaultLimit } from '../../http/middleware/rate-limit'
import type { Db } from '../../infra/db/client'
import type { RedisCommand, RedisPipeline } from '../../infra/redis'
import { redisKeys } from '../../infra/redis-keys'
import { required } from '../../infra/services'
import { type AuthUser, enabledRoles } from './auth-user'
import { loadAuthUser } from './auth-user-loader'
import type { Session } from './sessions'
import { ACCESS_TYP, type TokenClaims, verifyToken } from './tokens'

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

/** What checking an access token needs, request or not. Clients are read only when needed (a bad token needs none). */
export interface TokenAuthDeps {
  config: Config
  /** Read only on a cold path (no current snapshot in Redis). */
  db: () => Db
  /** Work that may finish after the answer (caching a snapshot loaded from the database). */
  later: (what: string, work: Promise<unknown>) => void
  /**
   * Redis as lean pipeline requests (infra/redis.ts `leanPipeline`: no SDK client is built), for HTTP requests and
   * realtime CONNECTs alike: the session read, and on a cold path the snapshot cached.
   */
  pipeline: () => RedisPipeline
  /**
   * Commands riding on the session pipeline (HTTP: the default rate limit's counters), so they cost no extra round
   * trip: adds them to `commands` and returns how to judge their results (those after the three reads), or undefined
   * when none were added.
   */
  ride?: (commands: RedisCommand[]) => ((results: readonly unknown[]) => void) | undefined
}

export interface Authenticated {
  user: AuthUser
  session: Session
  claims: TokenClaims
}

/**
 * Checks an access token with every rule of HTTP authentication: signature, `typ`, issuer, audience and expiry; the
 * session still live with this token as its current one; the user still present and active (docs/fba-compatibility.md,
 * "Authentication"). Throws the same 401/403 errors as a request would get.
 */
export async function authenticateToken(deps: TokenAuthDeps, token: string): Promise<Authenticated> {
  const { config } = deps
  const claims = await verifyToken(config, ACCESS_TYP, token)
  const keys = redisKeys(config)
  const results = await readSession(deps, [
    keys.session(claims.sid),
    keys.authUser(claims.userId),
    keys.authzGeneration(),
  ])
  const [session, cached, generation] = results as [Session | null, AuthUser | null, number | null]
  if (!session || session.accessJti !== claims.jti || session.userId !== claims.userId) {
    throw new UnauthorizedError('auth.session_revoked')
  }
  const currentGeneration = generation ?? 0
  let user = cached?.generation === currentGeneration ? cached : null
  if (!user) {
    user = await loadAuthUser(deps.db(), claims.userId, currentGeneration)
    if (!user) throw new UnauthorizedError('auth.token_invalid')
    const cache: RedisCommand = ['SET', keys.authUser(user.id), JSON.stringify(user), 'EX', AUTH_USER_CACHE_SECONDS]
    deps.later('cache auth user', deps.pipeline()([cache]))
  }
  assertActive(user)
  return { user, session, claims }
}

/** GETs `keys` (and whatever rides along) in one Redis request; answers the GETs' values. */
async function readSession(deps: TokenAuthDeps, keys: readonly string[]): Promise<unknown[]> {
  const commands: RedisCommand[] = keys.map((key) => ['GET', key])
  const judgeRiders = deps.ride?.(commands)
  const results = await deps.pipeline()(commands)
  judgeRiders?.(results.slice(keys.length))
  return results
}

export async function authenticate(c: Context<AppEnv>): Promise<AuthUser> {
  const known = c.get('user')
  if (known) return known
  const token = bearerToken(c)
  if (!token) throw new UnauthorizedError()
  const services = c.get('services')
  const { user, session } = await authenticateToken(
    {
      config: c.get('config'),
      pipeline: () => required(services.redisPipeline, 'redis'),
      db: () => required(services.db, 'database'),
      later: (what, work) => background(c, what, work),
      // The default rate limit's counters ride along: still one round trip.
      ride: (commands) => countDefaultLimit(c, commands),
    },
    token,
  )
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
