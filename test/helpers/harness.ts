/**
 * The one way tests call the API. Typed calls use Hono's client over a router's own route types, so a test reads the
 * response as the route declares it (no casts) and a renamed path or field fails to compile:
 *
 *   const roles = api<typeof roleRoutes>(adminToken)
 *   const { status, data } = await answer(roles.sys.roles[':pk'].$get({ param: { pk: '1' } }))
 *   expect(data.name).toBe('测试')
 *
 * Every call goes through the whole app (src/app/app.ts: pipeline, access checks, error handler) at
 * `/api/<version>`, inside the Workers runtime, with this file's own database and Redis namespace (./isolation.ts).
 * Failures are read with `failure()`, which checks the error envelope's shape. Deliberately malformed requests
 * (bad JSON, wrong types) that the typed client would refuse to build go through `send()`.
 */
import { z } from '@hono/zod-openapi'
import type { Hono } from 'hono'
import { hc } from 'hono/client'
import type { Schema } from 'hono/types'
import type { App } from '../../src/app/app'
import { type Envelope, ErrorEnvelopeSchema, FieldErrorSchema } from '../../src/core/envelope'
import type { AppEnv } from '../../src/http/context'
import { app, call, type Overrides } from './app'

/** A router factory of a domain or plugin (e.g. `roleRoutes`), whose route types the client takes. */
type RouterFactory = (...args: never[]) => Hono<AppEnv, Schema, string>

export interface ClientOptions {
  /** API version segment (default `v1`). */
  version?: string
  /** Extra request headers (e.g. `Accept-Language`). */
  headers?: Record<string, string>
  /** Binding overrides for these calls (e.g. a config key). */
  overrides?: Overrides
}

export interface SendOptions {
  token?: string | undefined
  /** JSON body (sent as given, so it may break the route's schema on purpose). */
  json?: unknown
  /** A raw body instead (malformed JSON, a stream); set `Content-Type` in `headers` yourself. */
  body?: BodyInit
  headers?: Record<string, string>
  overrides?: Overrides
}

/**
 * The typed `api` and the raw `send` for one app: the default app, or one built with other modules or plugins
 * (`harnessFor(createApp({ plugins }))`).
 */
export function harnessFor(target: App = app) {
  /** A typed client for the routes of `R`, signed in with `token` when given. */
  function api<R extends RouterFactory>(token?: string, options: ClientOptions = {}) {
    const headers: Record<string, string> = { ...options.headers }
    if (token) headers.Authorization = `Bearer ${token}`
    return hc<ReturnType<R>>(`http://localhost/api/${options.version ?? 'v1'}`, {
      headers,
      fetch: (input: RequestInfo | URL, init?: RequestInit) => call(String(input), init, options.overrides, target),
    })
  }

  /** An untyped call for requests the typed client cannot express: bodies that break the schema, odd headers. */
  function send(method: string, path: string, options: SendOptions = {}): Promise<Response> {
    const headers = new Headers(options.headers)
    if (options.token) headers.set('Authorization', `Bearer ${options.token}`)
    // `duplex` lets a stream be a request body (Fetch's rule for streamed uploads).
    const init: RequestInit & { duplex?: 'half' } = { method, headers }
    if (options.body !== undefined) {
      init.body = options.body
      if (options.body instanceof ReadableStream) init.duplex = 'half'
    } else if (options.json !== undefined) {
      if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json')
      init.body = JSON.stringify(options.json)
    }
    return call(path, init, options.overrides, target)
  }

  return { api, send }
}

export const { api, send } = harnessFor()

interface JsonResponse<T> {
  status: number
  json(): Promise<T>
}

/** The status and body of a typed call; `data` is the envelope's payload as the route declares it. */
export async function answer<D>(request: Promise<JsonResponse<Envelope<D>>> | JsonResponse<Envelope<D>>) {
  const res = await request
  const body = await res.json()
  return { status: res.status, body, data: body.data }
}

export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>
export type FieldError = z.infer<typeof FieldErrorSchema>

const FieldErrorsSchema = z.object({ errors: z.array(FieldErrorSchema) })

/**
 * The status and error envelope of a call that failed; throws when the body is not the error envelope. `errors` is
 * the field list of a validation failure (422), empty otherwise.
 */
export async function failure(request: Promise<{ status: number; json(): Promise<unknown> }> | Response) {
  const res = await request
  const body = ErrorEnvelopeSchema.parse(await res.json())
  const fields = FieldErrorsSchema.safeParse(body.data)
  return { status: res.status, body, errors: fields.success ? fields.data.errors : [] }
}
