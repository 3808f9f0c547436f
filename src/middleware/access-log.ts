/** One structured access line per request: method, path, status, duration, trace id and user id when known. */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../core/context'

export const accessLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now()
  try {
    await next()
  } finally {
    // `c.var.logger` is missing only when config failed to load; the error handler logs that case itself.
    c.var.logger?.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      api_version: c.var.apiVersion,
      user_id: c.var.userId ?? null,
    })
  }
})
