/**
 * Submitting (docs/tasks.md, "Submitting"): args are validated at submit time (422, never a failing delivery), a row
 * is written PENDING with the QStash message id, and a deduplication id submits once — unless the first submission
 * never reached QStash, which the next one publishes.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { ValidationError } from '../../../src/core/errors'
import { taskResult } from '../../../src/domains/tasks/schema'
import { taskIdFor } from '../../../src/domains/tasks/submitter'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { unique } from '../../helpers/fixtures'
import { expectLogs } from '../../helpers/logs'
import { submitTask } from './helpers'

const rowsOf = (taskId: string) => fileDb().select().from(taskResult).where(eq(taskResult.taskId, taskId))

/** Far-off delivery: these tests look at submissions only (the emulator runs at 1/1000 of real time). */
const HELD = { delayMs: 36_000_000 }

beforeAll(async () => {
  await seedFileDatabase()
})

describe('submit', () => {
  it('refuses unknown tasks and invalid args with field errors, writing nothing', async () => {
    const before = (await fileDb().select().from(taskResult)).length
    await expect(submitTask('no.such_task', {})).rejects.toMatchObject({
      status: 422,
      errors: [{ loc: ['task'], type: 'unknown_task' }],
    })
    const bad = await submitTask('test.count', { label: 7 }).catch((err: unknown) => err)
    expect(bad).toBeInstanceOf(ValidationError)
    expect(bad).toMatchObject({ errors: [{ loc: ['args', 'label'] }] })
    // Positional args fill the schema's keys in order; one too many is refused.
    await expect(submitTask('test.count', {}, { positional: ['a', 'b'] })).rejects.toMatchObject({
      errors: [{ loc: ['args'] }],
    })
    expect((await fileDb().select().from(taskResult)).length).toBe(before)
  })

  it('records the row PENDING with the QStash message id', async () => {
    const label = unique('row')
    const { task_id, created } = await submitTask('test.count', {}, { ...HELD, positional: [label] })
    expect(created).toBe(true)
    const [row] = await rowsOf(task_id)
    expect(row).toMatchObject({ status: 'PENDING', name: 'test.count', args: [label], kwargs: {} })
    expect(row?.messageId).toMatch(/^msg_/)
  })

  it('with a deduplication id submits once', async () => {
    const dedupId = unique('dedup')
    const first = await submitTask('test.count', { label: 'x' }, { ...HELD, dedupId })
    const second = await submitTask('test.count', { label: 'x' }, { ...HELD, dedupId })
    expect(second).toEqual({ task_id: first.task_id, created: false })
    expect(await rowsOf(first.task_id)).toHaveLength(1)
  })

  it('publishes a deduplicated submission again when the first never reached QStash', async () => {
    // The SDK prints its own line for the failed call.
    const logs = expectLogs({ msg: 'task not queued' }, /^\[Upstash QStash\]/)
    const dedupId = unique('unqueued')
    const down = { QSTASH_URL: 'http://127.0.0.1:9', QSTASH_TIMEOUT_MS: '500' }
    const failed = await submitTask('test.count', { label: 'y' }, { ...HELD, dedupId }, down).catch((e: unknown) => e)
    expect(failed).toMatchObject({ status: 503 })
    expect(logs.entries).toMatchObject([{ msg: 'task not queued' }])
    const [unqueued] = await rowsOf(await taskIdFor(dedupId))
    expect(unqueued).toMatchObject({ status: 'FAILURE', messageId: null })
    expect(unqueued?.traceback).toMatch(/^not queued/)

    const again = await submitTask('test.count', { label: 'y' }, { ...HELD, dedupId })
    expect(again).toEqual({ task_id: unqueued?.taskId, created: true })
    const [queued] = await rowsOf(again.task_id)
    expect(queued).toMatchObject({ status: 'PENDING', traceback: null, dateDone: null })
    expect(queued?.messageId).toMatch(/^msg_/)
  })
})
