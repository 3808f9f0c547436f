/**
 * The scheduler dispatcher, run by the cron trigger once a minute (src/app/scheduled.ts): for every enabled schedule
 * with a due firing (./schedule.ts) it submits the schedule's task, then records the run.
 *
 * Exactly one submission per firing, even when two runs overlap: the submission's deduplication id is the schedule
 * id plus the firing's time, so the second run's submit finds the first one's task (same task id, insert-or-ignore;
 * QStash deduplicates the publish too), and the run is recorded only if `last_run_time` is still what the run read.
 * A schedule whose task is unknown or whose args do not validate is disabled with the reason logged.
 */
import type { Logger } from '../../core/logging'
import { describeError } from '../../core/logging'
import type { RepositoryDb } from '../../infra/db/repository'
import type { TaskSubmitter } from './define'
import { type TaskRegistry, taskArgs } from './registry'
import { type Firing, firingOf } from './schedule'
import { SchedulerRepository } from './scheduler-repository'
import type { TaskScheduler } from './schema'

export interface DispatchDeps {
  db: RepositoryDb
  submitter: TaskSubmitter
  registry: TaskRegistry
  /** The cron tick (`controller.scheduledTime`): firings at or before it are due. */
  now: Date
  /** IANA timezone of crontab fields (config `DATETIME_TIMEZONE`). */
  timezone: string
  logger: Logger
  /** Submissions in flight at once (default 8). */
  concurrency?: number
}

export interface DispatchSummary {
  /** Firings submitted and recorded by this run. */
  submitted: number
  /** Due firings this run did not submit: dropped past their `expire_seconds`, or recorded by an overlapping run. */
  skipped: number
  /** Schedules switched off: expired, one-off done, unknown task, invalid args or an unreadable schedule. */
  disabled: number
  /** Submissions that failed (QStash unavailable…); the firing stays due and is tried again on the next tick. */
  failed: number
}

/** The deduplication id of one firing of one schedule: the same firing submits the same task. */
export const firingDedupId = (schedulerId: number, due: Date) => `scheduler:${schedulerId}:${due.getTime()}`

const DEFAULT_CONCURRENCY = 8

export async function dispatchSchedules(deps: DispatchDeps): Promise<DispatchSummary> {
  const { db, now, timezone, logger } = deps
  const schedulers = new SchedulerRepository(db)
  const summary: DispatchSummary = { submitted: 0, skipped: 0, disabled: 0, failed: 0 }

  const disable = async (row: TaskScheduler, reason: string, fields: Record<string, unknown> = {}) => {
    if (!(await schedulers.disable(row.id))) return
    summary.disabled++
    logger.warn('schedule disabled', { scheduler_id: row.id, scheduler: row.name, task: row.task, reason, ...fields })
  }

  const due: { row: TaskScheduler; at: Date; call: TaskCall }[] = []
  for (const row of await schedulers.enabled()) {
    const firing: Firing = firingOf(row, { now, timezone })
    switch (firing.state) {
      case 'idle':
        break
      case 'late':
        // Recorded as handled (not as a run), so the next tick does not weigh the same firing again.
        if (await schedulers.recordFiring(row.id, row.lastRunTime, firing.at, { ran: false, disable: false })) {
          summary.skipped++
          logger.info('schedule firing expired', {
            scheduler_id: row.id,
            scheduler: row.name,
            due: firing.at.toISOString(),
            expire_seconds: row.expireSeconds,
          })
        }
        break
      case 'done':
        await disable(row, firing.reason === 'expired' ? 'expire_time passed' : 'one-off schedule has fired')
        break
      case 'invalid':
        await disable(row, firing.reason)
        break
      case 'due': {
        const call = taskCall(deps.registry, row)
        if ('reason' in call) await disable(row, call.reason, call.fields)
        else due.push({ row, at: firing.at, call })
      }
    }
  }

  await inParallel(due, deps.concurrency ?? DEFAULT_CONCURRENCY, async ({ row, at, call }) => {
    try {
      await deps.submitter.submit(row.task, call.kwargs, {
        positional: call.args,
        dedupId: firingDedupId(row.id, at),
        schedulerId: row.id,
      })
    } catch (err) {
      summary.failed++
      logger.error('schedule not submitted', { scheduler_id: row.id, scheduler: row.name, ...describeError(err) })
      return
    }
    if (await schedulers.recordFiring(row.id, row.lastRunTime, at, { ran: true, disable: row.oneOff }))
      summary.submitted++
    else summary.skipped++
  })
  return summary
}

/** A schedule's stored args as the submitter takes them. */
export interface TaskCall {
  args: unknown[]
  kwargs: Record<string, unknown>
}

/**
 * The stored args and kwargs (absent → none), or undefined when they are not an array and an object: the API stores
 * only those, but a row written around it may hold any JSON.
 */
export function storedCall(row: Pick<TaskScheduler, 'args' | 'kwargs'>): TaskCall | undefined {
  const args: unknown = row.args ?? []
  const kwargs: unknown = row.kwargs ?? {}
  return Array.isArray(args) && isPlainObject(kwargs) ? { args, kwargs } : undefined
}

/**
 * The args to submit the schedule's task with, or why it cannot run: the task is not registered, or the stored args
 * (written around the API, or before the task's schema changed) do not validate.
 */
function taskCall(
  registry: TaskRegistry,
  row: TaskScheduler,
): TaskCall | { reason: string; fields?: Record<string, unknown> } {
  const definition = registry.get(row.task)
  if (!definition) return { reason: 'task not registered' }
  const call = storedCall(row)
  if (!call) return { reason: 'args must be a JSON array and kwargs a JSON object' }
  const parsed = taskArgs(definition, call.kwargs, call.args)
  if (parsed.success) return call
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
  return { reason: 'args do not validate', fields: { issues } }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await work(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker))
}
