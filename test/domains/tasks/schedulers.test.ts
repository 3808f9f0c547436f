/**
 * `/schedulers*` (docs/fba-compatibility.md, "Tasks"): the seeded schedules, shapes, paging and filters, fba's rules
 * (409 name, 400 crontab, 409 both expiries) and Stratum's (400 interval, 422 task and args), toggle, delete, run now,
 * and permissions (`sys:task:view` to read; `sys:task:add|edit|del|exec` to write).
 */
import type { z } from '@hono/zod-openapi'
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { schedulerRoutes } from '../../../src/domains/tasks/routes.schedulers'
import type { SchedulerBodySchema } from '../../../src/domains/tasks/scheduler-dto'
import { taskResult, taskScheduler } from '../../../src/domains/tasks/schema'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { anyDatetime, unique } from '../../helpers/fixtures'
import { answer, api, failure, send } from '../../helpers/harness'
import { signedInWith } from '../../helpers/permissions'
import { UNREACHABLE } from './direct-submit'

const SCHEDULER_KEYS = [
  'id',
  'name',
  'task',
  'args',
  'kwargs',
  'queue',
  'exchange',
  'routing_key',
  'start_time',
  'expire_time',
  'expire_seconds',
  'type',
  'interval_every',
  'interval_period',
  'crontab',
  'one_off',
  'enabled',
  'total_run_count',
  'last_run_time',
  'remark',
  'created_time',
  'updated_time',
].sort()

type Body = z.input<typeof SchedulerBodySchema>

const tokens = seedAndSignIn()

// Submissions go nowhere: nothing listens at UNREACHABLE's address, and the task is not what these tests look at.
const schedulers = (token = tokens.admin) => api<typeof schedulerRoutes>(token, { overrides: UNREACHABLE }).schedulers
type ListQuery = Parameters<ReturnType<typeof schedulers>['$get']>[0]['query']
const pk = (id: number | string) => ({ param: { pk: String(id) } })

const all = (token = tokens.admin) => schedulers(token).all.$get()
const list = (query: ListQuery = {}, token = tokens.admin) => schedulers(token).$get({ query })
const detail = (id: number | string, token = tokens.admin) => schedulers(token)[':pk'].$get(pk(id))
const create = (json: Body, token = tokens.admin) => schedulers(token).$post({ json })
const update = (id: number, json: Body, token = tokens.admin) => schedulers(token)[':pk'].$put({ ...pk(id), json })
const toggle = (id: number, token = tokens.admin) => schedulers(token)[':pk'].status.$put(pk(id))
const remove = (id: number, token = tokens.admin) => schedulers(token)[':pk'].$delete(pk(id))
const execute = (id: number, token = tokens.admin) => schedulers(token)[':pk'].execute.$post(pk(id))

/** A valid crontab body for the demo params task; `fields` override. */
const body = (fields: Partial<Body> = {}): Body => ({
  name: unique('schedule'),
  task: 'task_demo_params',
  args: '["你好，"]',
  kwargs: '{"world":"世界"}',
  type: 1,
  crontab: '0 0 15 * *',
  ...fields,
})

const idOf = async (name: string) => {
  const [row] = await fileDb().select().from(taskScheduler).where(eq(taskScheduler.name, name))
  if (!row) throw new Error(`no schedule ${name}`)
  return row.id
}

/** Creates a schedule through the API; its id. */
async function created(fields: Partial<Body> = {}): Promise<number> {
  const json = body(fields)
  const { status, body: envelope } = await answer(create(json))
  expect(status, JSON.stringify(envelope)).toBe(200)
  return idOf(json.name)
}

describe('seed', () => {
  it("holds fba's built-in schedules: the log clean-ups on, the demos off", async () => {
    const { status, data } = await answer(all())
    expect(status).toBe(200)
    const byName = new Map(data.map((s) => [s.name, s]))
    expect(byName.get('清理登录日志')).toMatchObject({
      task: 'delete_db_login_log',
      type: 1,
      crontab: '0 0 15 * *',
      enabled: true,
      args: null,
      kwargs: null,
    })
    expect(byName.get('清理操作日志')).toMatchObject({
      task: 'delete_db_opera_log',
      crontab: '0 0 * * 6',
      enabled: true,
    })
    expect(byName.get('测试同步任务')).toMatchObject({
      task: 'task_demo',
      type: 0,
      interval_every: 60,
      interval_period: 'seconds',
      enabled: false,
    })
    expect(byName.get('测试异步任务')).toMatchObject({ task: 'task_demo_async', crontab: '1 * * * *', enabled: false })
    expect(byName.get('测试传参任务')).toMatchObject({
      task: 'task_demo_params',
      crontab: '1 * * * *',
      args: '["你好，"]',
      kwargs: '{"world":"世界"}',
      enabled: false,
    })
  })
})

