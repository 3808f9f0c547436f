/**
 * The events of the existing code (docs/events.md): each write emits its event in the same `db.batch` as its rows, so
 * after the API call the outbox holds exactly the write's events — and a write that fails holds none. Read straight
 * from `event_outbox` (rows newer than the last look). The consumers `users.end-sessions` and `notices.broadcast` are
 * delivered through the QStash emulator (the relay's pump); the round trips of an emitting write are counted at the
 * libSQL emulator.
 */
import { env } from 'cloudflare:workers'
import { and, eq, gt, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appCatalogue } from '../../../src/app/domains'
import { loadConfig } from '../../../src/core/config'
import { createLogger } from '../../../src/core/logging'
import type { deptRoutes } from '../../../src/domains/depts/routes.v1'
import { sysDept } from '../../../src/domains/depts/schema'
import { dispatchOutbox } from '../../../src/domains/events/dispatch'
import { emitQuery } from '../../../src/domains/events/outbox'
import { eventConsumption, eventOutbox } from '../../../src/domains/events/schema'
import type { menuRoutes } from '../../../src/domains/menus/routes.v1'
import { sysMenu } from '../../../src/domains/menus/schema'
import type { roleRoutes } from '../../../src/domains/roles/routes.v1'
import { sysRole } from '../../../src/domains/roles/schema'
import { userUpdated } from '../../../src/domains/users/events'
import { redisKeys } from '../../../src/infra/redis-keys'
import type { configRoutes } from '../../../src/plugins/config/routes.v1'
import { sysConfig } from '../../../src/plugins/config/schema'
import type { noticeRoutes } from '../../../src/plugins/notice/routes.v1'
import { sysNotice } from '../../../src/plugins/notice/schema'
import type { pluginAdminRoutes } from '../../../src/plugins/routes'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { type Delivery, deliverAll, deliverUntil } from '../../helpers/deliveries'
import { unique } from '../../helpers/fixtures'
import { api, failure, send } from '../../helpers/harness'
import { FILE_ID, fileBindings, fileRedis } from '../../helpers/isolation'
import { expectLogs } from '../../helpers/logs'
import { attemptLogin } from '../auth/helpers'
import { admin, asAdmin, createUser, meStatus } from '../users/helpers'

beforeAll(seedFileDatabase)
// What the writes published and no test pumped (their consumers' deliveries) is delivered before the file ends.
afterAll(() => deliverAll())

// ---- reading the outbox -------------------------------------------------------------------------------------------

let seen = 0

/** The events written since the last call, oldest first (name, aggregate, payload). */
async function newEvents() {
  const rows = await fileDb().select().from(eventOutbox).where(gt(eventOutbox.id, seen)).orderBy(eventOutbox.id)
  seen = rows.at(-1)?.id ?? seen
  return rows.map(({ name, aggregate, payload }) => ({ name, aggregate, payload }))
}

/** Starts a test with nothing unread in the outbox. */
const skipEarlierEvents = () => newEvents()

const roles = async () => api<typeof roleRoutes>(await admin()).sys.roles
const configs = async () => api<typeof configRoutes>(await admin()).sys.configs
const notices = async () => api<typeof noticeRoutes>(await admin()).sys.notices
const plugins = async () => api<typeof pluginAdminRoutes>(await admin()).sys.plugins
const depts = async () => api<typeof deptRoutes>(await admin()).sys.depts
const menus = async () => api<typeof menuRoutes>(await admin()).sys.menus

const idOf = async (table: typeof sysRole | typeof sysDept | typeof sysNotice, where: ReturnType<typeof eq>) =>
  (await fileDb().select({ id: table.id }).from(table).where(where))[0]?.id

