/**
 * Who may call a route, and the port through which the app checks it. Every route declares its `Access`
 * (http/openapi.ts `defineRoute`); a non-public route gets `requireAccess` in front of its handler, which asks the
 * request's access check. The HTTP layer knows no users or roles: the app passes the check in (the auth domain's
 * `checkAccess`, domains/auth/access.ts) through the request-context middleware.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { InternalError } from '../core/errors'
import type { AppEnv } from './context'
import { verifyQstashSignature } from './qstash-signature'

/**
 * Who may call a route: anyone, any signed-in user, superusers only, holders of a permission code, or QStash (a
 * delivery signed with the app's QStash signing keys, checked by `verifyQstashSignature`).
 */
export type Access = 'public' | 'authenticated' | 'superuser' | 'qstash' | { permission: string }

export const accessLabel = (access: Access): string => (typeof access === 'string' ? access : access.permission)

/** Authenticates the caller (401) and checks `access` (403); resolves when the request may go on. */
export type AccessCheck = (c: Context<AppEnv>, access: Exclude<Access, 'public' | 'qstash'>) => Promise<void>

declare module './context' {
  interface Variables {
    /** The app's access check (set by the request-context middleware from the app's options). */
    checkAccess?: AccessCheck
  }
}

/**
 * The access-check middleware for a route; none for a public route (no layer to pass through: the default rate limit
 * of an unauthenticated request is counted before routing, see `withDefaultRateLimit`). Without an access check in
 * the context (an app assembled without one) every non-public route fails closed.
 */
export function requireAccess(access: Access): MiddlewareHandler<AppEnv> | undefined {
  if (access === 'public') return undefined
  if (access === 'qstash') return verifyQstashSignature
  return createMiddleware<AppEnv>(async (c, next) => {
    const check = c.get('checkAccess')
    if (!check) throw new InternalError(undefined, { cause: new Error('no access check configured') })
    await check(c, access)
    await next()
  })
}
