/**
 * The consumer route end to end (docs/tasks.md): a task submitted to the QStash emulator is delivered (through the
 * test relay, test/helpers/deliveries.ts) to `POST /api/v1/qstash/deliveries`, runs, and its row moves
 * PENDING → STARTED → SUCCESS | RETRY → FAILURE; deliveries that are unsigned, tampered, expired or for another URL
 * get 401 and run nothing; a redelivered message runs once; a cancelled one never runs.
 */
import { env } from 'cloudflare:workers'
import { z } from '@hono/zod-openapi'
import { Client } from '@upstash/qstash'
import { eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import type { taskResultRoutes } from '../../../src/domains/tasks/routes.results'
import type { schedulerRoutes } from '../../../src/domains/tasks/routes.schedulers'
import { taskResult } from '../../../src/domains/tasks/schema'
import { QSTASH_DELIVERY_PATH as DELIVERY_PATH, QSTASH_FAILURE_PATH } from '../../../src/infra/qstash'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { deliverAll, deliverUntil } from '../../helpers/deliveries'
import { unique } from '../../helpers/fixtures'
import { answer } from '../../helpers/harness'
import { fileBindings, fileRedis } from '../../helpers/isolation'
import { expectLogs } from '../../helpers/logs'
import { roundTrips } from '../../helpers/round-trips'
import { runsKey, submitTask, taskApp, taskHarness } from './helpers'

const bindings = env as unknown as Record<string, string>
const qstash = new Client({ baseUrl: bindings.QSTASH_URL, token: bindings.QSTASH_TOKEN as string })

const rowOf = async (taskId: string) => {
  const [row] = await fileDb().select().from(taskResult).where(eq(taskResult.taskId, taskId))
  return row
}
const statusOf = async (taskId: string) => (await rowOf(taskId))?.status
const runs = async (label: string) => Number((await fileRedis().get<number>(runsKey(label))) ?? 0)
const ended = (taskId: string) => async () => ['SUCCESS', 'FAILURE', 'REVOKED'].includes((await statusOf(taskId)) ?? '')

/** An `Upstash-Signature` made here: for a URL, a body, a time and a key of the test's choosing. */
async function signature(options: { key: string; url: string; body: string; iat?: number }): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(options.body)))
  const body = btoa(String.fromCharCode(...hash))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
  const iat = options.iat ?? Math.floor(Date.now() / 1000)
  return new SignJWT({ body })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('Upstash')
    .setSubject(options.url)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + 300)
    .sign(new TextEncoder().encode(options.key))
}

/**
 * The emulator runs at 1/1000 of real time (test/setup/global-setup.ts): ten hours of delay keep a message
 * undelivered for 36 s, longer than any test here.
 */
const HELD = { delayMs: 36_000_000 }

/** Cancels a held message in QStash, so it is not delivered after the test. */
const release = async (taskId: string) => {
  const messageId = (await rowOf(taskId))?.messageId
  if (messageId) await qstash.messages.delete(messageId)
}

const deliveryUrl = () => `${fileBindings.PUBLIC_URL}${DELIVERY_PATH}`

beforeAll(async () => {
  await seedFileDatabase()
})