describe('writes emit their events in the same batch', () => {
  it('users: created (with the id the database gave it), updated (what changed), deleted', async () => {
    await skipEarlierEvents()
    const { id, username } = await createUser({ roles: [1] })
    expect(await newEvents()).toEqual([
      {
        name: 'user.created',
        aggregate: `user:${id}`,
        payload: { user_id: id, username, dept_id: 1, role_ids: [1] },
      },
    ])

    const users = await asAdmin()
    const put = (json: { nickname: string; roles: number[] }) =>
      users.sys.users[':pk'].$put({ param: { pk: String(id) }, json: { username, dept_id: 1, ...json } })
    expect((await put({ nickname: 'Renamed', roles: [1] })).status).toBe(200)
    expect(await newEvents()).toEqual([
      { name: 'user.updated', aggregate: `user:${id}`, payload: { user_id: id, fields: ['nickname'] } },
    ])
    // The same values again: nothing changed, no event.
    expect((await put({ nickname: 'Renamed', roles: [1] })).status).toBe(200)
    expect(await newEvents()).toEqual([])

    const toggled = await users.sys.users[':pk'].permissions.$put({
      param: { pk: String(id) },
      query: { type: 'staff' },
    })
    expect(toggled.status).toBe(200)
    // A password reset names the field, never the value.
    const reset = await users.sys.users[':pk'].password.$put({
      param: { pk: String(id) },
      json: { password: 'An0therGood1' },
    })
    expect(reset.status).toBe(200)
    expect(await newEvents()).toEqual([
      { name: 'user.updated', aggregate: `user:${id}`, payload: { user_id: id, fields: ['is_staff'] } },
      { name: 'user.updated', aggregate: `user:${id}`, payload: { user_id: id, fields: ['password'] } },
    ])

    expect((await users.sys.users[':pk'].$delete({ param: { pk: String(id) } })).status).toBe(200)
    expect(await newEvents()).toEqual([
      { name: 'user.deleted', aggregate: `user:${id}`, payload: { user_id: id, username } },
    ])
  })

  it('roles: created, permissions replaced (menus, data scopes), deleted — only the ids that were there', async () => {
    await skipEarlierEvents()
    const name = unique('role')
    expect((await (await roles()).$post({ json: { name, status: 1 } })).status).toBe(200)
    const roleId = await idOf(sysRole, eq(sysRole.name, name))
    expect(roleId).toEqual(expect.any(Number))
    const pk = { param: { pk: String(roleId) } }
    expect((await (await roles())[':pk'].menus.$put({ ...pk, json: { menus: [1, 2, 2] } })).status).toBe(200)
    expect((await (await roles())[':pk'].scopes.$put({ ...pk, json: { scopes: [] } })).status).toBe(200)
    expect((await (await roles()).$delete({ json: { pks: [roleId ?? 0, 999_999] } })).status).toBe(200)
    expect(await newEvents()).toEqual([
      { name: 'role.created', aggregate: `role:${roleId}`, payload: { role_id: roleId, name } },
      { name: 'role.permissions_changed', aggregate: `role:${roleId}`, payload: { role_id: roleId, menus: [1, 2] } },
      { name: 'role.permissions_changed', aggregate: `role:${roleId}`, payload: { role_id: roleId, data_scopes: [] } },
      // 999999 was never there: no event for it.
      { name: 'role.deleted', aggregate: `role:${roleId}`, payload: { role_id: roleId } },
    ])
  })

  it('departments and menus: created with their new ids', async () => {
    await skipEarlierEvents()
    const name = unique('dept')
    expect((await (await depts()).$post({ json: { name, parent_id: 1, status: 1 } })).status).toBe(200)
    const deptId = await idOf(sysDept, eq(sysDept.name, name))
    const title = unique('menu')
    const menu = { title, name: title, parent_id: 1, sort: 0, type: 2, perms: 'x:y:z', status: 1, display: 1, cache: 1 }
    expect((await (await menus()).$post({ json: menu })).status).toBe(200)
    const [menuRow] = await fileDb().select({ id: sysMenu.id }).from(sysMenu).where(eq(sysMenu.title, title))
    expect(await newEvents()).toEqual([
      { name: 'dept.created', aggregate: `dept:${deptId}`, payload: { dept_id: deptId, name, parent_id: 1 } },
      {
        name: 'menu.created',
        aggregate: `menu:${menuRow?.id}`,
        payload: { menu_id: menuRow?.id, title, name: title, type: 2, parent_id: 1, perms: 'x:y:z' },
      },
    ])
  })

  it('plugins: the status switch emits plugin.toggled with the new flag', async () => {
    await skipEarlierEvents()
    const toggle = async () => (await (await plugins())[':plugin'].status.$put({ param: { plugin: 'notice' } })).status
    expect(await toggle()).toBe(200)
    expect(await toggle()).toBe(200)
    expect(await newEvents()).toEqual([
      { name: 'plugin.toggled', aggregate: 'plugin:notice', payload: { plugin: 'notice', enabled: false } },
      { name: 'plugin.toggled', aggregate: 'plugin:notice', payload: { plugin: 'notice', enabled: true } },
    ])
  })

  it('configs: config.changed names the keys that changed — never a value — and nothing for no change', async () => {
    await skipEarlierEvents()
    const newKey = () => unique('EVENT_KEY', '_').toUpperCase()
    const body = (key: string) => ({ name: 'event', type: 'TEST', key, value: 'v1', is_frontend: false, remark: null })
    const create = async (key: string) => {
      expect((await (await configs()).$post({ json: body(key) })).status).toBe(200)
      const [row] = await fileDb().select({ id: sysConfig.id }).from(sysConfig).where(eq(sysConfig.key, key))
      return row?.id ?? 0
    }
    const [a, b] = [newKey(), newKey()]
    const [idA, idB] = [await create(a), await create(b)]
    const renamed = `${a}_2`
    const put = async (id: number, json: ReturnType<typeof body>) =>
      (await (await configs())[':pk'].$put({ param: { pk: String(id) }, json })).status
    expect(await put(idA, body(renamed))).toBe(200)
    expect(await put(idA, body(renamed))).toBe(200) // the same again: no event
    // In bulk: only the row that changes is named.
    const bulk = [
      { id: idA, ...body(renamed) },
      { id: idB, ...body(b), value: 'v2' },
    ]
    expect((await (await configs()).$put({ json: bulk })).status).toBe(200)
    expect((await (await configs()).$delete({ json: [idA, 999_999] })).status).toBe(200)
    expect((await (await configs()).$delete({ json: [999_999] })).status).toBe(200)
    const events = await newEvents()
    expect(events).toEqual([
      { name: 'config.changed', aggregate: `config:${a}`, payload: { action: 'created', keys: [a] } },
      { name: 'config.changed', aggregate: `config:${b}`, payload: { action: 'created', keys: [b] } },
      { name: 'config.changed', aggregate: `config:${renamed}`, payload: { action: 'updated', keys: [a, renamed] } },
      { name: 'config.changed', aggregate: null, payload: { action: 'updated', keys: [b] } },
      // The keys were read inside the delete's batch, before the rows went; 999999 was never there.
      { name: 'config.changed', aggregate: null, payload: { action: 'deleted', keys: [renamed] } },
    ])
    expect(JSON.stringify(events)).not.toContain('v2')
  })

  it('notices: a notice written shown (status 1) is published; a hidden one, or a 404, is not', async () => {
    await skipEarlierEvents()
    const title = unique('notice')
    const body = (status: number) => ({ title, type: 1, status, content: 'text' })
    expect((await (await notices()).$post({ json: body(0) })).status).toBe(200)
    expect(await newEvents()).toEqual([])
    expect((await (await notices()).$post({ json: body(1) })).status).toBe(200)
    const [shown] = await fileDb()
      .select({ id: sysNotice.id })
      .from(sysNotice)
      .where(and(eq(sysNotice.title, title), eq(sysNotice.status, 1)))
    const missing = await failure((await notices())[':pk'].$put({ param: { pk: '999999' }, json: body(1) }))
    expect(missing.status).toBe(404)
    expect(await newEvents()).toEqual([
      {
        name: 'notice.published',
        aggregate: `notice:${shown?.id}`,
        payload: { notice_id: shown?.id, title, type: 1 },
      },
    ])
  })

  it('auth: a failed login emits login.failed with its login-log row (no password)', async () => {
    const { id, username } = await createUser()
    await skipEarlierEvents()
    const unknown = unique('nobody')
    expect((await attemptLogin(unknown, 'Wrong-passw0rd')).status).toBe(403)
    expect((await attemptLogin(username, 'Wrong-passw0rd')).status).toBe(403)
    const events = await newEvents()
    expect(events).toEqual([
      {
        name: 'login.failed',
        aggregate: null,
        payload: { username: unknown, user_id: null, reason: 'auth.invalid_credentials', ip: expect.any(String) },
      },
      {
        name: 'login.failed',
        aggregate: `user:${id}`,
        payload: { username, user_id: id, reason: 'auth.invalid_credentials', ip: expect.any(String) },
      },
    ])
    expect(JSON.stringify(events)).not.toContain('Wrong-passw0rd')
  })
})

