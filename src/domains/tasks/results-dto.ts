/**
 * Shapes of `/tasks/*` and `/task-results*` (docs/fba-compatibility.md, "Tasks"): fba's task-result fields plus
 * Stratum's additions (`progress`, `progress_msg`, `scheduler_id`, `created_time`), the registered-task list, and
 * the Stratum extensions `/tasks/stats` and `/tasks/dlq`.
 */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { optionalTextQuery, pksBody } from '../../core/schemas'
import { dlqEntryFields, dlqPageOf } from '../events/dto'
import { TASK_STATUSES, type TaskResult } from './schema'

const DATETIME_EXAMPLE = '2026-11-22 02:00:00'

export const TaskResultSchema = z
  .object({
    id: z.number().int(),
    task_id: z.string().openapi({ example: '0b6f3c1e-6a1d-4d43-9b0e-3f5f0c2b7a91' }),
    status: z.enum(TASK_STATUSES),
    result: z.unknown().openapi({ description: "The handler's return value (JSON); null until it succeeded" }),
    date_done: z.string().nullable().openapi({ example: DATETIME_EXAMPLE }),
    traceback: z.string().nullable().openapi({ description: 'The error and its stack, for a failed attempt' }),
    name: z.string().nullable().openapi({ example: 'task_demo_params' }),
    args: z.array(z.unknown()).nullable().openapi({ description: 'Positional arguments as submitted' }),
    kwargs: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'Named arguments as submitted' }),
    worker: z.string().nullable().openapi({ description: 'What ran the last attempt' }),
    retries: z.number().int().nullable().openapi({ description: 'Attempts after the first' }),
    queue: z.string().nullable(),
    progress: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Stratum: percent reported by the handler (0–100)', example: 40 }),
    progress_msg: z.string().nullable().openapi({ description: 'Stratum: message of the last progress report' }),
    scheduler_id: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Stratum: the schedule that submitted the task, if any' }),
    created_time: z.string().openapi({ description: 'Stratum: when it was submitted', example: DATETIME_EXAMPLE }),
  })
  .openapi('TaskResult')

export type TaskResultOut = z.infer<typeof TaskResultSchema>

export const PageTaskResultSchema = pageSchema(TaskResultSchema).openapi('PageTaskResult')

export function toTaskResult(row: TaskResult): TaskResultOut {
  return {
    id: row.id,
    task_id: row.taskId,
    status: row.status,
    result: row.result ?? null,
    date_done: formatDateTime(row.dateDone),
    traceback: row.traceback,
    name: row.name,
    args: row.args ?? null,
    kwargs: row.kwargs ?? null,
    worker: row.worker,
    retries: row.retries,
    queue: row.queue,
    progress: row.progress,
    progress_msg: row.progressMsg,
    scheduler_id: row.schedulerId,
    created_time: formatDateTime(row.createdTime) ?? '',
  }
}

export const TaskResultListQuerySchema = PageQuerySchema.extend({
  name: optionalTextQuery(155, 'Task name contains'),
  task_id: optionalTextQuery(155, 'Exact task id'),
})

export const DeleteTaskResultsBodySchema = pksBody('DeleteTaskResultsBody')

export const RegisteredTaskSchema = z
  .object({
    name: z.string().openapi({ description: "The task's summary", example: 'Demo task: joins its two arguments' }),
    task: z.string().openapi({ description: 'Registered name', example: 'task_demo_params' }),
  })
  .openapi('RegisteredTask')

export const TaskIdParamSchema = z.object({
  task_id: z
    .string()
    .min(1)
    .max(155)
    .openapi({ param: { name: 'task_id', in: 'path' }, example: '0b6f3c1e-6a1d-4d43-9b0e-3f5f0c2b7a91' }),
})

// ---- /tasks/stats -------------------------------------------------------------------------------------------------

/** The longest window `/tasks/stats` counts over: 30 days. */
export const MAX_STATS_HOURS = 720

export const TaskStatsQuerySchema = z.object({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_STATS_HOURS)
    .default(24)
    .openapi({ description: `Window in hours, counted back from now (1–${MAX_STATS_HOURS})`, example: 24 }),
})

const statusCounts = Object.fromEntries(TASK_STATUSES.map((s) => [s, z.number().int()])) as Record<
  (typeof TASK_STATUSES)[number],
  z.ZodNumber
>

export const TaskStatsItemSchema = z
  .object({
    name: z.string().openapi({ example: 'task_demo' }),
    total: z.number().int(),
    ...statusCounts,
  })
  .openapi('TaskStatsItem')

export const TaskStatsSchema = z
  .object({
    since: z.string().openapi({ description: 'Start of the window', example: DATETIME_EXAMPLE }),
    hours: z.number().int(),
    items: z.array(TaskStatsItemSchema).openapi({ description: 'One per task name, by name' }),
  })
  .openapi('TaskStats')

export type TaskStatsOut = z.infer<typeof TaskStatsSchema>

// ---- /tasks/dlq ---------------------------------------------------------------------------------------------------

export { DlqIdParamSchema, DlqListQuerySchema, MAX_DLQ_PAGE } from '../events/dto'

export const DlqTaskSchema = z
  .object({
    ...dlqEntryFields,
    task_id: z.string(),
    name: z.string().openapi({ example: 'task_demo' }),
  })
  .openapi('DlqTask')

export type DlqTaskOut = z.infer<typeof DlqTaskSchema>

export const DlqPageSchema = dlqPageOf(DlqTaskSchema, 'DlqPage')

export const DlqRetrySchema = z
  .object({ task_id: z.string().openapi({ description: 'The new task (a new task_result row)' }) })
  .openapi('DlqRetry')