describe('GET /schedulers/all, /schedulers/{pk}', () => {
  it("answers every field, args as JSON text, datetimes in fba's format", async () => {
    const id = await created({
      start_time: '2026-06-01T08:00:00.000+08:00',
      expire_time: '2027-01-01 00:00:00',
      queue: 'default',
      remark: 'shape',
    })
    const { status, data } = await answer(detail(id))
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual(SCHEDULER_KEYS)
    expect(data).toEqual({
      id,
      name: expect.any(String),
      task: 'task_demo_params',
      args: '["你好，"]',
      kwargs: '{"world":"世界"}',
      queue: 'default',
      exchange: null,
      routing_key: null,
      start_time: '2026-06-01 00:00:00',
      expire_time: '2027-01-01 00:00:00',
      expire_seconds: null,
      type: 1,
      interval_every: null,
      interval_period: null,
      crontab: '0 0 15 * *',
      one_off: false,
      enabled: true,
      total_run_count: 0,
      last_run_time: null,
      remark: 'shape',
      created_time: anyDatetime(),
      updated_time: null,
    })
    const listed = await answer(all())
    expect(listed.data.find((s) => s.id === id)).toEqual(data)
  })

  it('404 for an unknown schedule; 422 for a malformed id', async () => {
    const missing = await failure(detail(999_999))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Task schedule not found')
    expect((await failure(detail('x'))).status).toBe(422)
  })
})

describe('GET /schedulers', () => {
  it('pages oldest first, filtered by name (contains) and type', async () => {
    const tag = unique('paged')
    const ids = [
      await created({ name: `${tag}-a` }),
      await created({ name: `${tag}-b`, type: 0, interval_every: 5, interval_period: 'minutes' }),
      await created({ name: `${tag}-c` }),
    ]
    const { status, data } = await answer(list({ name: tag }))
    expect(status).toBe(200)
    expect(data.total).toBe(3)
    expect(data.items.map((s) => s.id)).toEqual(ids)
    const crontabs = await answer(list({ name: tag, type: '1' }))
    expect(crontabs.data.items.map((s) => s.id)).toEqual([ids[0], ids[2]])
    const paged = await answer(list({ name: tag, page: '2', size: '2' }))
    expect(paged.data.items.map((s) => s.id)).toEqual([ids[2]])
    expect((await answer(list({ name: tag, type: '' }))).data.total).toBe(3)
    expect((await failure(list({ type: '2' }))).status).toBe(422)
  })
})

