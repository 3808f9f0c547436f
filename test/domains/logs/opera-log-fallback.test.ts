/**
 * An operation-log record is never lost (docs/fba-compatibility.md, "Logs"): when its insert fails, the record goes
 * to the app's fallback — by default through QStash to a consumer that inserts it once the database takes it; when
 * that fails too, the whole record is in the error log. The insert is made to fail the simple way: this file's database has no
 * `sys_opera_log` table (every other table is there, so the writes themselves succeed).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/app/app'
import { type OperaLogRecord, OperaLogRecordSchema } from '../../../src/domains/logs/opera-record'
import type { OperaLogFallback } from '../../../src/domains/logs/opera-write'
import type { roleRoutes } from '../../../src/domains/roles/routes.v1'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { deliverUntil } from '../../helpers/deliveries'
import { unique } from '../../helpers/fixtures'
import { harnessFor, send } from '../../helpers/harness'
import { fileBindings } from '../../helpers/isolation'
import { expectLogs } from '../../helpers/logs'

const tokens = seedAndSignIn(['admin'])

beforeAll(async () => {
  OPERA_LOG_DDL = (
    await fileDb().all<{ sql: string }>(
      sql`SELECT sql FROM sqlite_master WHERE tbl_name = 'sys_opera_log' AND sql IS NOT NULL ORDER BY type DESC`,
    )
  ).map((r) => r.sql)
  await fileDb().run(sql`DROP TABLE sys_opera_log`)
})

/** The table's and its indexes' DDL, to bring the table back (table first). */
let OPERA_LOG_DDL: string[] = []

/** An app whose fallback keeps what it is handed (or runs `handle`), and a typed client on it. */
function appWithFallback(handle?: OperaLogFallback) {
  const received: OperaLogRecord[] = []
  const fallback: OperaLogFallback = async (record, c) => {
    received.push(record)
    await handle?.(record, c)
  }
  const app = createApp({ operaLogFallback: fallback })
  const roles = (token = tokens.admin) => harnessFor(app).api<typeof roleRoutes>(token).sys.roles
  return { app, received, roles }
}

const traceOf = (res: { headers: Headers }) => res.headers.get('x-request-id') as string

describe('when the insert fails', () => {
  it('hands the whole record to the fallback (warning "operation log deferred"); the write itself stands', async () => {
    const logs = expectLogs({ msg: 'operation log deferred' })
    const { received, roles } = appWithFallback()
    const name = unique('deferred')
    const res = await roles().$post({ json: { name, status: 1 } })
    expect(res.status).toBe(200)
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({
      traceId: traceOf(res),
      username: 'admin',
      method: 'POST',
      title: 'Create a role',
      path: '/api/v1/sys/roles',
      args: { json: { name, status: 1 } },
      status: 1,
      code: '200',
      msg: 'Request success',
    })
    // What the fallback gets can travel as a message and come back as the same record.
    expect(OperaLogRecordSchema.parse(JSON.parse(JSON.stringify(received[0])))).toEqual(received[0])
    expect(logs.entries).toMatchObject([{ level: 'warn', trace_id: traceOf(res) }])
    expect(logs.entries[0]?.message).toMatch(/insert into "sys_opera_log"/)
    expect(logs.entries[0]?.cause).toMatch(/no such table/)
  })

  it('records a write the database refused too (503), with its masked arguments', async () => {
    const logs = expectLogs({ msg: 'operation log deferred' }, { msg: 'request failed', status: 503 })
    const { app, received } = appWithFallback()
    // The caller's snapshot cached, so the request gets past authentication to its body before the database fails.
    expect((await send('GET', '/api/v1/sys/users/me', { token: tokens.admin })).status).toBe(200)
    const res = await harnessFor(app).send('POST', '/api/v1/sys/users', {
      token: tokens.admin,
      json: { username: unique('down'), password: 'Passw0rd1', dept_id: 1, roles: [1] },
      overrides: { TURSO_DATABASE_URL: 'http://127.0.0.1:9/' },
    })
    expect(res.status).toBe(503)
    expect(received).toMatchObject([{ title: 'Create a user', code: '503', status: 0, traceId: traceOf(res) }])
    expect(received[0]?.args).toMatchObject({ json: { password: '[REDACTED]' } })
    expect(logs.entries.map((e) => e.msg).sort()).toEqual(['operation log deferred', 'request failed'])
  })

  it('answers without waiting for the record: the response is out before the insert has even failed', async () => {
    expectLogs({ msg: 'operation log deferred' })
    let entered = () => {}
    const fallbackEntered = new Promise<void>((resolve) => {
      entered = resolve
    })
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const { app, received } = appWithFallback(() => {
      entered()
      return held
    })
    const ctx = createExecutionContext()
    const request = app.request(
      '/api/v1/sys/roles',
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens.admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: unique('held'), status: 1 }),
      },
      { ...env, ...fileBindings },
      ctx,
    )
    const timeout = new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), 5000))
    const res = await Promise.race([request, timeout])
    if (res === 'timed out') throw new Error('the response waited for the operation log')
    expect(res.status).toBe(200)
    expect(received).toEqual([])
    // After the response: the insert fails, the fallback takes the record and works on while the runtime waits.
    await fallbackEntered
    expect(received).toHaveLength(1)
    release()
    await waitOnExecutionContext(ctx)
  })

  it('logs the whole record at error level when the fallback fails too', async () => {
    const logs = expectLogs({ msg: 'operation log deferred' }, { msg: 'operation log not written' })
    const { roles } = appWithFallback(async () => {
      throw new Error('outbox unavailable')
    })
    const name = unique('lost')
    const res = await roles().$post({ json: { name, status: 1, remark: 'kept in the log' } })
    expect(res.status).toBe(200)
    const error = logs.entries.find((e) => e.msg === 'operation log not written')
    expect(error).toMatchObject({
      level: 'error',
      record: {
        traceId: traceOf(res),
        title: 'Create a role',
        code: '200',
        args: { json: { name, status: 1, remark: 'kept in the log' } },
      },
    })
    expect(OperaLogRecordSchema.safeParse(error?.record).success).toBe(true)
  })

  it('by default travels through QStash and is inserted once the table is back, once', async () => {
    const logs = expectLogs(
      { msg: 'operation log deferred' },
      { msg: 'event consumer failed' },
      { msg: 'event consumer gave up: message in the DLQ' },
    )
    const res = await send('DELETE', '/api/v1/sys/roles', { token: tokens.admin, json: { pks: [999_998] } })
    expect(res.status).toBe(200)
    const traceId = traceOf(res)
    const rows = async () =>
      (await fileDb().all<{ n: number }>(sql`SELECT count(*) AS n FROM sys_opera_log WHERE trace_id = ${traceId}`))[0]
        ?.n ?? 0
    // Delivered while the table is still missing: the consumer fails and QStash retries it.
    await deliverUntil(async (delivered) => delivered.some((d) => d.status === 500))
    for (const statement of OPERA_LOG_DDL) await fileDb().run(sql.raw(statement))
    await deliverUntil(async () => (await rows()) === 1, { timeoutMs: 30_000 })
    expect(await rows()).toBe(1)
    expect(logs.entries.find((e) => e.msg === 'operation log deferred')).toBeDefined()
  })
})
