/**
 * `task_result` (one row per submitted task, fba's Celery result fields) and `task_scheduler` (fba's schedules).
 * Stratum columns beside fba's: `message_id` (the QStash message, for cancelling), `progress`/`progress_msg` (what
 * the handler reported last), `scheduler_id` (the schedule that submitted it), `user_id` (the user whose request
 * submitted it: its realtime notifications go to that user), `started_time` (the lease of a running attempt) and
 * `created_time` (the stats window). args/kwargs/result are JSON text.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { bool, createdTime, datetime, id, timestamps } from '../../infra/db/columns'

/** Celery's states, as fba's task-result page shows them. */
export const TASK_STATUSES = ['PENDING', 'STARTED', 'SUCCESS', 'FAILURE', 'RETRY', 'REVOKED'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]
/** States a task never leaves. */
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['SUCCESS', 'FAILURE', 'REVOKED']

export const taskResult = sqliteTable(
  'task_result',
  {
    id: id(),
    taskId: text('task_id', { length: 155 }).notNull(),
    status: text('status', { length: 64, enum: TASK_STATUSES }).notNull().default('PENDING'),
    /** The handler's return value (JSON). */
    result: text('result', { mode: 'json' }).$type<unknown>(),
    dateDone: datetime('date_done'),
    traceback: text('traceback'),
    name: text('name', { length: 155 }),
    /** Positional arguments as submitted (a schedule's `args`); JSON array. */
    args: text('args', { mode: 'json' }).$type<unknown[]>(),
    /** Named arguments as submitted; JSON object. */
    kwargs: text('kwargs', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** What ran the last attempt (`worker@<host>`). */
    worker: text('worker', { length: 155 }),
    /** Attempts after the first (QStash's `Upstash-Retried`). */
    retries: integer('retries'),
    /** QStash queue, when the task was published to one; null for plain publishes. */
    queue: text('queue', { length: 155 }),
    messageId: text('message_id', { length: 155 }),
    progress: integer('progress'),
    progressMsg: text('progress_msg', { length: 512 }),
    schedulerId: integer('scheduler_id'),
    /**
     * The user whose request submitted the task (null: a schedule, a task handler, or no signed-in user). No foreign
     * key: a deleted user's results stay, and their notifications then reach nobody.
     */
    userId: integer('user_id'),
    startedTime: datetime('started_time'),
    createdTime: createdTime(),
  },
  (t) => [
    uniqueIndex('task_result_task_id_uq').on(t.taskId),
    index('task_result_name_status_idx').on(t.name, t.status),
    index('task_result_created_time_idx').on(t.createdTime),
  ],
)

export const SCHEDULE_TYPES = { interval: 0, crontab: 1 } as const
export const INTERVAL_PERIODS = ['days', 'hours', 'minutes', 'seconds', 'microseconds'] as const
export type IntervalPeriod = (typeof INTERVAL_PERIODS)[number]

export const taskScheduler = sqliteTable(
  'task_scheduler',
  {
    id: id(),
    name: text('name', { length: 64 }).notNull(),
    task: text('task', { length: 256 }).notNull(),
    args: text('args', { mode: 'json' }).$type<unknown[]>(),
    kwargs: text('kwargs', { mode: 'json' }).$type<Record<string, unknown>>(),
    queue: text('queue', { length: 256 }),
    exchange: text('exchange', { length: 256 }),
    routingKey: text('routing_key', { length: 256 }),
    startTime: datetime('start_time'),
    expireTime: datetime('expire_time'),
    expireSeconds: integer('expire_seconds'),
    /** 0 interval, 1 crontab. */
    type: integer('type').notNull(),
    intervalEvery: integer('interval_every'),
    intervalPeriod: text('interval_period', { length: 256, enum: INTERVAL_PERIODS }),
    crontab: text('crontab', { length: 64 }).default('* * * * *'),
    oneOff: bool('one_off').notNull().default(false),
    enabled: bool('enabled').notNull().default(true),
    totalRunCount: integer('total_run_count').notNull().default(0),
    lastRunTime: datetime('last_run_time'),
    remark: text('remark'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('task_scheduler_name_uq').on(t.name)],
)

export type TaskResult = typeof taskResult.$inferSelect
export type NewTaskResult = typeof taskResult.$inferInsert
export type TaskScheduler = typeof taskScheduler.$inferSelect
export type NewTaskScheduler = typeof taskScheduler.$inferInsert
