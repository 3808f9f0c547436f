/**
 * Schedule shapes of the v1 admin API (docs/fba-compatibility.md, "Tasks"): fba's `SchedulerParam` and `Scheduler`.
 *
 * `args`/`kwargs` travel as JSON text, as fba's admin UI sends them and reads them back into its text areas
 * (`'["你好，"]'`); a body may also give them as a JSON array/object. They are stored decoded. Datetimes are the wire
 * format (`YYYY-MM-DD HH:mm:ss`, UTC) in responses; requests may also send ISO 8601 with an offset (the UI's date
 * pickers do). `queue`, `exchange` and `routing_key` are kept for compatibility; QStash does not use them.
 */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { intEnum, nameText, nullableText, optionalFlagQuery, optionalTextQuery, pkParam } from '../../core/schemas'
import { INTERVAL_PERIODS, SCHEDULE_TYPES, type TaskScheduler } from './schema'

const TYPE_DESCRIPTION = '0 interval, 1 crontab'
const INT32_MAX = 2_147_483_647
const DEFAULT_CRONTAB = '* * * * *'

// ---- responses -----------------------------------------------------------------------------------------------------

export const SchedulerSchema = z
  .object({
    id: z.number().int(),
    name: z.string().openapi({ example: '清理登录日志' }),
    task: z.string().openapi({ example: 'delete_db_login_log' }),
    args: z.string().nullable().openapi({ description: 'Positional args, JSON text', example: '["你好，"]' }),
    kwargs: z.string().nullable().openapi({ description: 'Named args, JSON text', example: '{"world":"世界"}' }),
    queue: z.string().nullable(),
    exchange: z.string().nullable(),
    routing_key: z.string().nullable(),
    start_time: z.string().nullable().openapi({ example: '2026-05-16 00:00:00' }),
    expire_time: z.string().nullable(),
    expire_seconds: z.number().int().nullable(),
    type: z.number().int().openapi({ description: TYPE_DESCRIPTION, example: 1 }),
    interval_every: z.number().int().nullable(),
    interval_period: z.enum(INTERVAL_PERIODS).nullable(),
    crontab: z.string().openapi({ example: '0 0 15 * *' }),
    one_off: z.boolean(),
    enabled: z.boolean(),
    total_run_count: z.number().int(),
    last_run_time: z.string().nullable(),
    remark: z.string().nullable(),
    created_time: z.string().openapi({ example: '2026-05-16 12:00:00' }),
    updated_time: z.string().nullable(),
  })
  .openapi('Scheduler')

export type SchedulerOut = z.infer<typeof SchedulerSchema>

export const PageSchedulerSchema = pageSchema(SchedulerSchema).openapi('PageScheduler')

const jsonText = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value))

export function toScheduler(row: TaskScheduler): SchedulerOut {
  return {
    id: row.id,
    name: row.name,
    task: row.task,
    args: jsonText(row.args),
    kwargs: jsonText(row.kwargs),
    queue: row.queue,
    exchange: row.exchange,
    routing_key: row.routingKey,
    start_time: formatDateTime(row.startTime),
    expire_time: formatDateTime(row.expireTime),
    expire_seconds: row.expireSeconds,
    type: row.type,
    interval_every: row.intervalEvery,
    interval_period: row.intervalPeriod,
    crontab: row.crontab ?? DEFAULT_CRONTAB,
    one_off: row.oneOff,
    enabled: row.enabled,
    total_run_count: row.totalRunCount,
    last_run_time: formatDateTime(row.lastRunTime),
    remark: row.remark,
    created_time: formatDateTime(row.createdTime) ?? '',
    updated_time: formatDateTime(row.updatedTime),
  }
}

/** `POST /schedulers/{pk}/execute`: the submitted task (a Stratum addition; fba answers null). */
export const ExecutedSchema = z
  .object({ task_id: z.string().openapi({ description: 'See it at GET /task-results?task_id=…' }) })
  .openapi('SchedulerExecuted')

// ---- requests ------------------------------------------------------------------------------------------------------

