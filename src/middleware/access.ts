/**
 * Enforces a route's access declaration. Until an identity provider sets `userId`, every non-public route answers
 * 401 — secure by default. The identity domain replaces the check of signed-in users with role/permission rules.
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../core/context'
import { UnauthorizedError } from '../core/errors'
import type { Access } from '../core/openapi'

const passThrough = createMiddleware<AppEnv>(async (_c, next) => {
  await next()
})

export function requireAccess(access: Access) {
  if (access === 'public') return passThrough
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.var.userId === undefined) throw new UnauthorizedError()
    await next()
  })
}
