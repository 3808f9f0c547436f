/**
 * The wired pushes (docs/realtime.md, "What Stratum pushes"): a task's start, success and failure reach the sockets
 * of the user who submitted it as `task_notification {msg}` — in each socket's language — or every socket when no
 * user did; a published notice reaches every socket as `notice {id, title, type}`. Tasks and the notice's consumer
 * are delivered through the QStash emulator and the relay (test/helpers/deliveries.ts), as in production.
 */
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import type { schedulerRoutes } from '../../../src/domains/tasks/routes.schedulers'
import { taskResult } from '../../../src/domains/tasks/schema'
import type { noticeRoutes } from '../../../src/plugins/notice/routes.v1'
import { sysNotice } from '../../../src/plugins/notice/schema'
import { type Session, seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { deliverUntil } from '../../helpers/deliveries'
import { unique } from '../../helpers/fixtures'
import { answer, api } from '../../helpers/harness'
import { expectLogs } from '../../helpers/logs'
import { submitTask, taskApp } from '../tasks/helpers'
import { connectAs, type RawSocket, socketPacket } from './helpers'

const { admin, test } = seedAndSignIn().sessions

const open: RawSocket[] = []

afterEach(async () => {
  const closing = open.splice(0)
  for (const socket of closing) socket.close()
  await Promise.all(closing.map((socket) => socket.waitClosed()))
})

async function connect(who: Session, headers?: Record<string, string>): Promise<RawSocket> {
  const { socket } = await connectAs(who, headers ? { headers } : {})
  open.push(socket)
  return socket
}

/** The events a socket received, as `[name, data]`, after the deliveries are done (pings are not sent in tests). */
const events = (socket: RawSocket) => socket.frames.splice(0).map((frame) => socketPacket(frame).data)

const statusOf = async (taskId: string) =>
  (await fileDb().select({ status: taskResult.status }).from(taskResult).where(eq(taskResult.taskId, taskId)))[0]
    ?.status
const ended = (taskId: string) => async () => ['SUCCESS', 'FAILURE'].includes((await statusOf(taskId)) ?? '')

describe('task_notification', () => {
  it("a task the user ran from the API: its start and success reach that user's sockets, in each one's language", async () => {
    const english = await connect(admin)
    const chinese = await connect(admin, { 'Accept-Language': 'zh-CN,zh;q=0.9' })
    const other = await connect(test)
    const schedulers = api<typeof schedulerRoutes>(admin.accessToken).schedulers
    const demo = (await answer(schedulers.all.$get())).data.find((s) => s.task === 'task_demo_params')
    const run = await answer(schedulers[':pk'].execute.$post({ param: { pk: String(demo?.id) } }))
    const taskId = run.data.task_id
    expect((await fileDb().select().from(taskResult).where(eq(taskResult.taskId, taskId)))[0]?.userId).toBe(1)

    await deliverUntil(ended(taskId))
    expect(await statusOf(taskId)).toBe('SUCCESS')
    expect(events(english)).toEqual([
      ['task_notification', { msg: `Task ${taskId} started` }],
      ['task_notification', { msg: `Task ${taskId} succeeded` }],
    ])
    // fba's own texts.
    expect(events(chinese)).toEqual([
      ['task_notification', { msg: `任务 ${taskId} 开始执行` }],
      ['task_notification', { msg: `任务 ${taskId} 执行成功` }],
    ])
    await other.quiet()
  })

  it('a task no user submitted goes to every socket; a failing one says it started on each attempt, failed once', async () => {
    const logs = expectLogs(
      { msg: 'task failed: will retry' },
      { msg: 'task failed' },
      { msg: 'task failure callback' },
    )
    const adminSocket = await connect(admin)
    const testSocket = await connect(test, { 'Accept-Language': 'zh-CN' })
    const { task_id: taskId } = await submitTask('test.fail', { label: unique('notify') })
    expect((await fileDb().select().from(taskResult).where(eq(taskResult.taskId, taskId)))[0]?.userId).toBeNull()

    // Three attempts (two retries), then QStash's failure callback, which finds the row ended and says nothing more.
    await deliverUntil((d) => d.some((x) => x.path.includes('/failures')), { app: taskApp })
    expect(await statusOf(taskId)).toBe('FAILURE')
    const started = ['task_notification', { msg: `Task ${taskId} started` }]
    expect(events(adminSocket)).toEqual([
      started,
      started,
      started,
      ['task_notification', { msg: `Task ${taskId} failed` }],
    ])
    const 开始 = ['task_notification', { msg: `任务 ${taskId} 开始执行` }]
    expect(events(testSocket)).toEqual([开始, 开始, 开始, ['task_notification', { msg: `任务 ${taskId} 执行失败` }]])
    expect(logs.entries.filter((e) => e.msg === 'task failed')).toHaveLength(1)
  })
})

describe('notice', () => {
  it('a notice published (shown) is pushed to every socket as notice {id, title, type}', async () => {
    const adminSocket = await connect(admin)
    const testSocket = await connect(test)
    const title = unique('公告')
    const notices = api<typeof noticeRoutes>(admin.accessToken).sys.notices
    expect((await notices.$post({ json: { title, type: 1, status: 1, content: '<p>hello</p>' } })).status).toBe(200)
    const [notice] = await fileDb().select({ id: sysNotice.id }).from(sysNotice).where(eq(sysNotice.title, title))

    await deliverUntil(() => adminSocket.frames.length > 0 && testSocket.frames.length > 0)
    const pushed = ['notice', { id: notice?.id, title, type: 1 }]
    expect(events(adminSocket)).toEqual([pushed])
    expect(events(testSocket)).toEqual([pushed])
  })
})
