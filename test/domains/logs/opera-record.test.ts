/**
 * The operation-log record builder (src/domains/logs/opera-record.ts), without a request: masking at any depth,
 * fba's truncation, and how status, code, msg and cost time are derived.
 */
import { describe, expect, it } from 'vitest'
import {
  boundedArgs,
  type CapturedOperation,
  MAX_ARGS_BYTES,
  MAX_ARGS_DEPTH,
  maskSecrets,
  OperaLogRecordSchema,
  operaLogRecord,
  TOO_DEEP,
} from '../../../src/domains/logs/opera-record'

const KEYS = new Set(['password', 'token', 'api_key', 'authorization'])

const operation = (overrides: Partial<CapturedOperation> = {}): CapturedOperation => ({
  traceId: 'a'.repeat(32),
  username: 'admin',
  method: 'POST',
  path: '/api/v1/sys/roles',
  title: 'Create a role',
  client: {
    ip: '198.51.100.7',
    country: 'DE',
    region: 'Hesse',
    city: 'Frankfurt',
    userAgent: 'curl/8.4.0',
    os: null,
    browser: 'curl 8',
    device: 'Bot',
  },
  args: { json: { name: 'x' } },
  httpStatus: 200,
  msg: 'Request success',
  startedAt: new Date('2026-11-22T02:00:00.000Z'),
  costMs: 12.345_678,
  ...overrides,
})

describe('maskSecrets', () => {
  it('masks a listed key at any depth, in objects inside arrays too, whatever its case', () => {
    const masked = maskSecrets(
      {
        username: 'bob',
        Password: 'p1',
        profile: { settings: { TOKEN: 't', theme: 'dark' } },
        keys: [{ api_key: 'k', label: 'ci' }, [{ authorization: 'Bearer x' }]],
        password_hint: 'not a listed key',
      },
      KEYS,
    )
    expect(masked).toEqual({
      username: 'bob',
      Password: '[REDACTED]',
      profile: { settings: { TOKEN: '[REDACTED]', theme: 'dark' } },
      keys: [{ api_key: '[REDACTED]', label: 'ci' }, [{ authorization: '[REDACTED]' }]],
      password_hint: 'not a listed key',
    })
  })

  it('masks a secret whatever its value (an object, null) and leaves other values as they are', () => {
    expect(maskSecrets({ token: { nested: 1 }, password: null, n: 1, ok: true }, KEYS)).toEqual({
      token: '[REDACTED]',
      password: '[REDACTED]',
      n: 1,
      ok: true,
    })
    expect(maskSecrets([1, 'a', null], KEYS)).toEqual([1, 'a', null])
  })

  it('keeps a `__proto__` key as data, and stops walking past its depth bound', () => {
    const parsed = JSON.parse('{"__proto__": {"password": "p"}}') as unknown
    const masked = maskSecrets(parsed, KEYS) as Record<string, unknown>
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value).toEqual({ password: '[REDACTED]' })

    let deep: unknown = { password: 'p' }
    for (let i = 0; i < MAX_ARGS_DEPTH + 5; i++) deep = [deep]
    const text = JSON.stringify(maskSecrets(deep, KEYS))
    expect(text).toContain(TOO_DEEP)
    expect(text).not.toContain('"p"')
  })
})

describe('boundedArgs', () => {
  it("keeps args up to 10 240 bytes of JSON; larger ones become fba's preview, cut on a character boundary", () => {
    const fits = { json: { text: 'x'.repeat(MAX_ARGS_BYTES - 30) } }
    expect(boundedArgs(fits)).toBe(fits)

    // Three bytes a character: the byte size, not the character count, decides.
    const wide = { json: { text: '字'.repeat(4000) } }
    const size = new TextEncoder().encode(JSON.stringify(wide)).length
    const preview = boundedArgs(wide)
    expect(preview).toMatchObject({ _truncated: true, _original_size: size, _max_size: MAX_ARGS_BYTES })
    expect(preview._message).toBe(`args of ${size} bytes truncated to ${MAX_ARGS_BYTES}`)
    const text = preview.data_preview as string
    expect(JSON.stringify(wide).startsWith(text)).toBe(true)
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(MAX_ARGS_BYTES)
    expect(new TextEncoder().encode(text).length).toBeGreaterThan(MAX_ARGS_BYTES - 3)
  })
})

describe('operaLogRecord', () => {
  it('fills every column: real status as the code, 1/0 status, msg, cost in ms to 3 decimals, start time', () => {
    const record = operaLogRecord(operation(), { redactKeys: KEYS })
    expect(record).toEqual({
      traceId: 'a'.repeat(32),
      username: 'admin',
      method: 'POST',
      title: 'Create a role',
      path: '/api/v1/sys/roles',
      ip: '198.51.100.7',
      country: 'DE',
      region: 'Hesse',
      city: 'Frankfurt',
      userAgent: 'curl/8.4.0',
      os: null,
      browser: 'curl 8',
      device: 'Bot',
      args: { json: { name: 'x' } },
      status: 1,
      code: '200',
      msg: 'Request success',
      costTime: 12.346,
      operaTime: new Date('2026-11-22T02:00:00.000Z'),
    })
    expect(OperaLogRecordSchema.parse(record)).toEqual(record)
  })

  it('a 4xx or 5xx is a failure with its own status as the code; no args is null', () => {
    for (const [httpStatus, code] of [
      [409, '409'],
      [422, '422'],
      [503, '503'],
    ] as const) {
      const record = operaLogRecord(operation({ httpStatus, args: {}, msg: 'nope' }), { redactKeys: KEYS })
      expect([record.status, record.code, record.args, record.msg]).toEqual([0, code, null, 'nope'])
    }
    expect(operaLogRecord(operation({ httpStatus: 302 }), { redactKeys: KEYS }).status).toBe(1)
  })

  it('masks before truncating, so a preview never shows a secret', () => {
    const args = { json: { password: 'hunter2-secret', filler: 'y'.repeat(MAX_ARGS_BYTES) } }
    const record = operaLogRecord(operation({ args }), { redactKeys: KEYS })
    expect(record.args?._truncated).toBe(true)
    expect(JSON.stringify(record.args)).not.toContain('hunter2')
    expect(record.args?.data_preview).toContain('"password":"[REDACTED]"')
  })

  it('survives a trip through JSON (the fallback may carry it as a message)', () => {
    const record = operaLogRecord(operation(), { redactKeys: KEYS })
    expect(OperaLogRecordSchema.parse(JSON.parse(JSON.stringify(record)))).toEqual(record)
  })
})
