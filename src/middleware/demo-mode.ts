/** Demo mode: a read-only deployment. Only GET/HEAD/OPTIONS pass, plus the configured `METHOD /path` allowlist. */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../core/context'
import { ForbiddenError } from '../core/errors'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export const demoMode = createMiddleware<AppEnv>(async (c, next) => {
  const { DEMO_MODE, DEMO_MODE_ALLOWLIST } = c.get('config')
  if (DEMO_MODE && !SAFE_METHODS.has(c.req.method) && !DEMO_MODE_ALLOWLIST.includes(`${c.req.method} ${c.req.path}`)) {
    throw new ForbiddenError('error.demo_mode')
  }
  await next()
})
