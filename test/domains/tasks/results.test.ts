/**
 * `/tasks/registered`, `/task-results*` and `/tasks/stats` (docs/fba-compatibility.md, "Tasks"): shapes, filters,
 * 404/422, and permissions (`sys:task:view` to read, `sys:task:del` to delete).
 */
import { eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { appCatalogue } from '../../../src/app/domains'
import type { taskResultRoutes } from '../../../src/domains/tasks/routes.results'
import { type NewTaskResult, type TaskStatus, taskResult } from '../../../src/domains/tasks/schema'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { DATETIME, unique } from '../../helpers/fixtures'
import { answer, api, failure, send } from '../../helpers/harness'
import { signedInWith } from '../../helpers/permissions'

const RESULT_KEYS = [
  'id',
  'task_id',
  'status',
  'result',
  'date_done',
  'traceback',
  'name',
  'args',
  'kwargs',
  'worker',
  'retries',
  'queue',
  // Stratum's additions
  'progress',
  'progress_msg',
  'scheduler_id',
  'created_time',
].sort()

const tokens = seedAndSignIn()

const tasks = (token = tokens.admin) => api<typeof taskResultRoutes>(token).tasks
const results = (token = tokens.admin) => api<typeof taskResultRoutes>(token)['task-results']
type ListQuery = Parameters<ReturnType<typeof results>['$get']>[0]['query']

const list = (query: ListQuery = {}, token = tokens.admin) => results(token).$get({ query })
const detail = (pk: number, token = tokens.admin) => results(token)[':pk'].$get({ param: { pk: String(pk) } })
const del = (pks: number[], token = tokens.admin) => results(token).$delete({ json: { pks } })
const stats = (hours?: string, token = tokens.admin) => tasks(token).stats.$get({ query: hours ? { hours } : {} })

/** Inserts task_result rows as the submitter and consumer would leave them. */
async function insertResults(rows: Partial<NewTaskResult>[]) {
  return fileDb()
    .insert(taskResult)
    .values(rows.map((row) => ({ taskId: crypto.randomUUID(), name: 'task_demo', ...row })))
    .returning()
}

describe('GET /tasks/registered', () => {
  it("lists every task of the app's registry as {name: summary, task: registered name}", async () => {
    const { status, data } = await answer(tasks().registered.$get())
    expect(status).toBe(200)
    const expected = appCatalogue()
      .tasks.all()
      .map((d) => ({ name: d.summary, task: d.name }))
    expect(data).toEqual(expected)
    expect(data).toContainEqual({ name: 'Demo task: joins its two arguments', task: 'task_demo_params' })
    expect(data.map((t) => t.task)).toEqual(
      expect.arrayContaining(['task_demo', 'task_demo_async', 'delete_db_login_log', 'delete_db_opera_log']),
    )
  })

  it('needs sys:task:view (403 for the test user); 401 without a token', async () => {
    expect((await failure(tasks(tokens.test).registered.$get())).status).toBe(403)
    expect((await tasks(await signedInWith(['sys:task:exec'])).registered.$get()).status).toBe(403)
    expect((await tasks(await signedInWith(['sys:task:view'])).registered.$get()).status).toBe(200)
    expect((await api<typeof taskResultRoutes>().tasks.registered.$get()).status).toBe(401)
  })
})

describe('GET /task-results', () => {
  it("lists fba's fields plus Stratum's, newest first, with JSON args, kwargs and result", async () => {
    const name = unique('task_shape', '_')
    const [older, newer] = await insertResults([
      { name, status: 'PENDING', args: ['你好，'], kwargs: { world: '世界' }, schedulerId: 7 },
      {
        name,
        status: 'SUCCESS',
        args: [],
        kwargs: { hello: 'a', world: 'b' },
        result: { joined: 'ab' },
        dateDone: new Date('2026-01-02T03:04:05Z'),
        worker: 'worker@test',
        retries: 1,
        progress: 100,
        progressMsg: 'done',
      },
    ])
    const { status, data } = await answer(list({ name }))
    expect(status).toBe(200)
    expect(data.total).toBe(2)
    const [first, second] = data.items
    expect(Object.keys(first!).sort()).toEqual(RESULT_KEYS)
    expect(first).toMatchObject({
      id: newer!.id,
      task_id: newer!.taskId,
      status: 'SUCCESS',
      result: { joined: 'ab' },
      date_done: '2026-01-02 03:04:05',
      traceback: null,
      name,
      args: [],
      kwargs: { hello: 'a', world: 'b' },
      worker: 'worker@test',
      retries: 1,
      queue: null,
      progress: 100,
      progress_msg: 'done',
      scheduler_id: null,
    })
    expect(first!.created_time).toMatch(DATETIME)
    expect(second).toMatchObject({
      id: older!.id,
      status: 'PENDING',
      result: null,
      date_done: null,
      args: ['你好，'],
      kwargs: { world: '世界' },
      worker: null,
      retries: null,
      progress: null,
      scheduler_id: 7,
    })
  })

  it('filters by name (contains) and task_id (exact); pages with links', async () => {
    const name = unique('task_filter', '_')
    const rows = await insertResults([{ name }, { name }, { name: `${name}_other` }])
    const byName = await answer(list({ name }))
    expect(byName.data.total).toBe(3)
    const byTaskId = await answer(list({ task_id: rows[1]!.taskId }))
    expect(byTaskId.data.items.map((r) => r.id)).toEqual([rows[1]!.id])
    // Exact: a prefix of the id finds nothing.
    expect((await answer(list({ task_id: rows[1]!.taskId.slice(0, 8) }))).data.total).toBe(0)
    const paged = await answer(list({ name, size: '2', page: '2' }))
    expect(paged.data).toMatchObject({ total: 3, page: 2, size: 2, total_pages: 2 })
    expect(paged.data.items.map((r) => r.id)).toEqual([rows[0]!.id])
    expect(paged.data.links.prev).toBe(`/api/v1/task-results?name=${name}&page=1&size=2`)
  })

  it('needs sys:task:view: 403 for the test user and for a holder of every other task code; validates the query', async () => {
    expect((await failure(list({}, tokens.test))).status).toBe(403)
    const others = await signedInWith(['sys:task:add', 'sys:task:edit', 'sys:task:del', 'sys:task:exec'])
    const denied = await failure(list({}, others))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect((await list({}, await signedInWith(['sys:task:view']))).status).toBe(200)
    expect((await api<typeof taskResultRoutes>()['task-results'].$get({ query: {} })).status).toBe(401)
    const bad = await failure(list({ size: '0' }))
    expect(bad.status).toBe(422)
    expect(bad.errors[0]?.loc).toEqual(['query', 'size'])
  })
})

describe('GET /task-results/{pk}', () => {
  it('answers one result; 404 task.result_not_found for an unknown id (in both languages)', async () => {
    const [row] = await insertResults([{ status: 'FAILURE', traceback: 'Error: boom\n    at handler' }])
    const { status, data } = await answer(detail(row!.id))
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual(RESULT_KEYS)
    expect(data).toMatchObject({ id: row!.id, status: 'FAILURE', traceback: 'Error: boom\n    at handler' })

    const missing = await failure(detail(999_999))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Task result not found')
    const zh = await failure(
      send('GET', '/api/v1/task-results/999999', { token: tokens.admin, headers: { 'Accept-Language': 'zh-CN' } }),
    )
    expect(zh.body.msg).toBe('任务结果不存在')
    expect((await failure(send('GET', '/api/v1/task-results/abc', { token: tokens.admin }))).status).toBe(422)
  })

  it('needs sys:task:view', async () => {
    const [row] = await insertResults([{}])
    expect((await detail(row!.id, tokens.test)).status).toBe(403)
    expect((await detail(row!.id, await signedInWith(['sys:task:del']))).status).toBe(403)
    expect((await detail(row!.id, await signedInWith(['sys:task:view']))).status).toBe(200)
  })
})

describe('DELETE /task-results', () => {
  it('deletes the given ids (ids already gone are fine)', async () => {
    const rows = await insertResults([{}, {}])
    const { status, body } = await answer(del([rows[0]!.id, 999_999]))
    expect(status).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    const left = await fileDb()
      .select({ id: taskResult.id })
      .from(taskResult)
      .where(
        inArray(
          taskResult.id,
          rows.map((r) => r.id),
        ),
      )
    expect(left.map((r) => r.id)).toEqual([rows[1]!.id])
  })

  it('needs sys:task:del (sys:task:view is not enough); validates the body', async () => {
    const [row] = await insertResults([{}])
    expect((await del([row!.id], tokens.test)).status).toBe(403)
    expect((await del([row!.id], await signedInWith(['sys:task:view']))).status).toBe(403)
    expect(await fileDb().select().from(taskResult).where(eq(taskResult.id, row!.id))).toHaveLength(1)
    expect((await del([row!.id], await signedInWith(['sys:task:del']))).status).toBe(200)
    expect(await fileDb().select().from(taskResult).where(eq(taskResult.id, row!.id))).toHaveLength(0)
    for (const json of [{}, { pks: [] }, { pks: ['a'] }, { pks: [0] }]) {
      const { status, errors } = await failure(send('DELETE', '/api/v1/task-results', { token: tokens.admin, json }))
      expect(status, JSON.stringify(json)).toBe(422)
      expect(errors[0]?.loc.slice(0, 2)).toEqual(['body', 'pks'])
    }
  })
})

describe('GET /tasks/stats', () => {
  it('counts per task name and status over the window, by name', async () => {
    const a = unique('stats_a', '_')
    const b = unique('stats_b', '_')
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000)
    const statuses: [string, TaskStatus, number][] = [
      [a, 'SUCCESS', 1],
      [a, 'SUCCESS', 2],
      [a, 'FAILURE', 3],
      [a, 'PENDING', 30], // outside the default 24 h window
      [b, 'REVOKED', 1],
    ]
    await insertResults(statuses.map(([name, status, age]) => ({ name, status, createdTime: hoursAgo(age) })))
    const { status, data } = await answer(stats())
    expect(status).toBe(200)
    expect(data.hours).toBe(24)
    expect(data.since).toMatch(DATETIME)
    const mine = data.items.filter((i) => i.name === a || i.name === b)
    expect(mine).toEqual([
      { name: a, total: 3, PENDING: 0, STARTED: 0, SUCCESS: 2, FAILURE: 1, RETRY: 0, REVOKED: 0 },
      { name: b, total: 1, PENDING: 0, STARTED: 0, SUCCESS: 0, FAILURE: 0, RETRY: 0, REVOKED: 1 },
    ])
    const names = data.items.map((i) => i.name)
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)))

    const wider = await answer(stats('48'))
    expect(wider.data.items.find((i) => i.name === a)).toMatchObject({ total: 4, PENDING: 1 })
  })

  it('validates hours (1–720) and needs sys:task:view', async () => {
    for (const hours of ['0', '721', 'x']) {
      const bad = await failure(stats(hours))
      expect(bad.status, hours).toBe(422)
      expect(bad.errors[0]?.loc).toEqual(['query', 'hours'])
    }
    expect((await stats('1', tokens.test)).status).toBe(403)
    expect((await stats('1', await signedInWith(['sys:task:exec']))).status).toBe(403)
    expect((await stats('1', await signedInWith(['sys:task:view']))).status).toBe(200)
  })
})
