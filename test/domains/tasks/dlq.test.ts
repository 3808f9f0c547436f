/**
 * `GET /tasks/dlq` and `POST /tasks/dlq/{dlq_id}/retry` (Stratum extension, docs/tasks.md): tasks really dead-lettered
 * by the QStash emulator — submitted to an address where nothing listens, with no retries — listed from QStash's DLQ
 * and submitted again from their `task_result` row.
 */

import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { taskResultRoutes } from '../../../src/domains/tasks/routes.results'
import { taskResult } from '../../../src/domains/tasks/schema'
import { QSTASH_DELIVERY_PATH as DELIVERY_PATH } from '../../../src/infra/qstash'
import { login, seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { DATETIME } from '../../helpers/fixtures'
import { answer, api, failure } from '../../helpers/harness'
import { expectLogs } from '../../helpers/logs'
import { signedInWith } from '../../helpers/permissions'
import { eventually, qstash, submitter, UNREACHABLE, UNREACHABLE_URL } from './direct-submit'

const DELIVERY_URL = `${UNREACHABLE_URL}${DELIVERY_PATH}`

const tokens = seedAndSignIn(['admin'])

const dlq = (token = tokens.admin) => api<typeof taskResultRoutes>(token, { overrides: UNREACHABLE }).tasks.dlq
const list = (query: { size?: string; cursor?: string } = {}, token = tokens.admin) => dlq(token).$get({ query })
const retry = (dlqId: string, token = tokens.admin) => dlq(token)[':dlq_id'].retry.$post({ param: { dlq_id: dlqId } })

const rowOf = async (taskId: string) => {
  const [row] = await fileDb().select().from(taskResult).where(eq(taskResult.taskId, taskId))
  return row
}

/** The DLQ id QStash gave a message once it used up its (zero) retries. */
async function deadLettered(messageId: string, url = DELIVERY_URL): Promise<string> {
  return eventually(async () => {
    const { messages } = await qstash().dlq.listMessages({ filter: { url } })
    return messages.find((m) => m.messageId === messageId)?.dlqId
  }, `message ${messageId} in the DLQ`)
}

/** A task submitted for real that QStash could not deliver: its task id, message id and DLQ id. */
async function deadTask(args: Record<string, unknown> = { seconds: 0 }, positional: unknown[] = []) {
  const { task_id } = await submitter().submit('task_demo', args, { positional })
  const messageId = (await rowOf(task_id))?.messageId
  if (!messageId) throw new Error('the submitter noted no message id')
  return { taskId: task_id, messageId, dlqId: await deadLettered(messageId) }
}

const inDlq = async (dlqId: string) => (await qstash().dlq.listMessages({ dlqIds: [dlqId] })).messages.length > 0

describe('GET /tasks/dlq', () => {
  it("lists this app's dead-lettered tasks, newest first, with the task decoded from the message body", async () => {
    const first = await deadTask()
    const second = await deadTask()
    const { status, data } = await answer(list())
    expect(status).toBe(200)
    const mine = data.items.filter((i) => [first.dlqId, second.dlqId].includes(i.dlq_id))
    expect(mine.map((i) => i.dlq_id)).toEqual([second.dlqId, first.dlqId])
    expect(mine[1]).toEqual({
      dlq_id: first.dlqId,
      message_id: first.messageId,
      task_id: first.taskId,
      name: 'task_demo',
      created_time: expect.stringMatching(DATETIME),
      // Nothing answered at that address.
      response_status: null,
      error: null,
    })
  })

  it('leaves out what is not a task of this app: other URLs, other message kinds', async () => {
    const client = qstash()
    const elsewhere = await client.publishJSON({
      url: `${UNREACHABLE_URL}/elsewhere`,
      body: { kind: 'task', task_id: crypto.randomUUID(), name: 'task_demo' },
      retries: 0,
    })
    const event = await client.publishJSON({ url: DELIVERY_URL, body: { kind: 'event', name: 'x' }, retries: 0 })
    const foreignDlqId = await deadLettered(elsewhere.messageId, `${UNREACHABLE_URL}/elsewhere`)
    const eventDlqId = await deadLettered(event.messageId)
    const { data } = await answer(list({ size: '100' }))
    const ids = data.items.map((i) => i.dlq_id)
    expect(ids).not.toContain(foreignDlqId)
    expect(ids).not.toContain(eventDlqId)
    // Nor can they be retried through the task API.
    for (const dlqId of [foreignDlqId, eventDlqId]) {
      const missing = await failure(retry(dlqId))
      expect(missing.status).toBe(404)
      expect(missing.body.msg).toBe('Dead-letter message not found')
      expect(await inDlq(dlqId)).toBe(true)
    }
  })

  it("pages with QStash's cursor", async () => {
    await deadTask()
    await deadTask()
    const firstPage = await answer(list({ size: '1' }))
    expect(firstPage.data.items).toHaveLength(1)
    expect(firstPage.data.cursor).toEqual(expect.any(String))
    const secondPage = await answer(list({ size: '1', cursor: firstPage.data.cursor ?? '' }))
    expect(secondPage.data.items).toHaveLength(1)
    expect(secondPage.data.items[0]?.dlq_id).not.toBe(firstPage.data.items[0]?.dlq_id)
    const all = await answer(list({ size: '100' }))
    expect(all.data.cursor).toBeNull()
    for (const size of ['0', '101']) {
      const bad = await failure(list({ size }))
      expect(bad.status, size).toBe(422)
      expect(bad.errors[0]?.loc).toEqual(['query', 'size'])
    }
  })

  it('needs sys:task:view (403 for the test user and for a holder of sys:task:exec)', async () => {
    const test = await login('test')
    expect((await failure(list({}, test.accessToken))).status).toBe(403)
    expect((await list({}, await signedInWith(['sys:task:exec']))).status).toBe(403)
    expect((await list({}, await signedInWith(['sys:task:view']))).status).toBe(200)
    const anonymous = api<typeof taskResultRoutes>(undefined, { overrides: UNREACHABLE })
    expect((await anonymous.tasks.dlq.$get({ query: {} })).status).toBe(401)
  })

  it('is a 503 without PUBLIC_URL (no delivery route to look for)', async () => {
    expectLogs({ msg: 'request failed', status: 503 })
    const unset = api<typeof taskResultRoutes>(tokens.admin, { overrides: { PUBLIC_URL: undefined } })
    const unavailable = await failure(unset.tasks.dlq.$get({ query: {} }))
    expect(unavailable.status).toBe(503)
    expect(unavailable.body.data).toMatchObject({ service: 'qstash', reason: 'PUBLIC_URL not set' })
  })
})

describe('POST /tasks/dlq/{dlq_id}/retry', () => {
  it('submits the task again (new task id, the original args and schedule) and drops the DLQ entry', async () => {
    const dead = await deadTask({ seconds: 2 })
    await fileDb().update(taskResult).set({ schedulerId: 42 }).where(eq(taskResult.taskId, dead.taskId))
    const { status, data } = await answer(retry(dead.dlqId))
    expect(status).toBe(200)
    expect(data.task_id).not.toBe(dead.taskId)
    const again = await rowOf(data.task_id)
    expect(again).toMatchObject({
      name: 'task_demo',
      status: 'PENDING',
      args: [],
      kwargs: { seconds: 2 },
      schedulerId: 42,
    })
    expect(again?.messageId).toEqual(expect.any(String))
    expect(again?.messageId).not.toBe(dead.messageId)
    expect(await inDlq(dead.dlqId)).toBe(false)
    const listed = await answer(list({ size: '100' }))
    expect(listed.data.items.map((i) => i.dlq_id)).not.toContain(dead.dlqId)
    // The original row is left as it was: it is the record of the run that failed.
    expect(await rowOf(dead.taskId)).toMatchObject({ kwargs: { seconds: 2 } })

    const gone = await failure(retry(dead.dlqId))
    expect(gone.status).toBe(404)
    expect(gone.body.msg).toBe('Dead-letter message not found')
  })

  it("keeps positional args as positional (a schedule's args)", async () => {
    const dead = await deadTask({}, [3])
    const { data } = await answer(retry(dead.dlqId))
    expect(await rowOf(data.task_id)).toMatchObject({ args: [3], kwargs: {} })
  })

  it('404 task.not_found when the task result is deleted (its args went with it); the entry stays', async () => {
    const dead = await deadTask()
    await fileDb().delete(taskResult).where(eq(taskResult.taskId, dead.taskId))
    const missing = await failure(retry(dead.dlqId))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Task not found')
    expect(await inDlq(dead.dlqId)).toBe(true)
  })

  it('422 when the args no longer validate; the entry stays', async () => {
    const dead = await deadTask()
    await fileDb()
      .update(taskResult)
      .set({ kwargs: { seconds: 'soon' } })
      .where(eq(taskResult.taskId, dead.taskId))
    const invalid = await failure(retry(dead.dlqId))
    expect(invalid.status).toBe(422)
    expect(invalid.errors[0]?.loc).toEqual(['args', 'seconds'])
    expect(await inDlq(dead.dlqId)).toBe(true)
  })

  it('404 for an unknown DLQ id', async () => {
    const missing = await failure(retry('dlq_unknown'))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Dead-letter message not found')
  })

  it('needs sys:task:exec (403 for the test user and for a holder of sys:task:view)', async () => {
    const dead = await deadTask()
    const test = await login('test')
    expect((await failure(retry(dead.dlqId, test.accessToken))).status).toBe(403)
    expect((await retry(dead.dlqId, await signedInWith(['sys:task:view']))).status).toBe(403)
    expect(await inDlq(dead.dlqId)).toBe(true)
    expect((await retry(dead.dlqId, await signedInWith(['sys:task:exec']))).status).toBe(200)
    expect(await inDlq(dead.dlqId)).toBe(false)
  })
})
