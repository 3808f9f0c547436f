/**
 * `DELETE /tasks/{task_id}/cancel` (docs/fba-compatibility.md, "Tasks"): a submitted, not yet delivered task is
 * revoked and its QStash message cancelled; a running one is revoked (its outcome is then discarded); a finished one
 * is a 409; an unknown one a 404; it needs `sys:task:revoke`.
 */
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { TaskResultRepository } from '../../../src/domains/tasks/repository'
import type { taskResultRoutes } from '../../../src/domains/tasks/routes.results'
import { type NewTaskResult, type TaskStatus, taskResult } from '../../../src/domains/tasks/schema'
import { login, seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { answer, api, failure, send } from '../../helpers/harness'
import { expectLogs } from '../../helpers/logs'
import { signedInWith } from '../../helpers/permissions'
import { messageStatus, submitter, UNREACHABLE } from './direct-submit'

/** Long enough that the emulator (time scale 0.001) does not deliver during the test: 3 days → about 4 minutes. */
const THREE_DAYS_MS = 3 * 86_400_000

const tokens = seedAndSignIn(['admin'])

const cancel = (taskId: string, token = tokens.admin) =>
  api<typeof taskResultRoutes>(token, { overrides: UNREACHABLE }).tasks[':task_id'].cancel.$delete({
    param: { task_id: taskId },
  })

const rowOf = async (taskId: string) => {
  const [row] = await fileDb().select().from(taskResult).where(eq(taskResult.taskId, taskId))
  return row
}

async function insertTask(values: Partial<NewTaskResult> = {}): Promise<string> {
  const taskId = crypto.randomUUID()
  await fileDb()
    .insert(taskResult)
    .values({ taskId, name: 'task_demo', ...values })
  return taskId
}

/** A task really submitted to QStash, delayed so that it stays pending there. */
async function submitDelayed(): Promise<{ taskId: string; messageId: string }> {
  const { task_id } = await submitter().submit(
    'task_demo_params',
    { hello: 'a', world: 'b' },
    { delayMs: THREE_DAYS_MS },
  )
  const row = await rowOf(task_id)
  if (!row?.messageId) throw new Error('the submitter noted no message id')
  return { taskId: task_id, messageId: row.messageId }
}

describe('DELETE /tasks/{task_id}/cancel', () => {
  it('revokes a submitted, not yet delivered task and cancels its QStash message', async () => {
    const { taskId, messageId } = await submitDelayed()
    expect(await messageStatus(messageId)).toBe(200)
    const { status, body } = await answer(cancel(taskId))
    expect(status).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    expect(await messageStatus(messageId)).toBe(404)
    const row = await rowOf(taskId)
    expect(row).toMatchObject({ status: 'REVOKED' })
    expect(row?.dateDone).toBeInstanceOf(Date)
  })

  it("revokes a row whose message QStash no longer has (delivered or dropped): that 404 is QStash's, not ours", async () => {
    const taskId = await insertTask({ status: 'RETRY', messageId: 'msg_gone_long_ago' })
    expect((await cancel(taskId)).status).toBe(200)
    expect(await rowOf(taskId)).toMatchObject({ status: 'REVOKED' })
  })

  it('still revokes when QStash cannot be reached: the REVOKED row is what keeps the task from running', async () => {
    const taskId = await insertTask({ status: 'PENDING', messageId: 'msg_somewhere' })
    // The SDK prints the failed call itself; the service logs the cancel it could not make.
    expectLogs({ msg: 'task revoked; its QStash message could not be cancelled' }, /^\[Upstash QStash\]/)
    const offline = api<typeof taskResultRoutes>(tokens.admin, { overrides: { QSTASH_URL: 'http://127.0.0.1:9' } })
    expect((await offline.tasks[':task_id'].cancel.$delete({ param: { task_id: taskId } })).status).toBe(200)
    expect(await rowOf(taskId)).toMatchObject({ status: 'REVOKED' })
  })

  it('revokes a task submitted but not yet published (no message id)', async () => {
    const taskId = await insertTask({ status: 'PENDING' })
    expect((await cancel(taskId)).status).toBe(200)
    expect(await rowOf(taskId)).toMatchObject({ status: 'REVOKED' })
  })

  it("revokes a running task: the consumer's final write (conditional on STARTED) is then discarded", async () => {
    const taskId = await insertTask({ status: 'STARTED', startedTime: new Date(), worker: 'worker@test' })
    expect((await cancel(taskId)).status).toBe(200)
    const repository = new TaskResultRepository(fileDb())
    expect(await repository.finish(taskId, 'SUCCESS', { result: 'late' }, ['STARTED'])).toBeUndefined()
    expect(await rowOf(taskId)).toMatchObject({ status: 'REVOKED', result: null })
  })

  it('409 task.already_finished for a finished or revoked task (the row stays as it was)', async () => {
    for (const status of ['SUCCESS', 'FAILURE', 'REVOKED'] satisfies TaskStatus[]) {
      const taskId = await insertTask({ status, result: status === 'SUCCESS' ? 'done' : null })
      const conflict = await failure(cancel(taskId))
      expect(conflict.status, status).toBe(409)
      expect(conflict.body.msg).toBe(`The task has already finished (${status})`)
      expect(conflict.body.data).toEqual({ status })
      expect(await rowOf(taskId)).toMatchObject({ status })
    }
    const twice = await insertTask({ status: 'PENDING' })
    expect((await cancel(twice)).status).toBe(200)
    expect((await failure(cancel(twice))).status).toBe(409)
    const zh = await failure(
      send('DELETE', `/api/v1/tasks/${twice}/cancel`, { token: tokens.admin, headers: { 'Accept-Language': 'zh-CN' } }),
    )
    expect(zh.body.msg).toBe('任务已结束（REVOKED）')
  })

  it('404 task.not_found for an unknown task id', async () => {
    const missing = await failure(cancel(crypto.randomUUID()))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Task not found')
  })

  it('needs sys:task:revoke: 403 for the test user and for a holder of the other task codes', async () => {
    const { taskId, messageId } = await submitDelayed()
    const test = await login('test')
    expect((await failure(cancel(taskId, test.accessToken))).status).toBe(403)
    const others = await signedInWith(['sys:task:view', 'sys:task:del', 'sys:task:exec'])
    const denied = await failure(cancel(taskId, others))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect(await rowOf(taskId)).toMatchObject({ status: 'PENDING' })
    expect(await messageStatus(messageId)).toBe(200)
    expect(
      (await api<typeof taskResultRoutes>().tasks[':task_id'].cancel.$delete({ param: { task_id: taskId } })).status,
    ).toBe(401)

    expect((await cancel(taskId, await signedInWith(['sys:task:revoke']))).status).toBe(200)
    expect(await messageStatus(messageId)).toBe(404)
  })
})