describe('the registry', () => {
  it('holds every event the existing code emits, and its two consumers', () => {
    const registry = appCatalogue().events
    const emitted = [
      ...['user', 'role', 'menu', 'dept'].flatMap((kind) =>
        ['created', 'updated', 'deleted'].map((v) => `${kind}.${v}`),
      ),
      'role.permissions_changed',
      'plugin.toggled',
      'config.changed',
      'notice.published',
      'login.failed',
    ]
    // An event missing here would be marked sent by the dispatcher, with a warning, and reach no consumer.
    expect(emitted.filter((name) => !registry.event(name))).toEqual([])
    expect(registry.consumersOf('user.deleted').map((c) => c.name)).toEqual(['users.end-sessions'])
    expect(registry.consumersOf('notice.published').map((c) => c.name)).toEqual(['notices.broadcast'])
  })
})

describe('a write that fails leaves no event', () => {
  it('refused before its batch: a duplicate role name is a 409 and no role.created', async () => {
    const name = unique('dup')
    expect((await (await roles()).$post({ json: { name, status: 1 } })).status).toBe(200)
    await skipEarlierEvents()
    expect((await failure((await roles()).$post({ json: { name, status: 1 } }))).status).toBe(409)
    expect(await newEvents()).toEqual([])
  })

  it('refused inside its batch: a department name taken between the check and the write (409), nothing written', async () => {
    const name = unique('raced')
    // What a concurrent request does between this one's name check and its batch: it takes the name first. The
    // trigger inserts that department inside the batch, so the batch's own insert breaks the unique name.
    await fileDb().run(
      sql.raw(`create trigger uses_test_race before insert on sys_dept when new.name = '${name}' and new.leader is null
        begin insert into sys_dept (name, sort, status, del_flag, leader, created_time) values (new.name, 0, 1, 0, 'rival', 0); end`),
    )
    try {
      await skipEarlierEvents()
      const res = await failure((await depts()).$post({ json: { name, parent_id: 1, status: 1 } }))
      expect(res.status).toBe(409)
      expect(await newEvents()).toEqual([])
      // All or nothing: the rival's row went with the batch too.
      expect(await fileDb().select().from(sysDept).where(eq(sysDept.name, name))).toEqual([])
    } finally {
      await fileDb().run(sql`drop trigger uses_test_race`)
    }
  })

  it('refused after its event was written: the event goes with the rolled-back batch', async () => {
    const name = unique('guarded')
    expect((await (await roles()).$post({ json: { name, status: 1 } })).status).toBe(200)
    const roleId = await idOf(sysRole, eq(sysRole.name, name))
    // The role's own delete is the batch's last statement, after its role.deleted row: the database refuses it.
    await fileDb().run(
      sql.raw(`create trigger uses_test_guard before delete on sys_role when old.name = '${name}'
        begin select raise(abort, 'role is guarded'); end`),
    )
    try {
      await skipEarlierEvents()
      const logs = expectLogs({ msg: 'request failed', status: 500 })
      expect((await (await roles()).$delete({ json: { pks: [roleId ?? 0] } })).status).toBe(500)
      expect(logs.lines).toHaveLength(1)
      expect(await newEvents()).toEqual([])
      expect(await idOf(sysRole, eq(sysRole.id, roleId ?? 0))).toBe(roleId)
    } finally {
      await fileDb().run(sql`drop trigger uses_test_guard`)
    }
  })
})

