/**
 * The access check of routes QStash calls (`defineRoute({ access: 'qstash' })`): the `Upstash-Signature` must verify
 * over the raw body and the URL QStash was asked to call — `PUBLIC_URL` plus this request's path, never the URL the
 * request arrived at (a proxy or `wrangler dev` may rewrite the host). Anything else is a 401 before the handler or
 * validation runs. The raw body is read once here; Hono keeps it for the route's JSON validation.
 */
import { createMiddleware } from 'hono/factory'
import { UnauthorizedError } from '../core/errors'
import { verifyQstashDelivery } from '../infra/qstash'
import type { AppEnv } from './context'

export const verifyQstashSignature = createMiddleware<AppEnv>(async (c, next) => {
  const config = c.get('config')
  const { pathname, search } = new URL(c.req.url)
  const verified =
    config.PUBLIC_URL !== undefined &&
    (await verifyQstashDelivery(config, {
      signature: c.req.header('upstash-signature'),
      body: await c.req.text(),
      url: `${config.PUBLIC_URL}${pathname}${search}`,
    }))
  if (!verified) {
    // Like a bad bearer token: answered 401, noted for the security log, not an error of ours.
    c.get('logger').info('qstash delivery refused: bad signature', { security: true, path: pathname })
    throw new UnauthorizedError()
  }
  await next()
})
