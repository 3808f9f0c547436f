/**
 * OpenAPI 3.1 per API version, generated from the zod route definitions so docs cannot drift.
 * Error responses are declared once as shared components and referenced by status; every route declares who may
 * call it (`access`), which shows in the document as `security` and `x-access`.
 */
import { createRoute, type RouteConfig, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ErrorEnvelopeSchema, envelopeOf, ValidationErrorEnvelopeSchema } from '../core/envelope'
import { onceRetrying } from '../core/once'
import { type Access, accessLabel, requireAccess } from './access'
import type { AppEnv } from './context'
import { declareBodyLimit } from './middleware/body-limit'
import { type RouteRateLimit, routeRateLimit, skipDefaultRateLimit } from './middleware/rate-limit'
import { createRouter, type Router } from './router'

const ERROR_COMPONENTS = {
  400: ['BadRequest', 'Bad request'],
  401: ['Unauthorized', 'Missing, invalid or expired access token'],
  403: ['Forbidden', 'Authenticated but not allowed'],
  404: ['NotFound', 'Resource or route not found'],
  405: ['MethodNotAllowed', 'Method not allowed on this path'],
  409: ['Conflict', 'Conflicts with existing data'],
  413: ['PayloadTooLarge', 'Request body over the configured limit'],
  415: ['UnsupportedMediaType', 'Request body in a media type (`Content-Type`) the route does not accept'],
  422: ['ValidationFailed', 'Request validation failed; `data.errors` lists each field'],
  429: ['TooManyRequests', 'Rate limit exceeded; see `Retry-After`'],
  500: ['InternalError', 'Unexpected server error'],
  503: [
    'ServiceUnavailable',
    'A dependency (database, Redis, QStash) is unavailable or missed its deadline; see `Retry-After`',
  ],
} as const satisfies Partial<Record<ContentfulStatusCode, readonly [string, string]>>

type ErrorStatus = keyof typeof ERROR_COMPONENTS

const ref = (status: ErrorStatus) => ({ $ref: `#/components/responses/${ERROR_COMPONENTS[status][0]}` })

/**
 * Error responses every route can produce, plus the ones its access level, its body and its dependencies imply: 415
 * with a request body; 429 and 503 unless the route touches no dependency (then the default rate limit skips it too).
 */
function errorResponsesFor(
  access: Access,
  extra: readonly ErrorStatus[],
  route: { body: boolean; independent: boolean },
) {
  const statuses = new Set<ErrorStatus>([400, 405, 413, 422, 500, ...extra])
  if (!route.independent) {
    statuses.add(429)
    statuses.add(503)
  }
  if (route.body) statuses.add(415)
  if (access !== 'public') {
    statuses.add(401)
    statuses.add(403)
  }
  return Object.fromEntries([...statuses].sort().map((s) => [String(s), ref(s)]))
}

/** JSON success response wrapped in the envelope. */
export function jsonEnvelope<T extends z.ZodType>(data: T, description: string) {
  return { description, content: { 'application/json': { schema: envelopeOf(data) } } }
}

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
})

/** The 200 answer of a write that returns no data (`data: null`, as fba). */
export const nullEnvelope = (description: string) => ({ 200: jsonEnvelope(z.null(), description) })

export type StratumRouteConfig = Omit<RouteConfig, 'security'> & {
  access: Access
  /** Error statuses specific to this route (e.g. 404, 409); the common ones are added automatically. */
  errors?: readonly ErrorStatus[]
  /**
   * Rate limit checked after the access check (docs/rate-limiting.md), e.g.
   * `{ rates: [{ limit: 10, window: '1 s' }, { limit: 100, window: '60 s' }], by: 'user' }`; shown as `x-rate-limit`.
   */
  rateLimit?: RouteRateLimit
  /**
   * `'none'`: the route touches no dependency (database, Redis, QStash), e.g. the liveness probe. The default rate
   * limit does not count it (a counter is a Redis call) and it documents no 429 and no 503.
   */
  dependencies?: 'none'
  /**
   * A read of secrets, personal data or infrastructure internals (logs, monitors, configs): it must need a permission
   * code, so a signed-in user without it gets 403 (test/sensitive-reads.test.ts). Shown as `x-sensitive`.
   */
  sensitive?: true
  /**
   * The route reads, changes or deletes records of a data-permission-aware table (built by the data-rules domain:
   * `scopedRecords(table, …)`); shown as `x-data-permission: <table>`. Its middleware runs right after the access
   * check and answers 404 for a record outside the caller's data scope.
   */
  dataPermission?: DataPermissionDeclaration
  /**
   * The largest body this route takes, in bytes, instead of `BODY_LIMIT_BYTES` (e.g. the file upload's 20 MB videos;
   * docs/files.md). Shown as `x-body-limit`.
   */
  bodyLimit?: number
}

