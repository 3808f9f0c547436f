/**
 * Honest statuses for failed dependencies and bad media types (the fault tests with stalled services are in
 * test/app/faults.test.ts): an unreachable Redis or database is a 503 with `Retry-After`, never a 500; a body in a
 * media type the route does not take is a 415; both are documented. Deadlines come from validated config.
 */
import { env } from 'cloudflare:workers'
import { errors } from '@upstash/redis'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/core/config'
import { ServiceUnavailableError } from '../../src/core/errors'
import { Deadline, DependencyUnavailableError } from '../../src/infra/deadline'
import { createQstash } from '../../src/infra/qstash'
import { type UpstashReply, UpstashRequester, type UpstashTransport } from '../../src/infra/redis'
import { seedAndSignIn } from '../helpers/auth'
import { failure, send } from '../helpers/harness'
import { expectLogs } from '../helpers/logs'
import { mountTestRoutes } from '../helpers/test-routes'
import { openApiDocument } from './openapi-document'

const NOWHERE = 'http://127.0.0.1:9'

const tokens = seedAndSignIn(['admin'], { prepare: mountTestRoutes })

beforeAll(async () => {
  // Cache the user snapshot, so a later request authenticates from Redis alone.
  expect((await send('GET', '/api/v1/sys/users/me', { token: tokens.admin })).status).toBe(200)
})

describe('an unreachable dependency is a 503 with Retry-After', () => {
  beforeEach(() => {
    expectLogs({ msg: 'request failed', status: 503 })
  })

  it('Redis: authentication fails closed with 503, not 500', async () => {
    const res = await send('GET', '/api/v1/sys/users/me', {
      token: tokens.admin,
      overrides: { UPSTASH_REDIS_REST_URL: NOWHERE },
    })
    expect(res.headers.get('Retry-After')).toBe('5')
    const { status, body } = await failure(res)
    expect(status).toBe(503)
    expect(body).toMatchObject({ code: 503, msg: 'Service temporarily unavailable' })
    expect(body.data).toEqual({ service: 'redis', reason: 'unreachable' })
  })

  it('the database: a route that reads it answers 503, not 500', async () => {
    const overrides = { TURSO_DATABASE_URL: `${NOWHERE}/`, UNAVAILABLE_RETRY_AFTER_SECONDS: '11' }
    const res = await send('GET', '/api/v1/sys/roles', { token: tokens.admin, overrides })
    expect(res.headers.get('Retry-After')).toBe('11')
    const { status, body } = await failure(res)
    expect(status).toBe(503)
    expect(body.data).toEqual({ service: 'database', reason: 'unreachable' })
  })

  it('every 503 carries Retry-After, and production says only that the service is unavailable', async () => {
    const prod = {
      ENVIRONMENT: 'production',
      UPSTASH_REDIS_REST_TOKEN: 'x',
      QSTASH_TOKEN: 'x',
    }
    const res = await send('GET', '/test/throw/503', { overrides: prod })
    expect(res.headers.get('Retry-After')).toBe('5')
    const { status, body } = await failure(res)
    expect(status).toBe(503)
    expect(body).toMatchObject({ code: 503, msg: 'Service temporarily unavailable', data: null })
  })
})

describe('415 for a body in the wrong media type', () => {
  it('answers the error envelope naming the media type', async () => {
    // Bytes, not a string: for a string body fetch itself would add `Content-Type: text/plain`.
    const bytes = new TextEncoder().encode('{"name":"ab"}')
    for (const [headers, type] of [
      [{ 'Content-Type': 'text/plain' }, 'text/plain'],
      [{ 'Content-Type': 'application/x-www-form-urlencoded' }, 'application/x-www-form-urlencoded'],
      [{}, '(none)'],
    ] as const) {
      const res = await send('POST', '/test/things', { body: bytes, headers })
      const { status, body } = await failure(res)
      expect(status).toBe(415)
      expect(body).toMatchObject({ code: 415, msg: `Unsupported media type: ${type}`, data: null })
    }
    const zh = await failure(
      send('POST', '/test/things', {
        body: 'x',
        headers: { 'Content-Type': 'text/plain', 'Accept-Language': 'zh-CN' },
      }),
    )
    expect(zh.body.msg).toBe('不支持的媒体类型：text/plain')
  })

  it('documents 415 on every route with a body and 503 on every route with dependencies', async () => {
    for (const version of ['v1', 'v2']) {
      const doc = await openApiDocument(version)
      expect(doc.components.responses).toHaveProperty('UnsupportedMediaType')
      expect(doc.components.responses).toHaveProperty('ServiceUnavailable')
      const missing: string[] = []
      for (const [path, byMethod] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(byMethod)) {
          const hasBody = 'requestBody' in op
          if (hasBody && !op.responses['415']) missing.push(`${method} ${path}: 415`)
          if (!hasBody && op.responses['415']) missing.push(`${method} ${path}: 415 without a body`)
          if (path !== '/health/ping' && !op.responses['503']) missing.push(`${method} ${path}: 503`)
        }
      }
      expect(missing).toEqual([])
      // The liveness probe touches nothing: no 503, and no rate limit (so no 429) either.
      const ping = doc.paths['/health/ping']?.get
      expect(ping?.responses).not.toHaveProperty('503')
      expect(ping?.responses).not.toHaveProperty('429')
    }
    const v1 = await openApiDocument('v1')
    expect(v1.paths['/sys/roles']?.post?.responses['415']).toEqual({
      $ref: '#/components/responses/UnsupportedMediaType',
    })
  })
})

