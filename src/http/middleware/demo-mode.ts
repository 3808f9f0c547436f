/** Demo mode: a read-only deployment. Only GET/HEAD/OPTIONS pass, plus the configured `METHOD /path` allowlist. */
import type { Context } from 'hono'
import { ForbiddenError } from '../../core/errors'
import type { AppEnv } from '../context'

/** Throws 403 for a write in demo mode (the request pipeline calls it for methods that carry a body). */
export function assertDemoAllows(c: Context<AppEnv>): void {
  const { DEMO_MODE, DEMO_MODE_ALLOWLIST } = c.get('config')
  if (DEMO_MODE && !DEMO_MODE_ALLOWLIST.includes(`${c.req.method} ${c.req.path}`)) {
    throw new ForbiddenError('error.demo_mode')
  }
}