describe('POST /schedulers', () => {
  it('stores the schedule; args and kwargs as JSON text or as JSON, a blank one as none', async () => {
    const id = await created({ args: ['a'], kwargs: { world: 'b' }, crontab: ' 0  0 15 * * ', one_off: true })
    const [row] = await fileDb().select().from(taskScheduler).where(eq(taskScheduler.id, id))
    expect(row).toMatchObject({ args: ['a'], kwargs: { world: 'b' }, crontab: '0 0 15 * *', oneOff: true })
    const blank = await created({ task: 'task_demo', args: '', kwargs: null })
    expect((await answer(detail(blank))).data).toMatchObject({ args: null, kwargs: null })
  })

  it("takes a body with only fba's required fields (name, task, type), the crontab defaulting to every minute", async () => {
    const name = unique('minimal')
    expect((await answer(create({ name, task: 'task_demo', type: 1 }))).status).toBe(200)
    const { data } = await answer(detail(await idOf(name)))
    expect(data).toMatchObject({ args: null, kwargs: null, crontab: '* * * * *', one_off: false, enabled: true })
  })

  it('409 for a name in use', async () => {
    const json = body()
    expect((await create(json)).status).toBe(200)
    const taken = await failure(create({ ...json, crontab: '* * * * *' }))
    expect(taken.status).toBe(409)
    expect(taken.body.msg).toBe('Task schedule already exists')
  })

  it('400 for a crontab Celery would not take, when the type is crontab', async () => {
    for (const crontab of ['* * * *', '61 * * * *', '0 0 L * *', '@daily', '0 0 30 2 *']) {
      const refused = await failure(create(body({ crontab })))
      expect(refused.status, crontab).toBe(400)
      expect(refused.body.msg).toBe('Invalid crontab expression')
    }
    // fba checks the crontab of crontab schedules only.
    expect((await create(body({ type: 0, interval_every: 1, interval_period: 'hours', crontab: 'nope' }))).status).toBe(
      200,
    )
  })

  it('409 for both expire_time and expire_seconds', async () => {
    const both = await failure(create(body({ expire_time: '2027-01-01 00:00:00', expire_seconds: 60 })))
    expect(both.status).toBe(409)
    expect(both.body.msg).toBe('Only one of expire_time and expire_seconds can be set')
    expect((await create(body({ expire_seconds: 60 }))).status).toBe(200)
  })

  it('400 for an interval without both fields or shorter than a minute', async () => {
    const interval = (fields: Partial<Body>) => create(body({ type: 0, ...fields }))
    const missing = await failure(interval({ interval_every: 5 }))
    expect(missing.status).toBe(400)
    expect(missing.body.msg).toBe('Interval schedules need interval_every and interval_period')
    const short = await failure(interval({ interval_every: 30, interval_period: 'seconds' }))
    expect(short.status).toBe(400)
    expect(short.body.msg).toBe('Intervals shorter than 60 seconds are not supported')
    const micro = await failure(interval({ interval_every: 59_999_999, interval_period: 'microseconds' }))
    expect(micro.status).toBe(400)
    expect((await interval({ interval_every: 60, interval_period: 'seconds' })).status).toBe(200)
    expect((await interval({ interval_every: 60_000_000, interval_period: 'microseconds' })).status).toBe(200)
  })

  it('422 for an unregistered task or args that do not validate, so a saved schedule never fails when it fires', async () => {
    const unknown = await failure(create(body({ task: 'no_such_task' })))
    expect(unknown.status).toBe(422)
    expect(unknown.errors).toMatchObject([{ loc: ['task'], msg: 'Task no_such_task is not registered' }])

    const wrongType = await failure(create(body({ kwargs: '{"world": 42}' })))
    expect(wrongType.status).toBe(422)
    expect(wrongType.errors.map((e) => e.loc)).toEqual([['args', 'world']])
    const missing = await failure(create(body({ args: null })))
    expect(missing.errors.map((e) => e.loc)).toEqual([['args', 'hello']])
    const tooMany = await failure(create(body({ args: '["a", "b", "c"]' })))
    expect(tooMany.status).toBe(422)
  })

  it('422 for args that are not a JSON array, kwargs not a JSON object, or a datetime it cannot read', async () => {
    for (const [field, value] of [
      ['args', '{"hello": "a"}'],
      ['args', 'not json'],
      ['args', 42],
      ['kwargs', '["a"]'],
      ['kwargs', ['a']],
      ['start_time', 'tomorrow'],
      ['expire_time', '2026-13-01 00:00:00'],
    ] as const) {
      const res = await failure(
        send('POST', '/api/v1/schedulers', { token: tokens.admin, json: { ...body(), [field]: value } }),
      )
      expect(res.status, `${field} ${JSON.stringify(value)}`).toBe(422)
      expect(res.errors[0]?.loc).toEqual(['body', field])
    }
    const res = await failure(
      send('POST', '/api/v1/schedulers', { token: tokens.admin, json: { task: 'task_demo', type: 1 } }),
    )
    expect(res.status).toBe(422)
    expect(res.errors.map((e) => e.loc)).toEqual([['body', 'name']])
  })
})

describe('PUT /schedulers/{pk}', () => {
  it('updates every field under the same rules', async () => {
    const id = await created()
    const name = unique('renamed')
    const changed = body({ name, type: 0, interval_every: 2, interval_period: 'hours', args: '["hi"]', remark: 'x' })
    const { status, body: envelope } = await answer(update(id, changed))
    expect(status).toBe(200)
    expect(envelope.data).toBeNull()
    const { data } = await answer(detail(id))
    expect(data).toMatchObject({
      name,
      type: 0,
      interval_every: 2,
      interval_period: 'hours',
      args: '["hi"]',
      remark: 'x',
    })
    expect(data.updated_time).toEqual(anyDatetime())
    // Its own name is not a conflict.
    expect((await update(id, changed)).status).toBe(200)
  })

  it('404 for an unknown schedule; 409 for another schedule’s name; 400/409/422 as on create', async () => {
    expect((await failure(update(999_999, body()))).status).toBe(404)
    const first = body()
    await created(first)
    const id = await created()
    expect((await failure(update(id, body({ name: first.name })))).status).toBe(409)
    expect((await failure(update(id, body({ crontab: '* *' })))).status).toBe(400)
    expect((await failure(update(id, body({ expire_time: '2027-01-01 00:00:00', expire_seconds: 1 })))).status).toBe(
      409,
    )
    expect((await failure(update(id, body({ task: 'no_such_task' })))).status).toBe(422)
  })
})