/** What `dataPermission` declares: the table's SQL name and the middleware that enforces the caller's scope on it. */
export interface DataPermissionDeclaration {
  table: string
  middleware: MiddlewareHandler<AppEnv>
}

/**
 * `createRoute` plus Stratum's conventions: the access declaration becomes `security`/`x-access` in the document
 * and an access-check middleware in front of the handler; a `rateLimit` declaration becomes `x-rate-limit` and a
 * rate-limit middleware right after the access check; a `dataPermission` declaration becomes `x-data-permission` and
 * its scope middleware after those (before validation, like the access check: a scoped-out record is a 404 whatever
 * the body).
 */
export function defineRoute<const R extends StratumRouteConfig>(config: R) {
  const {
    access,
    errors = [],
    middleware,
    responses,
    rateLimit,
    sensitive,
    dataPermission,
    dependencies,
    bodyLimit,
    ...rest
  } = config
  if (sensitive && typeof access !== 'object')
    throw new Error(`${rest.method.toUpperCase()} ${rest.path}: a sensitive route needs a permission code`)
  const own = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware]
  const limited = rateLimit ? routeRateLimit(rateLimit, rest.method, rest.path) : undefined
  const guard = requireAccess(access)
  const statuses = limited?.rule.failClosed ? [...errors, 503 as const] : errors
  // QStash's deliveries come from a few shared addresses and are signed: a per-IP count would only throttle them.
  if (dependencies === 'none' || access === 'qstash') skipDefaultRateLimit(rest.path)
  if (bodyLimit !== undefined) declareBodyLimit(rest.method, rest.path, bodyLimit)
  return createRoute({
    ...rest,
    security: access === 'public' ? [] : access === 'qstash' ? [{ qstashSignature: [] }] : [{ bearerAuth: [] }],
    'x-access': accessLabel(access),
    ...(limited ? { 'x-rate-limit': limited.extension } : {}),
    ...(sensitive ? { 'x-sensitive': true } : {}),
    ...(dataPermission ? { 'x-data-permission': dataPermission.table } : {}),
    ...(bodyLimit !== undefined ? { 'x-body-limit': bodyLimit } : {}),
    middleware: [
      ...(guard ? [guard] : []),
      ...(limited ? [limited.middleware] : []),
      ...(dataPermission ? [dataPermission.middleware] : []),
      ...own,
    ],
    responses: {
      ...errorResponsesFor(access, statuses, { body: !!rest.request?.body, independent: dependencies === 'none' }),
      ...responses,
    } as R['responses'],
  })
}

/** The shared components every version's document references: security schemes, error envelopes and responses. */
function registerComponents(router: Router): void {
  const registry = router.openAPIRegistry
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
  registry.registerComponent('securitySchemes', 'qstashSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'Upstash-Signature',
    description: 'A QStash delivery: a JWT signed with the QStash signing keys over the body and PUBLIC_URL + path',
  })
  registry.register('ErrorResponse', ErrorEnvelopeSchema)
  registry.register('ValidationErrorResponse', ValidationErrorEnvelopeSchema)
  for (const [status, [name, description]] of Object.entries(ERROR_COMPONENTS)) {
    const schemaName = status === '422' ? 'ValidationErrorResponse' : 'ErrorResponse'
    registry.registerComponent('responses', name, {
      description,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
    })
  }
}

/**
 * Serves `GET <router>/openapi.json` for one API version: the document of `sources`, every router of the version in
 * mount order. The router it is generated from is assembled on the first request (lazy routers are loaded for it,
 * http/lazy-routes.ts) and kept; the document itself is generated per request, as `doc31` does.
 */
export function documentVersion(
  router: Router,
  version: string,
  appVersion: string,
  sources: () => Promise<readonly Router[]>,
): void {
  const documented = onceRetrying(async () => {
    const doc = createRouter()
    for (const source of await sources()) doc.route('/', source)
    registerComponents(doc)
    return doc
  })
  router.get('/openapi.json', async (c) => {
    const doc = await documented()
    return c.json(
      doc.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: `${c.get('config').APP_NAME} API ${version}`,
          version: appVersion,
          description: `All responses use the \`{code, msg, data}\` envelope. Select the version with the URL (\`/api/${version}\`) or the \`X-API-Version: ${version}\` header.`,
        },
        servers: [{ url: `/api/${version}` }],
      }),
    )
  })
}

export { z }
