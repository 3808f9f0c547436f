/**
 * The operation log (docs/fba-compatibility.md, "Logs"): every API write is recorded after its response with fba's
 * fields — title from the route's summary, the real status as the code, secrets masked — while reads, refused tokens
 * and excluded paths are not; `/logs/opera` lists, filters, deletes and clears with their permissions; and the record
 * costs the response no database round trip (counted at the emulator).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/core/config'
import type { authRoutes } from '../../../src/domains/auth/routes.v1'
import type { logRoutes } from '../../../src/domains/logs/routes.v1'
import { sysOperaLog } from '../../../src/domains/logs/schema'
import type { roleRoutes } from '../../../src/domains/roles/routes.v1'
import { sysRole } from '../../../src/domains/roles/schema'
import type { userRoutes } from '../../../src/domains/users/routes.v1'
import { app } from '../../helpers/app'
import { login, seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { DATETIME, unique } from '../../helpers/fixtures'
import { answer, api, type ClientOptions, failure, send } from '../../helpers/harness'
import { FILE_ID, fileBindings } from '../../helpers/isolation'
import { signedInWith } from '../../helpers/permissions'

const LOG_KEYS = [
  'id',
  'trace_id',
  'username',
  'method',
  'title',
  'path',
  'ip',
  'country',
  'region',
  'city',
  'user_agent',
  'os',
  'browser',
  'device',
  'args',
  'status',
  'code',
  'msg',
  'cost_time',
  'opera_time',
  'created_time',
].sort()

const CHROME_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'

const tokens = seedAndSignIn(['admin'])

const from = (ip: string): ClientOptions => ({ headers: { 'CF-Connecting-IP': ip, 'User-Agent': CHROME_ON_WINDOWS } })
const roles = (options: ClientOptions = {}, token = tokens.admin) => api<typeof roleRoutes>(token, options).sys.roles
const logs = (token = tokens.admin) => api<typeof logRoutes>(token).logs.opera
type ListQuery = Parameters<ReturnType<typeof logs>['$get']>[0]['query']
const list = (query: ListQuery = {}, token = tokens.admin) => logs(token).$get({ query })

/** The rows a request left, by its trace id (the response's `X-Request-ID`). */
const rowsOf = (traceId: string) => fileDb().select().from(sysOperaLog).where(eq(sysOperaLog.traceId, traceId))

/** The row a request left, read back through `GET /logs/opera`. */
async function listedRow(traceId: string, username = 'admin') {
  const { data } = await answer(list({ username, size: '100' }))
  const row = data.items.find((r) => r.trace_id === traceId)
  expect(row, `a row for ${traceId}`).toBeDefined()
  return row!
}

const traceOf = (res: { headers: Headers }) => res.headers.get('x-request-id') as string

const roleId = async (name: string) =>
  (await fileDb().select({ id: sysRole.id }).from(sysRole).where(eq(sysRole.name, name)))[0]!.id