describe('a submitted task', () => {
  it('submitted through the API runs, and its SUCCESS result is visible at /task-results', async () => {
    const { accessToken } = await login('admin')
    const schedulers = taskHarness.api<typeof schedulerRoutes>(accessToken)
    const created = await answer(
      schedulers.schedulers.$post({
        json: {
          name: unique('api-run'),
          task: 'task_demo_params',
          args: '["你好，"]',
          kwargs: '{"world": "世界"}',
          type: 1,
          crontab: '0 3 * * *',
        },
      }),
    )
    expect(created.status).toBe(200)
    const [schedule] = (await answer(schedulers.schedulers.all.$get())).data.filter(
      (s) => s.task === 'task_demo_params',
    )
    const run = await answer(schedulers.schedulers[':pk'].execute.$post({ param: { pk: String(schedule?.id) } }))
    const taskId = run.data.task_id
    const delivered = await deliverUntil(ended(taskId), { app: taskApp })
    expect(delivered.map((d) => [d.path, d.status])).toEqual([[DELIVERY_PATH, 200]])
    const results = taskHarness.api<typeof taskResultRoutes>(accessToken)
    const page = await answer(results['task-results'].$get({ query: { task_id: taskId } }))
    expect(page.data.items).toMatchObject([
      { task_id: taskId, name: 'task_demo_params', status: 'SUCCESS', result: '你好，世界', args: ['你好，'] },
    ])
  })

  it('is delivered, runs once and ends SUCCESS with its returned value', async () => {
    const label = unique('ok')
    const { task_id } = await submitTask('test.count', { label })
    expect(await rowOf(task_id)).toMatchObject({ status: 'PENDING', name: 'test.count', kwargs: { label } })
    const delivered = await deliverUntil(ended(task_id), { app: taskApp })
    expect(delivered.map((d) => [d.path, d.status])).toEqual([[DELIVERY_PATH, 200]])
    expect(await rowOf(task_id)).toMatchObject({
      status: 'SUCCESS',
      result: { runs: 1 },
      retries: 0,
      progress: 100,
      traceback: null,
      worker: 'Stratum@local',
    })
    expect((await rowOf(task_id))?.dateDone).toBeInstanceOf(Date)
    expect(await runs(label)).toBe(1)
  })

  it('can submit another task from its handler (the context carries the submitter)', async () => {
    const label = unique('chain')
    const { task_id } = await submitTask('test.chain', { label })
    await deliverUntil(async () => (await runs(label)) === 1 && (await statusOf(task_id)) === 'SUCCESS', {
      app: taskApp,
    })
    const row = await rowOf(task_id)
    expect(row).toMatchObject({ status: 'SUCCESS', progress: 100, progressMsg: 'submitting' })
    const child = z.object({ task_id: z.string(), created: z.literal(true) }).parse(row?.result)
    await deliverUntil(ended(child.task_id), { app: taskApp })
    expect(await rowOf(child.task_id)).toMatchObject({ status: 'SUCCESS', name: 'test.count', result: { runs: 1 } })
  })

  it('that fails is retried its configured number of times, then ends FAILURE with the error', async () => {
    const logs = expectLogs(
      { msg: 'task failed: will retry' },
      { msg: 'task failed' },
      { msg: 'task failure callback' },
    )
    const label = unique('fail')
    const { task_id } = await submitTask('test.fail', { label })
    const delivered = await deliverUntil(
      async () =>
        (await statusOf(task_id)) === 'FAILURE' && logs.entries.some((e) => e.msg === 'task failure callback'),
      { app: taskApp },
    )
    // 1 delivery + 2 retries, each answered 500; then QStash's failure callback.
    expect(delivered.map((d) => [d.path, d.status])).toEqual([
      [DELIVERY_PATH, 500],
      [DELIVERY_PATH, 500],
      [DELIVERY_PATH, 500],
      ['/api/v1/qstash/failures', 200],
    ])
    expect(delivered.slice(0, 3).map((d) => d.headers.get('upstash-retried'))).toEqual(['0', '1', '2'])
    const row = await rowOf(task_id)
    expect(row).toMatchObject({ status: 'FAILURE', retries: 2 })
    expect(row?.traceback).toContain(`boom ${label}`)
    expect(await runs(label)).toBe(3)
    // The message stays in QStash's DLQ.
    const dlq = await qstash.dlq.listMessages()
    expect(dlq.messages.some((m) => m.messageId === row?.messageId)).toBe(true)
  })

  it('that outlives its timeout ends FAILURE', async () => {
    const logs = expectLogs({ msg: 'task failed' }, { msg: 'task failure callback' })
    const label = unique('slow')
    const { task_id } = await submitTask('test.slow', { label })
    // Until QStash's failure callback came too: nothing of this test is left for the next one.
    const delivered = await deliverUntil(async () => logs.entries.some((e) => e.msg === 'task failure callback'), {
      app: taskApp,
    })
    expect(delivered.map((d) => [d.path, d.status])).toEqual([
      [DELIVERY_PATH, 500],
      ['/api/v1/qstash/failures', 200],
    ])
    expect((await rowOf(task_id))?.traceback).toContain('timed out after 300 ms')
    expect(logs.entries[0]).toMatchObject({ task_id, error: 'task timed out after 300 ms' })
  })
})