// ---- consumers ----------------------------------------------------------------------------------------------------

const keys = redisKeys({ REDIS_KEY_PREFIX: 'stratum' })

/** What the app keeps in Redis for a signed-in user: its sessions and its cached snapshot. */
async function signedInState(userId: number) {
  const redis = fileRedis()
  const sids = await redis.smembers(keys.userSessions(userId))
  const sessions = await Promise.all(sids.map(async (sid) => [sid, await redis.get(keys.session(sid))] as const))
  return { sids, sessions, snapshot: await redis.get(keys.authUser(userId)) }
}

/** Puts a saved state back: what is left when the delete's own cleanup could not reach Redis. */
async function restore(userId: number, state: Awaited<ReturnType<typeof signedInState>>) {
  const redis = fileRedis()
  for (const [sid, session] of state.sessions) {
    await redis.set(keys.session(sid), session, { ex: 600 })
    await redis.sadd(keys.userSessions(userId), sid)
    await redis.zadd(keys.allSessions(), { score: Date.now() + 600_000, member: sid })
  }
  if (state.snapshot) await redis.set(keys.authUser(userId), state.snapshot, { ex: 600 })
}

/** The event deliveries among `delivered` for `consumer`. */
const deliveriesTo = (delivered: readonly Delivery[], consumer: string, eventId: string) =>
  delivered.filter((d) => {
    const body = JSON.parse(d.body) as { consumer?: string; event_id?: string }
    return body.consumer === consumer && body.event_id === eventId
  })

