/**
 * When a schedule fires — pure, no I/O (docs/tasks.md, "Scheduling"). The cron trigger runs the dispatcher once a
 * minute; for each enabled `task_scheduler` row it asks `firingOf(row, { now, timezone })` whether a firing is due.
 *
 * - Crontab: 5 fields (minute hour day-of-month month day-of-week), evaluated in `DATETIME_TIMEZONE` by croner. Day of
 *   month and day of week combine with AND, as in Celery (fba's scheduler), not with cron's OR.
 * - Interval: `interval_every × interval_period` on a fixed grid from `start_time` (or the row's creation), so every
 *   firing has one exact time however late the dispatcher runs.
 * - A firing counts when it is at or after `start_time`, after the row was created or last changed, and after
 *   `last_run_time`. Only the latest such firing is due: after downtime a schedule catches up once, not once per miss.
 * - `expire_time` passed: the schedule is done. `expire_seconds`: a firing not dispatched within that many seconds of
 *   the cron tick it fell due on is dropped (Celery's per-message `expires`); the dispatcher records it as handled
 *   (`last_run_time`) without counting a run.
 * - `one_off`: done once its firing has been handled (run, or dropped).
 */
import { Cron } from 'croner'
import { type IntervalPeriod, SCHEDULE_TYPES, type TaskScheduler } from './schema'

/** The cron trigger's period: the dispatcher looks for due firings once a minute. */
export const DISPATCH_PERIOD_MS = 60_000

/** Intervals shorter than the trigger's minute are refused by the API (docs/tasks.md, "Scheduling"). */
export const MIN_INTERVAL_SECONDS = DISPATCH_PERIOD_MS / 1000

const PERIOD_MS: Readonly<Record<IntervalPeriod, number>> = {
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  microseconds: 0.001,
}

/** What decides a schedule's firings. */
export type ScheduleRow = Pick<
  TaskScheduler,
  | 'type'
  | 'crontab'
  | 'intervalEvery'
  | 'intervalPeriod'
  | 'startTime'
  | 'expireTime'
  | 'expireSeconds'
  | 'oneOff'
  | 'totalRunCount'
  | 'lastRunTime'
  | 'createdTime'
  | 'updatedTime'
>

export interface FiringContext {
  now: Date
  /** IANA timezone crontab fields are read in (config `DATETIME_TIMEZONE`). */
  timezone: string
}

export type Firing =
  /** Submit now; `at` is the firing's exact time (part of its deduplication id). */
  | { state: 'due'; at: Date }
  /** A firing fell due but was not dispatched within `expire_seconds`: dropped. */
  | { state: 'late'; at: Date }
  /** Nothing due now. */
  | { state: 'idle' }
  /** The schedule will never fire again: disable it. */
  | { state: 'done'; reason: 'expired' | 'one_off' }
  /** The row cannot be evaluated (a broken crontab or interval written around the API): disable it. */
  | { state: 'invalid'; reason: string }

/** The interval in milliseconds, or undefined when `every` or `period` is missing or not positive. */
export function intervalMs(every: number | null, period: IntervalPeriod | null): number | undefined {
  if (every === null || period === null || !Number.isFinite(every) || every <= 0) return undefined
  const unit = PERIOD_MS[period]
  return unit === undefined ? undefined : every * unit
}

/** One comma-separated item of a Celery crontab field: `*`, a number or a 3-letter name, a range, a step. */
const CRONTAB_ITEM = /^(?:\*|\d+|[a-z]{3})(?:-(?:\d+|[a-z]{3}))?(?:\/\d+)?$/i

/**
 * The croner job for a 5-field crontab, or an error message. Only Celery's syntax is accepted (lists, ranges, steps,
 * day and month names): croner's extensions (`L`, `W`, `#`, `?`, `@daily`, seconds and year fields) are refused, so a
 * schedule means the same here as in fba.
 */
export function parseCrontab(expression: string, timezone = 'UTC'): Cron | string {
  const fields = expression.trim().split(/\s+/)
  if (fields.length !== 5) return `expected 5 fields, got ${fields.length}`
  const odd = fields.flatMap((field) => field.split(',')).find((item) => !CRONTAB_ITEM.test(item))
  if (odd !== undefined) return `unsupported item "${odd}"`
  let cron: Cron
  try {
    cron = new Cron(fields.join(' '), { mode: '5-part', timezone, domAndDow: true })
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
  // A well-formed crontab may still name no real day (`0 0 30 2 *`); it would never run.
  return cron.nextRun(EPOCH) ? cron : 'matches no date'
}

/** Any fixed reference will do: a crontab has no year field, so one that fires at all fires after any date. */
const EPOCH = new Date('2000-01-01T00:00:00Z')

/** True for a crontab the scheduler can run (the API answers 400 `scheduler.crontab_invalid` otherwise). */
export function isValidCrontab(expression: string): boolean {
  return typeof parseCrontab(expression) !== 'string'
}

/** The crontab normalised for storage: trimmed, fields separated by one space. */
export function normaliseCrontab(expression: string): string {
  return expression.trim().split(/\s+/).join(' ')
}

/** The latest firing at or before `now` (ms), undefined when there is none, or an error message. */
function latestFiring(row: ScheduleRow, { now, timezone }: FiringContext): number | undefined | string {
  if (row.type === SCHEDULE_TYPES.crontab) {
    const cron = parseCrontab(row.crontab ?? '', timezone)
    if (typeof cron === 'string') return `crontab: ${cron}`
    // Croner's previous runs are strictly before the reference; crontab firings fall on whole minutes, so one
    // millisecond past `now` makes a firing at exactly `now` count.
    const [previous] = cron.previousRuns(1, new Date(now.getTime() + 1))
    return previous?.getTime()
  }
  if (row.type === SCHEDULE_TYPES.interval) {
    const every = intervalMs(row.intervalEvery, row.intervalPeriod)
    if (every === undefined) return 'interval: interval_every and interval_period must be set and positive'
    const anchor = (row.startTime ?? row.createdTime).getTime()
    const elapsed = now.getTime() - anchor
    if (elapsed < 0) return undefined
    return Math.floor(anchor + Math.floor(elapsed / every) * every)
  }
  return `unknown schedule type ${row.type}`
}

/** The first cron tick at or after `ms`: when the dispatcher could first have seen a firing at `ms`. */
const firstTickAt = (ms: number) => Math.ceil(ms / DISPATCH_PERIOD_MS) * DISPATCH_PERIOD_MS

/** Whether `row` has a firing to submit at `now` (see the module comment for the rules). */
export function firingOf(row: ScheduleRow, context: FiringContext): Firing {
  const now = context.now.getTime()
  if (row.oneOff && (row.totalRunCount > 0 || row.lastRunTime !== null)) return { state: 'done', reason: 'one_off' }
  if (row.expireTime !== null && now > row.expireTime.getTime()) return { state: 'done', reason: 'expired' }

  const latest = latestFiring(row, context)
  if (typeof latest === 'string') return { state: 'invalid', reason: latest }
  if (latest === undefined) return { state: 'idle' }
  // Only firings inside the schedule's window count; the latest firing is outside it, so are all earlier ones.
  if (row.startTime !== null && latest < row.startTime.getTime()) return { state: 'idle' }
  if (latest <= (row.updatedTime ?? row.createdTime).getTime()) return { state: 'idle' }
  if (row.lastRunTime !== null && latest <= row.lastRunTime.getTime()) return { state: 'idle' }

  const at = new Date(latest)
  if (row.expireSeconds !== null && now - firstTickAt(latest) > row.expireSeconds * 1000) return { state: 'late', at }
  return { state: 'due', at }
}
