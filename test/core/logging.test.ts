import { sql } from 'drizzle-orm'
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createApp } from '../../src/app/app'
import { DOMAINS } from '../../src/app/domains'
import { createLogger, describeError, REDACTED, redact } from '../../src/core/logging'
import type { healthRoutes } from '../../src/domains/health/routes'
import { defineDomain } from '../../src/domains/module'
import { defineRoute, nullEnvelope } from '../../src/http/openapi'
import { ok } from '../../src/http/respond'
import { createRouter } from '../../src/http/router'
import { required } from '../../src/infra/services'
import { migrateFileDatabase } from '../helpers/database'
import { api, harnessFor } from '../helpers/harness'
import { fileRedis } from '../helpers/isolation'
import { expectLogs } from '../helpers/logs'

afterEach(() => vi.restoreAllMocks())

describe('logging', () => {
  it('redacts secrets at any depth', () => {
    const out = redact({ user: { password: 'p', nested: [{ access_token: 't' }] }, Authorization: 'Bearer x', ok: 1 })
    expect(out).toEqual({
      user: { password: REDACTED, nested: [{ access_token: REDACTED }] },
      Authorization: REDACTED,
      ok: 1,
    })
  })

  it('writes JSON lines with the base fields and respects the level', () => {
    const lines: string[] = []
    const logger = createLogger({ trace_id: 't1' }, 'info', (line) => lines.push(line))
    logger.debug('hidden')
    logger.child({ user_id: 3 }).info('hello', { new_password: 'x' })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'info',
      msg: 'hello',
      trace_id: 't1',
      user_id: 3,
      new_password: REDACTED,
    })
  })

  it('writes one access line per request with method, path, status, duration and trace id', async () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const res = await api<typeof healthRoutes>(undefined, { overrides: { LOG_LEVEL: 'info' } }).health.ping.$get()
    const lines = spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>)
    const access = lines.filter((l) => l.msg === 'request')
    expect(access).toHaveLength(1)
    expect(access[0]).toMatchObject({
      method: 'GET',
      path: '/api/v1/health/ping',
      status: 200,
      trace_id: res.headers.get('X-Request-ID'),
      user_id: null,
    })
    expect(typeof access[0]?.duration_ms).toBe('number')
  })
})

/** Personal data a failing statement or command carries as a parameter. */
const EMAIL = 'alice.private@example.com'

/** An app with one extra route whose query fails (an unknown column) with `EMAIL` bound as a parameter. */
const failing = defineDomain({
  name: 'failing',
  routes: {
    v1: () =>
      createRouter().openapi(
        defineRoute({ method: 'get', path: '/failing', access: 'public', responses: nullEnvelope('Never') }),
        async (c) => {
          const db = required(c.get('services').db, 'database')
          await db.run(sql`select id from sys_user where email = ${EMAIL} and no_such_column = ${EMAIL}`)
          return ok(c, null)
        },
      ),
  },
})
const { send } = harnessFor(createApp({ domains: [...DOMAINS, failing] }))

describe('error logs', () => {
  beforeAll(migrateFileDatabase)

  it("log a failed query's statement and reason, not its parameter values", async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const res = await send('GET', '/api/v1/failing')
    expect(res.status).toBe(500)
    const lines = spy.mock.calls.map((args) => String(args[0]))
    const failed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request failed')
    expect(failed).toMatchObject({
      status: 500,
      message: 'Failed query: select id from sys_user where email = ? and no_such_column = ?',
      cause: expect.stringContaining('no_such_column'),
    })
    expect(String(failed?.stack)).toContain('Failed query: select id from sys_user')
    for (const line of lines) expect(line).not.toContain(EMAIL)
  })

  it("log a failed Redis command's name, not its arguments", async () => {
    const error = await fileRedis()
      .exec(['SET', 'logging:probe', EMAIL, 'NOT_AN_OPTION'])
      .then(
        () => undefined,
        (err: unknown) => err,
      )
    expect(error).toBeInstanceOf(Error)
    const described = describeError(error)
    expect(described.message).toMatch(/, command was: SET$/)
    expect(JSON.stringify(described)).not.toContain(EMAIL)
  })
})

describe('expected logs (test/helpers/logs.ts)', () => {
  /** What reaches the run's output while the test runs (the console as it was before `expectLogs`). */
  function printed(): string[] {
    const out: string[] = []
    const { error, warn } = console
    console.error = (...args: unknown[]) => out.push(args.map(String).join(' '))
    console.warn = console.error
    // Registered first, so it runs after expectLogs' own clean-up (finish hooks run last-in, first-out).
    onTestFinished(() => {
      console.error = error
      console.warn = warn
    })
    return out
  }

  it('collects the lines a test expects instead of printing them; anything else still prints', async () => {
    const out = printed()
    const logs = expectLogs({ msg: 'request failed', status: 500 }, /^\[Upstash QStash\] /)
    const res = await send('GET', '/api/v1/failing')
    expect(res.status).toBe(500)
    console.error('[Upstash QStash] GET http://127.0.0.1:1/v2/queues/q failed with status 404')
    createLogger({ trace_id: 't2' }).warn('rate limit check failed; request let through')
    createLogger({ trace_id: 't3' }).error('request failed', { status: 503 })

    expect(logs.entries.map((e) => [e.msg, e.status])).toEqual([['request failed', 500]])
    expect(logs.lines).toHaveLength(2)
    expect(out.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { msg: 'rate limit check failed; request let through', trace_id: 't2' },
      { msg: 'request failed', status: 503, trace_id: 't3' },
    ])
  })

  it('ends with the test that asked for it', () => {
    const out = printed()
    createLogger({}).error('request failed', { status: 500 })
    expect(out).toHaveLength(1)
  })
})