async function outboxRow(name: string, aggregate: string) {
  const [row] = await fileDb()
    .select()
    .from(eventOutbox)
    .where(and(eq(eventOutbox.name, name), eq(eventOutbox.aggregate, aggregate)))
  if (!row) throw new Error(`no ${name} event for ${aggregate}`)
  return row
}

describe('user.deleted → users.end-sessions', () => {
  it("ends the deleted user's sessions when delivered, and applies once when delivered twice", async () => {
    const { id, username, password } = await createUser()
    const { accessToken } = await login(username, password)
    expect(await meStatus(accessToken)).toBe(200)
    const state = await signedInState(id)
    expect(state.sids).toHaveLength(1)

    expect((await (await asAdmin()).sys.users[':pk'].$delete({ param: { pk: String(id) } })).status).toBe(200)
    expect(await meStatus(accessToken)).toBe(401) // the delete's own cleanup
    // Redis missed that cleanup (it failed right after the delete's batch): the deleted user is still signed in.
    await restore(id, state)
    expect(await meStatus(accessToken)).toBe(200)

    const event = await outboxRow('user.deleted', `user:${id}`)
    expect(event.status).toBe('SENT') // published right after the delete's response
    const delivered = await deliverUntil((d) => deliveriesTo(d, 'users.end-sessions', event.eventId).length > 0)
    const [first] = deliveriesTo(delivered, 'users.end-sessions', event.eventId)
    expect(first?.status).toBe(200)
    expect(JSON.parse(first?.answer ?? '{}')).toMatchObject({ data: { state: 'APPLIED', ran: true } })
    expect(await meStatus(accessToken)).toBe(401)
    expect(await fileRedis().exists(keys.authUser(id), keys.userSessions(id))).toBe(0)

    // QStash delivers at least once: the same signed request again is acknowledged without running.
    await restore(id, state)
    const again = await send('POST', '/api/v1/qstash/deliveries', {
      body: first?.body,
      headers: {
        'Content-Type': 'application/json',
        'Upstash-Signature': first?.headers.get('upstash-signature') ?? '',
        'Upstash-Retried': '1',
      },
    })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ data: { event_id: event.eventId, state: 'DUPLICATE', ran: false } })
    expect(await meStatus(accessToken)).toBe(200) // not applied a second time
    const records = await fileDb().select().from(eventConsumption).where(eq(eventConsumption.eventId, event.eventId))
    expect(records.map((r) => r.consumer)).toEqual(['users.end-sessions'])
    await fileRedis().del(keys.authUser(id), keys.userSessions(id), ...state.sids.map(keys.session))
  })
})