describe('capture', () => {
  it('records a created and an updated role with every field: title, real code, msg, args, client, trace id', async () => {
    const name = unique('auditors')
    const created = await roles(from('198.51.100.20')).$post({ json: { name, status: 1 } })
    expect(created.status).toBe(200)
    const row = await listedRow(traceOf(created))
    expect(Object.keys(row).sort()).toEqual(LOG_KEYS)
    expect(row).toMatchObject({
      username: 'admin',
      method: 'POST',
      title: 'Create a role',
      path: '/api/v1/sys/roles',
      ip: '198.51.100.20',
      user_agent: CHROME_ON_WINDOWS,
      os: 'Windows 10',
      browser: 'Chrome 120',
      device: 'PC',
      args: { json: { name, status: 1 } },
      status: 1,
      code: '200',
      msg: 'Request success',
    })
    expect(row.trace_id).toMatch(/^[0-9a-f]{32}$/)
    expect(row.cost_time).toBeGreaterThanOrEqual(0)
    expect(Math.round(row.cost_time * 1000) / 1000).toBe(row.cost_time)
    expect(row.opera_time).toMatch(DATETIME)
    expect(row.created_time).toMatch(DATETIME)

    const id = await roleId(name)
    const updated = await roles(from('198.51.100.21'))[':pk'].$put({
      param: { pk: String(id) },
      json: { name, status: 0, remark: 'paused' },
    })
    expect(updated.status).toBe(200)
    expect(await listedRow(traceOf(updated))).toMatchObject({
      method: 'PUT',
      title: 'Update a role; takes effect for its users on their next request',
      path: `/api/v1/sys/roles/${id}`,
      args: { path_params: { pk: String(id) }, json: { name, status: 0, remark: 'paused' } },
      status: 1,
      code: '200',
    })
  })

  it('records failed writes with their real status as the code, status 0 and the answer’s msg', async () => {
    const taken = await roles().$post({ json: { name: '测试', status: 1 } })
    expect(await listedRow(traceOf(taken))).toMatchObject({ code: '409', status: 0, msg: 'Role already exists' })

    const invalid = await send('POST', '/api/v1/sys/roles', { token: tokens.admin, json: { name: '', status: 7 } })
    const { body } = await failure(invalid.clone())
    expect(invalid.status).toBe(422)
    expect(await listedRow(traceOf(invalid))).toMatchObject({
      title: 'Create a role',
      code: '422',
      status: 0,
      msg: body.msg,
      args: { json: { name: '', status: 7 } },
    })

    const missing = await roles()[':pk'].$put({ param: { pk: '999999' }, json: { name: unique('gone'), status: 1 } })
    expect(await listedRow(traceOf(missing))).toMatchObject({
      code: '404',
      status: 0,
      path: '/api/v1/sys/roles/999999',
    })
  })

  it('keeps a body that is not an object as `data`, and one that is not JSON only as its size', async () => {
    const array = await send('DELETE', '/api/v1/sys/roles', { token: tokens.admin, json: [1, 2] })
    expect(array.status).toBe(422)
    expect((await rowsOf(traceOf(array)))[0]?.args).toEqual({ data: [1, 2] })

    const text = '{"name": "x", "password": "hunter2"'
    const broken = await send('POST', '/api/v1/sys/roles', {
      token: tokens.admin,
      body: text,
      headers: { 'Content-Type': 'application/json' },
    })
    expect(broken.status).toBe(422)
    expect((await rowsOf(traceOf(broken)))[0]).toMatchObject({
      code: '422',
      args: { data: { _unparsed: true, _size: text.length } },
    })
  })

  it('records a 403 (without the body the route never read), the username of whoever was refused', async () => {
    const test = await login('test')
    const refused = await roles({}, test.accessToken).$post({ json: { name: unique('nope'), status: 1 } })
    expect(refused.status).toBe(403)
    expect(await listedRow(traceOf(refused), 'test')).toMatchObject({
      username: 'test',
      title: 'Create a role',
      code: '403',
      status: 0,
      msg: 'The user is not allowed to perform admin operations, please contact the administrator',
      args: null,
    })
  })

  it('masks passwords, tokens and keys at any depth, in the body and the query', async () => {
    const username = unique('masked')
    const res = await send('POST', '/api/v1/sys/users?token=abc&note=kept', {
      token: tokens.admin,
      json: {
        username,
        password: 'Passw0rd1',
        dept_id: 1,
        roles: [1],
        profile: { Access_Token: 'tok', devices: [{ api_key: 'k-1', name: 'laptop' }] },
      },
    })
    expect(res.status).toBe(200)
    const row = await listedRow(traceOf(res))
    expect(row.args).toEqual({
      query_params: { token: '[REDACTED]', note: 'kept' },
      json: {
        username,
        password: '[REDACTED]',
        dept_id: 1,
        roles: [1],
        profile: { Access_Token: '[REDACTED]', devices: [{ api_key: '[REDACTED]', name: 'laptop' }] },
      },
    })
    expect(JSON.stringify(await rowsOf(traceOf(res)))).not.toMatch(/Passw0rd1|tok"|k-1/)

    // A password change carries three secrets; the user it belongs to is the one signed in.
    const me = await login(username, 'Passw0rd1')
    const changed = await api<typeof userRoutes>(me.accessToken).sys.users.me.password.$put({
      json: { old_password: 'Passw0rd1', new_password: 'Passw0rd2', confirm_password: 'Passw0rd2' },
    })
    expect(changed.status).toBe(200)
    expect(await listedRow(traceOf(changed), username)).toMatchObject({
      username,
      args: {
        json: { old_password: '[REDACTED]', new_password: '[REDACTED]', confirm_password: '[REDACTED]' },
      },
    })
  })

  it('the redacted keys are configurable (OPERA_LOG_REDACT_KEYS)', async () => {
    const name = unique('remarked')
    const res = await roles({ overrides: { OPERA_LOG_REDACT_KEYS: 'remark' } }).$post({
      json: { name, status: 1, remark: 'private' },
    })
    expect((await rowsOf(traceOf(res)))[0]?.args).toEqual({ json: { name, status: 1, remark: '[REDACTED]' } })
  })

  it('does not record reads, refused tokens, the login routes or unmatched paths', async () => {
    const traced = (id: string) => ({ 'X-Request-ID': `opera-${id}-${FILE_ID}` })
    await api<typeof roleRoutes>(tokens.admin, { headers: traced('get') }).sys.roles.all.$get()
    await api<typeof roleRoutes>(undefined, { headers: traced('anon') }).sys.roles.$post({
      json: { name: 'x', status: 1 },
    })
    await api<typeof authRoutes>(undefined, { headers: traced('login') }).auth.login.$post({
      json: { username: 'admin', password: '123456' },
    })
    await api<typeof authRoutes>(undefined, { headers: traced('wrong') }).auth.login.$post({
      json: { username: 'admin', password: 'wrong' },
    })
    await send('POST', '/api/v1/no/such/route', { token: tokens.admin, json: {}, headers: traced('miss') })
    for (const id of ['get', 'anon', 'login', 'wrong', 'miss']) {
      expect(await rowsOf(`opera-${id}-${FILE_ID}`), id).toEqual([])
    }
  })

  it('skips what OPERA_LOG_EXCLUDE names: `METHOD /path` or `/path`, each with everything below it', async () => {
    const name = unique('excluded')
    const overrides = { OPERA_LOG_EXCLUDE: 'DELETE /api/v1/sys/roles,/api/v1/sys/users' }
    const create = await roles({ overrides }).$post({ json: { name, status: 1 } })
    const remove = await roles({ overrides }).$delete({ json: { pks: [await roleId(name)] } })
    const user = await send('PUT', '/api/v1/sys/users/2/permissions?type=multi_login', {
      token: tokens.admin,
      overrides,
    })
    expect([create.status, remove.status, user.status]).toEqual([200, 200, 200])
    expect(await rowsOf(traceOf(create))).toHaveLength(1)
    expect(await rowsOf(traceOf(remove))).toEqual([])
    expect(await rowsOf(traceOf(user))).toEqual([])

    // A version given by header is matched as the path it was routed to.
    const headerVersioned = await send('DELETE', '/api/sys/roles', {
      token: tokens.admin,
      json: { pks: [999_999] },
      headers: { 'X-API-Version': 'v1' },
      overrides,
    })
    expect(headerVersioned.status).toBe(200)
    expect(await rowsOf(traceOf(headerVersioned))).toEqual([])

    // An entry that is neither fails at start, like any bad config value.
    expect(() => loadConfig({ OPERA_LOG_EXCLUDE: 'POST /api/v1/sys/roles,sys/users' })).toThrow(
      /OPERA_LOG_EXCLUDE\.1: each entry is `METHOD \/path` or `\/path`/,
    )
  })
})

describe('GET /logs/opera', () => {
  it('filters by username and ip (contains) and status; newest first', async () => {
    const holder = await signedInWith(['sys:role:add'])
    const first = await roles(from('203.0.113.31'), holder).$post({ json: { name: unique('f1'), status: 1 } })
    const second = await roles(from('203.0.113.32'), holder).$post({ json: { name: '测试', status: 1 } })
    const [row] = await rowsOf(traceOf(first))
    const username = row!.username!
    expect(username).toMatch(/^holder_/)

    const byUser = await answer(list({ username: username.slice(0, -2) }))
    expect(byUser.data.items.map((r) => r.trace_id)).toEqual([traceOf(second), traceOf(first)])
    const failed = await answer(list({ username, status: '0' }))
    expect(failed.data.items.map((r) => r.trace_id)).toEqual([traceOf(second)])
    const byIp = await answer(list({ ip: '203.0.113.3' }))
    expect(byIp.data.total).toBe(2)
    const paged = await answer(list({ ip: '203.0.113.3', size: '1', page: '2' }))
    expect(paged.data).toMatchObject({ total: 2, page: 2, size: 1, total_pages: 2 })
    expect(paged.data.items.map((r) => r.trace_id)).toEqual([traceOf(first)])
  })

  it('needs log:opera:list (403 for the test user and for holders of only del/clear); 401 without a token', async () => {
    const test = await login('test')
    const denied = await failure(list({}, test.accessToken))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect((await list({}, await signedInWith(['log:opera:list']))).status).toBe(200)
    expect((await list({}, await signedInWith(['log:opera:del', 'log:opera:clear']))).status).toBe(403)
    expect((await api<typeof logRoutes>().logs.opera.$get({ query: {} })).status).toBe(401)
    const bad = await failure(list({ status: '5' }))
    expect(bad.status).toBe(422)
    expect(bad.errors[0]?.loc).toEqual(['query', 'status'])
  })
})

describe('DELETE /logs/opera and /logs/opera/all', () => {
  it('deletes the given ids (ids already gone are fine), with log:opera:del only', async () => {
    const a = await roles().$post({ json: { name: unique('del-a'), status: 1 } })
    const b = await roles().$post({ json: { name: unique('del-b'), status: 1 } })
    const [rowA] = await rowsOf(traceOf(a))
    const [rowB] = await rowsOf(traceOf(b))

    const clearer = await signedInWith(['log:opera:clear'])
    expect((await failure(logs(clearer).$delete({ json: { pks: [rowA!.id] } }))).status).toBe(403)
    expect(await rowsOf(traceOf(a))).toHaveLength(1)

    const deleter = await signedInWith(['log:opera:del'])
    const deleted = await logs(deleter).$delete({ json: { pks: [rowA!.id, 999_999] } })
    expect(deleted.status).toBe(200)
    expect(await rowsOf(traceOf(a))).toEqual([])
    expect(await rowsOf(traceOf(b))).toEqual([rowB])
    // The delete is itself an operation, recorded after it ran.
    expect(await rowsOf(traceOf(deleted))).toMatchObject([
      { title: 'Delete operation logs by id', args: { json: { pks: [rowA!.id, 999_999] } } },
    ])
    for (const json of [{}, { pks: [] }, { pks: ['a'] }]) {
      const { status, errors } = await failure(send('DELETE', '/api/v1/logs/opera', { token: tokens.admin, json }))
      expect(status, JSON.stringify(json)).toBe(422)
      expect(errors[0]?.loc.slice(0, 2)).toEqual(['body', 'pks'])
    }
  })

  it('clears every row with log:opera:clear only; the clearing is the one record left', async () => {
    const deleter = await signedInWith(['log:opera:del'])
    expect((await logs(deleter).all.$delete()).status).toBe(403)
    expect((await api<typeof logRoutes>().logs.opera.all.$delete()).status).toBe(401)
    expect((await fileDb().select().from(sysOperaLog)).length).toBeGreaterThan(1)

    const clearer = await signedInWith(['log:opera:clear'])
    const cleared = await logs(clearer).all.$delete()
    expect(cleared.status).toBe(200)
    expect(await fileDb().select().from(sysOperaLog)).toMatchObject([
      { traceId: traceOf(cleared), title: 'Delete every operation log', code: '200', args: null },
    ])
  })
})

describe('round trips', () => {
  const bindings = env as unknown as { TEST_LIBSQL_URL: string }

  async function dbCounts(): Promise<{ pipelines: number; statements: number }> {
    const stats = (await fetch(`${bindings.TEST_LIBSQL_URL}/_emulator/stats`).then((r) => r.json())) as {
      databases: Record<string, { pipelines: number; statements: number }>
    }
    return stats.databases[`t_${FILE_ID}`] ?? { pipelines: 0, statements: 0 }
  }

  /**
   * One role update through the app with an execution context that notes what is handed to `waitUntil` and whether
   * it was still running when the response was in hand; then waits for it all, as the runtime would.
   */
  async function update(id: number, overrides: Record<string, string>) {
    const ctx = createExecutionContext()
    const handed: { done: boolean }[] = []
    // The runtime's own context, with `waitUntil` noting each piece of work and when it ends.
    const observed: ExecutionContext = Object.assign(Object.create(ctx) as ExecutionContext, {
      waitUntil(work: Promise<unknown>) {
        const entry = { done: false }
        handed.push(entry)
        ctx.waitUntil(work.finally(() => (entry.done = true)))
      },
    })
    const before = await dbCounts()
    const res = await app.request(
      `/api/v1/sys/roles/${id}`,
      {
        method: 'PUT',
        headers: { Authorization: `Bearer ${tokens.admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: `budget-${FILE_ID}`, status: 1 }),
      },
      { ...env, ...fileBindings, ...overrides },
      observed,
    )
    const pendingAtResponse = handed.filter((h) => !h.done).length
    await waitOnExecutionContext(ctx)
    const after = await dbCounts()
    expect(res.status).toBe(200)
    return {
      trace: traceOf(res),
      handed: handed.length,
      pendingAtResponse,
      pipelines: after.pipelines - before.pipelines,
      statements: after.statements - before.statements,
    }
  }

  it('the record adds exactly one insert, made after the response (in waitUntil), and nothing before it', async () => {
    const name = `budget-${FILE_ID}`
    await roles().$post({ json: { name, status: 1 } })
    const id = await roleId(name)
    await update(id, {}) // warm: the caller's snapshot is cached

    const off = await update(id, { OPERA_LOG_EXCLUDE: '/api/v1/sys/roles' })
    const on = await update(id, {})
    expect(await rowsOf(off.trace)).toEqual([])
    expect(await rowsOf(on.trace)).toHaveLength(1)
    // One pipeline with one statement more, all told…
    expect(on.pipelines - off.pipelines).toBe(1)
    expect(on.statements - off.statements).toBe(1)
    // …handed to waitUntil and still running when the response was returned: not on the response path.
    expect(on.handed - off.handed).toBe(1)
    expect(on.pendingAtResponse - off.pendingAtResponse).toBe(1)
  })
})