describe('a delivery', () => {
  const tasks = taskHarness

  it('unsigned, tampered, expired, for another URL or signed with another key gets 401 and runs nothing', async () => {
    const label = unique('refused')
    const { task_id } = await submitTask('test.count', { label }, HELD)
    const body = JSON.stringify({ kind: 'task', task_id, name: 'test.count' })
    const key = bindings.QSTASH_CURRENT_SIGNING_KEY as string
    const now = Math.floor(Date.now() / 1000)
    const attempts: Record<string, string | undefined> = {
      unsigned: undefined,
      garbage: 'not-a-jwt',
      tampered: await signature({ key, url: deliveryUrl(), body: body.replace('test.count', 'test.fail') }),
      expired: await signature({ key, url: deliveryUrl(), body, iat: now - 3600 }),
      'another URL': await signature({ key, url: 'https://elsewhere.example.com/api/v1/qstash/deliveries', body }),
      'another key': await signature({ key: 'sig_not_ours', url: deliveryUrl(), body }),
    }
    for (const [what, sig] of Object.entries(attempts)) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' }
      if (sig) headers['Upstash-Signature'] = sig
      const res = await tasks.send('POST', DELIVERY_PATH, { body, headers })
      expect(res.status, what).toBe(401)
      await res.arrayBuffer()
    }
    expect(await statusOf(task_id)).toBe('PENDING')
    expect(await runs(label)).toBe(0)
    // The real signature over this body verifies (so the refusals above were about the signature).
    const signed = await signature({ key, url: deliveryUrl(), body })
    const res = await tasks.send('POST', DELIVERY_PATH, {
      body,
      headers: { 'Content-Type': 'application/json', 'Upstash-Signature': signed },
    })
    expect(res.status).toBe(200)
    expect(await runs(label)).toBe(1)
    await release(task_id)
  })

  it('signed with the next signing key is accepted (key rotation)', async () => {
    const label = unique('next-key')
    const { task_id } = await submitTask('test.count', { label }, HELD)
    const body = JSON.stringify({ kind: 'task', task_id, name: 'test.count' })
    const signed = await signature({ key: bindings.QSTASH_NEXT_SIGNING_KEY as string, url: deliveryUrl(), body })
    const res = await tasks.send('POST', DELIVERY_PATH, {
      body,
      headers: { 'Content-Type': 'application/json', 'Upstash-Signature': signed },
    })
    expect(res.status).toBe(200)
    expect(await statusOf(task_id)).toBe('SUCCESS')
    await release(task_id)
  })

  it('of a revoked task that arrives anyway is acknowledged and not run', async () => {
    const label = unique('revoked')
    const { task_id } = await submitTask('test.count', { label })
    await fileDb().update(taskResult).set({ status: 'REVOKED' }).where(eq(taskResult.taskId, task_id))
    const delivered = await deliverUntil(async (d) => d.length === 1, { app: taskApp })
    expect(delivered.map((d) => [d.path, d.status])).toEqual([[DELIVERY_PATH, 200]])
    expect(JSON.parse(delivered[0]?.answer ?? '{}')).toMatchObject({ data: { state: 'REVOKED', ran: false } })
    expect(await runs(label)).toBe(0)
  })

  it('delivered again after the task ended is acknowledged and does not run again', async () => {
    const label = unique('again')
    const { task_id } = await submitTask('test.count', { label })
    const [first] = await deliverUntil(ended(task_id), { app: taskApp })
    expect(first?.status).toBe(200)
    // QStash delivers at least once: the same signed request a second time.
    const again = await tasks.send('POST', DELIVERY_PATH, {
      body: first?.body,
      headers: {
        'Content-Type': 'application/json',
        'Upstash-Signature': first?.headers.get('upstash-signature') ?? '',
        'Upstash-Retried': '1',
      },
    })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ data: { task_id, state: 'SUCCESS', ran: false } })
    expect(await runs(label)).toBe(1)
  })

  it("that never answered is ended FAILURE by QStash's failure callback, in one database round trip", async () => {
    const logs = expectLogs({ msg: 'task failure callback' })
    const { task_id } = await submitTask('test.count', { label: unique('gave-up') }, HELD)
    const source = JSON.stringify({ kind: 'task', task_id, name: 'test.count' })
    const body = JSON.stringify({ status: 0, retried: 2, dlqId: 'dlq-gave-up', body: '', sourceBody: btoa(source) })
    const url = `${fileBindings.PUBLIC_URL}${QSTASH_FAILURE_PATH}`
    const signed = await signature({ key: bindings.QSTASH_CURRENT_SIGNING_KEY as string, url, body })
    let recorded: unknown
    const spent = await roundTrips(async () => {
      const res = await tasks.send('POST', QSTASH_FAILURE_PATH, {
        body,
        headers: { 'Content-Type': 'application/json', 'Upstash-Signature': signed },
      })
      recorded = await res.json()
    })
    expect(recorded).toMatchObject({ code: 200, data: { recorded: true } })
    expect(logs.entries[0]).toMatchObject({ task_id, recorded: true })
    const row = await rowOf(task_id)
    expect(row).toMatchObject({ status: 'FAILURE', traceback: 'QStash gave up after 3 attempt(s) (DLQ dlq-gave-up)' })
    // The conditional write answers what the notification needs: the row is not read again.
    expect(spent.db).toBe(1)
    await release(task_id)
  })

  it('of a task cancelled before delivery never runs it', async () => {
    const label = unique('cancelled')
    const { task_id } = await submitTask('test.count', { label }, HELD)
    const { accessToken } = await login('admin')
    const cancelled = await answer(
      tasks.api<typeof taskResultRoutes>(accessToken).tasks[':task_id'].cancel.$delete({ param: { task_id } }),
    )
    expect(cancelled.status).toBe(200)
    expect(await statusOf(task_id)).toBe('REVOKED')
    expect(await deliverAll({ app: taskApp, quietMs: 1_000 })).toEqual([])
    expect(await runs(label)).toBe(0)
  })
})
