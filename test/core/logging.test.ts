import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger, REDACTED, redact } from '../../src/core/logging'
import type { healthRoutes } from '../../src/domains/health/routes'
import { api } from '../helpers/harness'

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
