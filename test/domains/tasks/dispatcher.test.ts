/**
 * The scheduler dispatcher (src/domains/tasks/dispatcher.ts) on this file's database and the QStash emulator, driven
 * with fixed clock values: due schedules submit their task once per firing, even from overlapping runs; after
 * downtime one catch-up; one-off, expired and unrunnable schedules are switched off.
 */
import { env } from 'cloudflare:workers'
import { eq, sql } from 'drizzle-orm'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { appCatalogue } from '../../../src/app/domains'
import { loadConfig } from '../../../src/core/config'
import { DEFAULT_LANG } from '../../../src/core/i18n'
import { createLogger } from '../../../src/core/logging'
import { type DispatchSummary, dispatchSchedules, firingDedupId } from '../../../src/domains/tasks/dispatcher'
import { type NewTaskScheduler, SCHEDULE_TYPES, taskResult, taskScheduler } from '../../../src/domains/tasks/schema'
import { QstashTaskSubmitter, taskIdFor } from '../../../src/domains/tasks/submitter'
import { createQstash } from '../../../src/infra/qstash'
import { fileDb, migrateFileDatabase } from '../../helpers/database'
import { unique } from '../../helpers/fixtures'
import { fileBindings } from '../../helpers/isolation'
import { expectLogs } from '../../helpers/logs'
import { submitter, UNREACHABLE } from './direct-submit'

const at = (iso: string) => new Date(iso)
const CREATED = at('2026-05-16T10:30:00Z')

beforeAll(migrateFileDatabase)
// Every test starts with no schedules, so a run's summary counts only the test's own.
beforeEach(async () => {
  await fileDb().delete(taskScheduler)
})

const dispatch = (now: string, overrides: Partial<Parameters<typeof dispatchSchedules>[0]> = {}) =>
  dispatchSchedules({
    db: fileDb(),
    submitter: submitter(),
    registry: appCatalogue().tasks,
    now: at(now),
    timezone: 'UTC',
    logger: createLogger({ test: 'dispatcher' }, 'warn'),
    ...overrides,
  })

const summary = (fields: Partial<DispatchSummary>): DispatchSummary => ({
  submitted: 0,
  skipped: 0,
  disabled: 0,
  failed: 0,
  ...fields,
})

/** A schedule created at 10:30 UTC on 2026-05-16 (hourly demo-params crontab unless told otherwise). */
async function schedule(fields: Partial<NewTaskScheduler> = {}) {
  const [row] = await fileDb()
    .insert(taskScheduler)
    .values({
      name: unique('schedule'),
      task: 'task_demo_params',
      args: ['你好，'],
      kwargs: { world: '世界' },
      type: SCHEDULE_TYPES.crontab,
      crontab: '0 * * * *',
      createdTime: CREATED,
      ...fields,
    })
    .returning()
  if (!row) throw new Error('schedule not inserted')
  return row
}

const reread = async (id: number) => {
  const [row] = await fileDb().select().from(taskScheduler).where(eq(taskScheduler.id, id))
  return row
}

const submittedBy = (id: number) => fileDb().select().from(taskResult).where(eq(taskResult.schedulerId, id))