describe('PUT /schedulers/{pk}/status', () => {
  it('switches the schedule off and on again; 404 for an unknown one', async () => {
    const id = await created()
    expect((await answer(toggle(id))).status).toBe(200)
    expect((await answer(detail(id))).data.enabled).toBe(false)
    expect((await answer(toggle(id))).status).toBe(200)
    expect((await answer(detail(id))).data.enabled).toBe(true)
    expect((await failure(toggle(999_999))).status).toBe(404)
  })
})

describe('DELETE /schedulers/{pk}', () => {
  it('deletes the schedule; 404 for an unknown one', async () => {
    const id = await created()
    expect((await answer(remove(id))).status).toBe(200)
    expect((await failure(detail(id))).status).toBe(404)
    expect((await failure(remove(id))).status).toBe(404)
  })
})

describe('POST /schedulers/{pk}/execute', () => {
  it('submits the task once with the schedule’s args, leaving its counters alone', async () => {
    const id = await created()
    await answer(toggle(id))
    const { status, data } = await answer(execute(id))
    expect(status).toBe(200)
    const [task] = await fileDb().select().from(taskResult).where(eq(taskResult.taskId, data.task_id))
    expect(task).toMatchObject({
      name: 'task_demo_params',
      args: ['你好，'],
      kwargs: { world: '世界' },
      schedulerId: id,
    })
    expect((await answer(detail(id))).data).toMatchObject({ total_run_count: 0, last_run_time: null, enabled: false })
    const again = await answer(execute(id))
    expect(again.data.task_id).not.toBe(data.task_id)
  })

  it('400 with fba’s message when the stored args no longer validate or the task is gone; 404 for no schedule', async () => {
    const id = await created()
    await fileDb().run(sql`update task_scheduler set kwargs = '{"world": 42}' where id = ${id}`)
    const invalid = await failure(execute(id))
    expect(invalid.status).toBe(400)
    expect(invalid.body.msg).toBe('Execution failed: the task arguments are invalid')
    await fileDb().update(taskScheduler).set({ task: 'no_such_task', kwargs: null }).where(eq(taskScheduler.id, id))
    expect((await failure(execute(id))).status).toBe(400)
    await fileDb().run(sql`update task_scheduler set task = 'task_demo', args = '"text"' where id = ${id}`)
    expect((await failure(execute(id))).status).toBe(400)
    expect((await failure(execute(999_999))).status).toBe(404)
  })
})

describe('permissions', () => {
  it('reads need sys:task:view: 403 for the test user and for holders of every other task code; 401 without a token', async () => {
    const id = await created()
    const others = await signedInWith(['sys:task:add', 'sys:task:edit', 'sys:task:del', 'sys:task:exec'])
    const viewer = await signedInWith(['sys:task:view'])
    for (const token of [tokens.test, others]) {
      expect((await failure(all(token))).status).toBe(403)
      expect((await failure(list({}, token))).status).toBe(403)
      expect((await failure(detail(id, token))).status).toBe(403)
    }
    expect((await all(viewer)).status).toBe(200)
    expect((await list({}, viewer)).status).toBe(200)
    expect((await detail(id, viewer)).status).toBe(200)
    expect((await send('GET', '/api/v1/schedulers/all')).status).toBe(401)
  })

  it('each write needs its own code (add, edit, del, exec)', async () => {
    const viewer = await signedInWith(['sys:task:view'])
    const writes: [string, (token: string, id: number) => Promise<{ status: number }>][] = [
      ['sys:task:add', (token) => create(body(), token)],
      ['sys:task:edit', (token, id) => update(id, body(), token)],
      ['sys:task:edit', (token, id) => toggle(id, token)],
      ['sys:task:del', (token, id) => remove(id, token)],
      ['sys:task:exec', (token, id) => execute(id, token)],
    ]
    for (const [code, write] of writes) {
      const id = await created()
      for (const token of [tokens.test, viewer]) expect((await write(token, id)).status, `${code} denied`).toBe(403)
      expect((await write(await signedInWith([code]), id)).status, `${code} granted`).toBe(200)
    }
  })
})
