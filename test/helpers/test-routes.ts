/**
 * Routes that exist only in tests: one per error class and one validated body, mounted on the real app so the
 * real middleware stack and error handler answer them.
 */
import { z } from '@hono/zod-openapi'
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InternalError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '../../src/core/errors'
import { defineRoute, jsonEnvelope } from '../../src/http/openapi'
import { ok } from '../../src/http/respond'
import { createRouter } from '../../src/http/router'
import { app } from './app'

export const THROWERS = {
  400: () => new BadRequestError(),
  401: () => new UnauthorizedError(),
  403: () => new ForbiddenError(),
  404: () => new NotFoundError(),
  405: () => new MethodNotAllowedError(undefined, { params: { method: 'GET', allowed: 'POST' } }),
  409: () => new ConflictError(),
  413: () => new PayloadTooLargeError(undefined, { params: { limit: 1 } }),
  415: () => new UnsupportedMediaTypeError(undefined, { params: { type: 'text/plain' } }),
  429: () => new TooManyRequestsError(undefined, { headers: { 'Retry-After': '7' } }),
  500: () => new InternalError(),
  503: () => new ServiceUnavailableError(),
} as const

const CreateThing = z.object({
  name: z.string().min(2).max(10),
  age: z.number().int().min(0),
  email: z.email().optional(),
  kind: z.enum(['a', 'b']),
})

const createThing = defineRoute({
  method: 'post',
  path: '/things',
  access: 'public',
  request: {
    body: { content: { 'application/json': { schema: CreateThing } }, required: true },
    query: z.object({ page: z.coerce.number().int().min(1).default(1) }),
  },
  responses: { 200: jsonEnvelope(CreateThing, 'Created thing') },
})

let mounted = false

/** Mounts the test-only routes once per isolate (idempotent). */
export function mountTestRoutes(): void {
  if (mounted) return
  mounted = true
  app.get('/test/throw/:status', (c) => {
    const make = THROWERS[Number(c.req.param('status')) as keyof typeof THROWERS]
    if (!make) throw new Error('boom: a plain error with internals')
    throw make()
  })
  app.route(
    '/test',
    createRouter().openapi(createThing, (c) => ok(c, c.req.valid('json'))),
  )
}
