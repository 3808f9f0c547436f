/** Echoes the served API version and, for versions marked deprecated in config, `Deprecation`/`Sunset`. */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../core/context'
import { deprecationHeaders } from '../core/versioning'

export const apiVersionHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  const version = c.var.apiVersion
  c.header('X-API-Version', version)
  const deprecated = c.var.config.API_DEPRECATIONS[version]
  if (deprecated) for (const [name, value] of Object.entries(deprecationHeaders(deprecated))) c.header(name, value)
})