export const SchedulerListQuerySchema = PageQuerySchema.extend({
  name: optionalTextQuery(64, 'Name contains'),
  type: optionalFlagQuery(TYPE_DESCRIPTION),
})

export type SchedulerListQuery = z.infer<typeof SchedulerListQuerySchema>

export const SchedulerPkParamSchema = pkParam('Schedule id')

/** `2026-05-16 12:00:00` (UTC, the wire format), optionally with `T` and fractional seconds. */
const WIRE_DATETIME = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d{1,3})?)$/
/** ISO 8601 with an offset (`2026-05-16T04:00:00.000Z`, `…+08:00`), as the admin UI's date pickers send. */
const ZONED_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$/

/** A datetime in the wire format or ISO 8601 with an offset, as a `Date`; blank or null → null. */
const datetimeInput = (description: string) =>
  z
    .string()
    .nullish()
    .transform((value, ctx): Date | null => {
      const text = value?.trim()
      if (!text) return null
      const wire = WIRE_DATETIME.exec(text)
      const date = wire ? new Date(`${wire[1]}T${wire[2]}Z`) : ZONED_DATETIME.test(text) ? new Date(text) : undefined
      if (date && !Number.isNaN(date.getTime())) return date
      ctx.issues.push({ code: 'invalid_format', format: 'datetime', input: text ?? '' })
      return z.NEVER
    })
    .openapi({ type: 'string', description, example: '2026-05-16 12:00:00' })

/** JSON text (or the value itself) of the given kind; blank or null → null. */
function jsonInput<T>(kind: 'array' | 'object', accept: (value: unknown) => value is T, example: string) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T | null => {
      if (value === null || value === undefined || (typeof value === 'string' && !value.trim())) return null
      let decoded: unknown = value
      if (typeof value === 'string') {
        try {
          decoded = JSON.parse(value)
        } catch {
          decoded = undefined
        }
      }
      if (accept(decoded)) return decoded
      ctx.issues.push({ code: 'custom', message: `must be a JSON ${kind}`, input: value })
      return z.NEVER
    })
    .openapi({ type: ['string', kind, 'null'], description: `JSON ${kind}, as text or as is`, example })
}

const isArray = (value: unknown): value is unknown[] => Array.isArray(value)
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Create and update take fba's `SchedulerParam`; the schedule rules (crontab, interval, expiry) are the service's. */
export const SchedulerBodySchema = z
  .object({
    name: nameText(64).openapi({ example: '清理登录日志' }),
    task: z.string().trim().min(1).max(256).openapi({ example: 'delete_db_login_log' }),
    args: jsonInput('array', isArray, '["你好，"]'),
    kwargs: jsonInput('object', isObject, '{"world":"世界"}'),
    queue: nullableText(256),
    exchange: nullableText(256),
    routing_key: nullableText(256),
    start_time: datetimeInput('No firing before this'),
    expire_time: datetimeInput('No firing after this (not with expire_seconds)'),
    expire_seconds: z
      .number()
      .int()
      .min(0)
      .max(INT32_MAX)
      .nullish()
      .transform((v) => v ?? null)
      .openapi({ description: 'A firing not dispatched within this many seconds is dropped (not with expire_time)' }),
    type: intEnum([SCHEDULE_TYPES.interval, SCHEDULE_TYPES.crontab], TYPE_DESCRIPTION),
    interval_every: z
      .number()
      .int()
      .min(1)
      .max(INT32_MAX)
      .nullish()
      .transform((v) => v ?? null),
    interval_period: z
      .enum(INTERVAL_PERIODS)
      .nullish()
      .transform((v) => v ?? null),
    crontab: z
      .string()
      .max(64)
      .nullish()
      .transform((v) => (v?.trim() ? v : DEFAULT_CRONTAB))
      .openapi({ description: 'minute hour day-of-month month day-of-week (type 1)', example: '0 0 15 * *' }),
    one_off: z.boolean().default(false),
    remark: nullableText(),
  })
  .openapi('SchedulerParam')

export type SchedulerBody = z.infer<typeof SchedulerBodySchema>