describe('dispatchSchedules', () => {
  it('submits a due schedule’s task with its args and records the run; nothing more until the next firing', async () => {
    const hourly = await schedule()
    expect(await dispatch('2026-05-16T10:59:00Z')).toEqual(summary({}))
    expect(await dispatch('2026-05-16T11:00:00Z')).toEqual(summary({ submitted: 1 }))

    const [task] = await submittedBy(hourly.id)
    expect(task).toMatchObject({
      taskId: await taskIdFor(firingDedupId(hourly.id, at('2026-05-16T11:00:00Z'))),
      name: 'task_demo_params',
      args: ['你好，'],
      kwargs: { world: '世界' },
      status: 'PENDING',
    })
    expect(task?.messageId).toBeTruthy()
    expect(await reread(hourly.id)).toMatchObject({
      lastRunTime: at('2026-05-16T11:00:00Z'),
      totalRunCount: 1,
      enabled: true,
    })

    expect(await dispatch('2026-05-16T11:01:00Z')).toEqual(summary({}))
    expect(await dispatch('2026-05-16T12:00:00Z')).toEqual(summary({ submitted: 1 }))
    expect(await submittedBy(hourly.id)).toHaveLength(2)
    expect(await reread(hourly.id)).toMatchObject({ lastRunTime: at('2026-05-16T12:00:00Z'), totalRunCount: 2 })
  })

  it('fires interval schedules on their grid', async () => {
    const everyTenMinutes = await schedule({
      type: SCHEDULE_TYPES.interval,
      intervalEvery: 10,
      intervalPeriod: 'minutes',
      startTime: at('2026-05-16T11:05:00Z'),
    })
    expect(await dispatch('2026-05-16T11:04:00Z')).toEqual(summary({}))
    expect(await dispatch('2026-05-16T11:05:00Z')).toEqual(summary({ submitted: 1 }))
    expect(await dispatch('2026-05-16T11:14:00Z')).toEqual(summary({}))
    expect(await dispatch('2026-05-16T11:15:00Z')).toEqual(summary({ submitted: 1 }))
    expect(await reread(everyTenMinutes.id)).toMatchObject({
      lastRunTime: at('2026-05-16T11:15:00Z'),
      totalRunCount: 2,
    })
  })

  it('overlapping runs at the same tick submit each firing once and count it once', async () => {
    const rows = await Promise.all([schedule(), schedule(), schedule()])
    const runs = await Promise.all([
      dispatch('2026-05-16T11:00:00Z'),
      dispatch('2026-05-16T11:00:00Z'),
      dispatch('2026-05-16T11:00:00Z'),
    ])
    expect(runs.reduce((sum, run) => sum + run.submitted, 0)).toBe(3)
    expect(runs.reduce((sum, run) => sum + run.submitted + run.skipped, 0)).toBe(9)
    for (const row of rows) {
      expect(await submittedBy(row.id)).toHaveLength(1)
      expect(await reread(row.id)).toMatchObject({ totalRunCount: 1, lastRunTime: at('2026-05-16T11:00:00Z') })
    }
  })

  it('a firing submitted but never recorded (the run stopped in between) is recorded without a second task', async () => {
    const hourly = await schedule()
    expect(await dispatch('2026-05-16T11:00:00Z')).toEqual(summary({ submitted: 1 }))
    await fileDb()
      .update(taskScheduler)
      .set({ lastRunTime: null, totalRunCount: 0 })
      .where(eq(taskScheduler.id, hourly.id))
    expect(await dispatch('2026-05-16T11:00:30Z')).toEqual(summary({ submitted: 1 }))
    expect(await submittedBy(hourly.id)).toHaveLength(1)
    expect(await reread(hourly.id)).toMatchObject({ lastRunTime: at('2026-05-16T11:00:00Z'), totalRunCount: 1 })
  })

  it('after downtime runs the latest missed firing once', async () => {
    const stalled = await schedule({ lastRunTime: at('2026-05-16T06:00:00Z'), totalRunCount: 3 })
    expect(await dispatch('2026-05-16T12:00:05Z')).toEqual(summary({ submitted: 1 }))
    expect(await dispatch('2026-05-16T12:01:00Z')).toEqual(summary({}))
    const tasks = await submittedBy(stalled.id)
    expect(tasks).toHaveLength(1)
    expect(tasks[0]?.taskId).toBe(await taskIdFor(firingDedupId(stalled.id, at('2026-05-16T12:00:00Z'))))
    expect(await reread(stalled.id)).toMatchObject({ lastRunTime: at('2026-05-16T12:00:00Z'), totalRunCount: 4 })
  })

  it('a one-off schedule runs once and is switched off in the same write', async () => {
    const once = await schedule({ oneOff: true })
    expect(await dispatch('2026-05-16T11:00:00Z')).toEqual(summary({ submitted: 1 }))
    expect(await reread(once.id)).toMatchObject({ enabled: false, totalRunCount: 1 })
    expect(await dispatch('2026-05-16T12:00:00Z')).toEqual(summary({}))
    expect(await submittedBy(once.id)).toHaveLength(1)
  })

  it('leaves disabled schedules alone, and drops a firing older than expire_seconds without switching off', async () => {
    const off = await schedule({ enabled: false })
    const strict = await schedule({ expireSeconds: 60 })
    expect(await dispatch('2026-05-16T11:02:00Z')).toEqual(summary({ skipped: 1 }))
    expect(await submittedBy(off.id)).toHaveLength(0)
    expect(await submittedBy(strict.id)).toHaveLength(0)
    // Handled, not run: the next tick leaves it be.
    expect(await reread(strict.id)).toMatchObject({
      enabled: true,
      totalRunCount: 0,
      lastRunTime: at('2026-05-16T11:00:00Z'),
    })
    expect(await dispatch('2026-05-16T11:03:00Z')).toEqual(summary({}))
    expect(await dispatch('2026-05-16T12:00:00Z')).toEqual(summary({ submitted: 1 }))
    expect(await reread(strict.id)).toMatchObject({ totalRunCount: 1, lastRunTime: at('2026-05-16T12:00:00Z') })
  })

  it('switches off, with the reason logged, schedules that are expired, unknown, unreadable or whose args fail', async () => {
    const logs = expectLogs({ msg: 'schedule disabled' })
    const expired = await schedule({ expireTime: at('2026-05-16T10:45:00Z') })
    const unknown = await schedule({ task: 'no_such_task' })
    const badArgs = await schedule({ args: [], kwargs: { world: 42 } })
    const notAnArray = await schedule({ args: null, kwargs: null, task: 'task_demo' })
    // Written around the API, which stores only arrays.
    await fileDb().run(sql`update task_scheduler set args = '{"not":"an array"}' where id = ${notAnArray.id}`)
    const brokenCrontab = await schedule({ crontab: '0 0 30 2 *' })
    const healthy = await schedule()

    expect(await dispatch('2026-05-16T11:00:00Z')).toEqual(summary({ submitted: 1, disabled: 5 }))
    for (const row of [expired, unknown, badArgs, notAnArray, brokenCrontab]) {
      expect(await reread(row.id)).toMatchObject({ enabled: false, totalRunCount: 0 })
      expect(await submittedBy(row.id)).toHaveLength(0)
    }
    expect(await reread(healthy.id)).toMatchObject({ enabled: true, totalRunCount: 1 })
    const reasons = Object.fromEntries(logs.entries.map((entry) => [entry.scheduler_id, entry.reason]))
    expect(reasons).toEqual({
      [expired.id]: 'expire_time passed',
      [unknown.id]: 'task not registered',
      [badArgs.id]: 'args do not validate',
      [notAnArray.id]: 'args must be a JSON array and kwargs a JSON object',
      [brokenCrontab.id]: 'crontab: matches no date',
    })
    expect(logs.entries.every((entry) => entry.level === 'warn')).toBe(true)
  })

  it('overlapping runs switch a schedule off once, logging it once', async () => {
    const logs = expectLogs({ msg: 'schedule disabled' })
    await schedule({ task: 'no_such_task' })
    const runs = await Promise.all([dispatch('2026-05-16T11:00:00Z'), dispatch('2026-05-16T11:00:00Z')])
    expect(runs.reduce((sum, run) => sum + run.disabled, 0)).toBe(1)
    expect(logs.entries).toHaveLength(1)
  })

  it('reads crontabs in the timezone it is given', async () => {
    const nine = await schedule({ crontab: '0 9 * * *', createdTime: at('2026-05-16T00:00:00Z') })
    expect(await dispatch('2026-05-17T01:00:00Z', { timezone: 'UTC' })).toEqual(summary({ submitted: 1 }))
    expect(await reread(nine.id)).toMatchObject({ lastRunTime: at('2026-05-16T09:00:00Z') })
    expect(await dispatch('2026-05-17T01:00:00Z', { timezone: 'Asia/Shanghai' })).toEqual(summary({ submitted: 1 }))
    expect(await reread(nine.id)).toMatchObject({ lastRunTime: at('2026-05-17T01:00:00Z') })
  })

  it('leaves a firing due when QStash cannot take it, and submits it on the next tick', async () => {
    const hourly = await schedule()
    const logs = expectLogs({ msg: 'schedule not submitted' }, { msg: 'task not queued' }, /\[Upstash QStash\]/)
    const config = loadConfig({ ...env, ...fileBindings, ...UNREACHABLE, QSTASH_URL: 'http://127.0.0.1:9' })
    const down = new QstashTaskSubmitter({
      db: fileDb(),
      qstash: createQstash(config),
      config,
      registry: appCatalogue().tasks,
      logger: createLogger({ test: 'dispatcher' }, 'warn'),
      lang: DEFAULT_LANG,
    })
    expect(await dispatch('2026-05-16T11:00:00Z', { submitter: down })).toEqual(summary({ failed: 1 }))
    expect(logs.entries.map((entry) => entry.msg)).toContain('schedule not submitted')
    expect(await reread(hourly.id)).toMatchObject({ lastRunTime: null, totalRunCount: 0 })
    // The next tick takes the same firing (same task id): recorded once, one task result.
    expect(await dispatch('2026-05-16T11:01:00Z')).toEqual(summary({ submitted: 1 }))
    expect(await reread(hourly.id)).toMatchObject({ lastRunTime: at('2026-05-16T11:00:00Z'), totalRunCount: 1 })
    expect(await submittedBy(hourly.id)).toHaveLength(1)
  })
})
