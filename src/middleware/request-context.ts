/**
 * First middleware: trace id, language, config, logger, services and the resolved API version — everything later
 * code reads from `c.var`. The trace id and language are set before config is loaded so that even a config error
 * is answered in the envelope with a trace id.
 */
import { createMiddleware } from 'hono/factory'
import { loadConfig } from '../core/config'
import type { AppEnv } from '../core/context'
import { negotiateLanguage } from '../core/i18n'
import { createLogger } from '../core/logging'
import { TRACE_HEADER, traceIdFrom } from '../core/trace'
import { resolvedVersion } from '../core/versioning'
import { createServices } from '../infra/services'

export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const traceId = traceIdFrom(c.req.header(TRACE_HEADER))
  c.set('traceId', traceId)
  c.header(TRACE_HEADER, traceId)
  c.set('lang', negotiateLanguage(c.req.header('Accept-Language')))
  const config = loadConfig(c.env ?? {})
  c.set('config', config)
  c.set('logger', createLogger({ trace_id: traceId }, config.LOG_LEVEL))
  c.set('services', createServices(config))
  c.set('apiVersion', resolvedVersion(c.req.path, c.req.raw.headers, config.API_DEFAULT_VERSION))
  await next()
})