describe('notice.published → notices.broadcast', () => {
  it('hands the published notice to the broadcast point (logged at info until realtime exists)', async () => {
    const title = unique('broadcast')
    expect((await (await notices()).$post({ json: { title, type: 0, status: 1, content: 'hello' } })).status).toBe(200)
    const [notice] = await fileDb().select({ id: sysNotice.id }).from(sysNotice).where(eq(sysNotice.title, title))
    const event = await outboxRow('notice.published', `notice:${notice?.id}`)
    // At info level for the deliveries; every info line of theirs is collected, the broadcast's among them.
    const logs = expectLogs((_, entry) => entry?.level === 'info')
    const delivered = await deliverUntil((d) => deliveriesTo(d, 'notices.broadcast', event.eventId).length > 0, {
      overrides: { LOG_LEVEL: 'info' },
    })
    expect(deliveriesTo(delivered, 'notices.broadcast', event.eventId).map((d) => d.status)).toEqual([200])
    expect(logs.entries.filter((e) => e.msg === 'notice published')).toEqual([
      expect.objectContaining({ notice_id: notice?.id, title, type: 0, consumer: 'notices.broadcast' }),
    ])
  })
})

// ---- round trips --------------------------------------------------------------------------------------------------

const bindings = env as unknown as { TEST_LIBSQL_URL: string }

async function dbCounts() {
  const stats = await fetch(`${bindings.TEST_LIBSQL_URL}/_emulator/stats`).then(
    (r) => r.json() as Promise<{ databases: Record<string, { pipelines: number; statements: number }> }>,
  )
  const db = stats.databases[`t_${FILE_ID}`]
  return { pipelines: db?.pipelines ?? 0, statements: db?.statements ?? 0 }
}

async function counted(work: () => Promise<unknown>) {
  const before = await dbCounts()
  await work()
  const after = await dbCounts()
  return { pipelines: after.pipelines - before.pipelines, statements: after.statements - before.statements }
}

describe('round trips', () => {
  it('a user update that emits makes the same database round trips as one that emits nothing', async () => {
    // The operation log (a write after the response) is left out: only the event path is counted.
    const overrides = { OPERA_LOG_EXCLUDE: '/api/v1/sys/users' }
    const { id, username } = await createUser()
    const users = await asAdmin({ overrides })
    const put = (nickname: string) => async () => {
      const res = await users.sys.users[':pk'].$put({
        param: { pk: String(id) },
        json: { username, nickname, dept_id: 1, roles: [1] },
      })
      expect(res.status).toBe(200)
    }
    await put('first')()
    await skipEarlierEvents()

    // The same values: no event, nothing to publish. Three pipelines — the user with its roles, the references, the
    // write's batch — as before events existed (measured on the tree before this change: 3).
    const quiet = await counted(put('first'))
    expect(await newEvents()).toEqual([])
    expect(quiet.pipelines).toBe(3)

    // A change: `user.updated` is one more statement of the write's batch; the harness also waits for the publish the
    // app runs after the response (`waitUntil`).
    const emitting = await counted(put('second'))
    expect(await newEvents()).toEqual([
      { name: 'user.updated', aggregate: `user:${id}`, payload: { user_id: id, fields: ['nickname'] } },
    ])
    expect((await outboxRow('user.updated', `user:${id}`)).status).toBe('SENT')

    // The publish alone, as the app runs it after a response: one pending user.updated, dispatched.
    const db = fileDb()
    await emitQuery(db, userUpdated, { user_id: id, fields: ['nickname'] }, `user:${id}`)
    const dispatch = await counted(() =>
      dispatchOutbox({
        db,
        qstash: undefined, // user.updated has no consumer: nothing goes to QStash
        config: loadConfig({ ...env, ...fileBindings }),
        registry: appCatalogue().events,
        logger: createLogger({ test: 'uses' }, 'warn'),
      }),
    )
    expect(dispatch.pipelines).toBe(2) // claim the row, mark it SENT

    // Everything the emitting update cost beyond the quiet one is the publish after its response.
    expect(emitting.pipelines).toBe(quiet.pipelines + dispatch.pipelines)
  })
})