describe('deadlines', () => {
  it('are validated config with defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      REDIS_TIMEOUT_MS: 1000,
      DB_TIMEOUT_MS: 5000,
      QSTASH_TIMEOUT_MS: 3000,
      UNAVAILABLE_RETRY_AFTER_SECONDS: 5,
    })
    for (const bad of [
      { REDIS_TIMEOUT_MS: '0' },
      { DB_TIMEOUT_MS: 'soon' },
      { QSTASH_TIMEOUT_MS: '60001' },
      { UNAVAILABLE_RETRY_AFTER_SECONDS: '-1' },
    ]) {
      expect(() => loadConfig(bad)).toThrow(ConfigError)
    }
  })

  it('bound a call that never answers, and a request waits for a stalled service once', async () => {
    const deadline = new Deadline('qstash', 50)
    const never = () => new Promise<never>(() => undefined)
    const first = performance.now()
    const missed = await deadline.run(never).catch((err: unknown) => err)
    expect(missed).toBeInstanceOf(DependencyUnavailableError)
    expect(missed).toBeInstanceOf(ServiceUnavailableError)
    expect(missed).toMatchObject({ service: 'qstash', reason: 'timeout' })
    expect(performance.now() - first).toBeGreaterThanOrEqual(45)
    // The same request's next call does not wait again.
    const second = performance.now()
    await expect(deadline.run(never)).rejects.toBe(missed)
    expect(performance.now() - second).toBeLessThan(45)
  })

  it('let a service’s own answers through (a 4xx is not an outage)', async () => {
    const answer = new Error('the service said no')
    const deadline = new Deadline('qstash', 1000)
    await expect(
      deadline.run(
        () => Promise.reject(answer),
        (err) => err === answer,
      ),
    ).rejects.toBe(answer)
    await expect(deadline.run(() => Promise.reject(new Error('socket hang up')))).rejects.toMatchObject({
      service: 'qstash',
      reason: 'unreachable',
    })
    // QStash refusing the token is its answer, not a 503 — and not a console line: the SDK would print every answer
    // that is not a 2xx, which the adapter stops (callers log what matters).
    const sdkLine = expectLogs(/^\[Upstash QStash\]/)
    const config = loadConfig({
      QSTASH_TOKEN: 'wrong',
      QSTASH_URL: (env as unknown as Record<string, string>).QSTASH_URL,
    })
    const refused = await createQstash(config)
      ?.queue({ queueName: 'q' })
      .get()
      .catch((err: unknown) => err)
    expect(refused).not.toBeInstanceOf(DependencyUnavailableError)
    expect(refused).toBeInstanceOf(Error)
    expect(sdkLine.lines).toEqual([])
  })
})

describe('the Redis requester', () => {
  const reply = (status: number, body: string): UpstashReply => ({ status, body, syncToken: undefined })
  const requester = (answer: UpstashTransport, ms = 500) =>
    new UpstashRequester('token', answer, new Deadline('redis', ms))

  it('turns a server error (5xx) into a 503 and keeps command errors the SDK’s', async () => {
    await expect(
      requester(async () => reply(502, 'Bad gateway')).request({ body: ['get', 'a'] }),
    ).rejects.toMatchObject({ service: 'redis', reason: 'failing' })
    const commandError = requester(async () => reply(400, '{"error":"ERR wrong number of arguments"}'))
    await expect(commandError.request({ body: ['get'] })).rejects.toBeInstanceOf(errors.UpstashError)
  })

  it('retries a transport failure within the deadline, then reports Redis unreachable', async () => {
    let attempts = 0
    const broken = requester(async () => {
      attempts++
      throw new Error('Network connection lost.')
    })
    await expect(broken.request({ body: ['get', 'a'] })).rejects.toMatchObject({ reason: 'unreachable' })
    expect(attempts).toBe(3)
  })

  it('gives up at the deadline when Redis does not answer', async () => {
    const stalled = requester(
      (_path, _headers, _body, signal) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      60,
    )
    await expect(stalled.request({ body: ['get', 'a'] })).rejects.toMatchObject({ service: 'redis', reason: 'timeout' })
  })
})
