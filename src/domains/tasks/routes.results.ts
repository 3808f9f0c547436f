/**
 * `/tasks/*` and `/task-results*` (docs/fba-compatibility.md, "Tasks"): fba's registered tasks, cancel and task
 * results, plus the Stratum extensions `/tasks/stats` and the dead-letter queue `/tasks/dlq`.
 */
import type { Context } from 'hono'
import { formatDateTime } from '../../core/datetime'
import { toPage } from '../../core/pagination'
import { pkParam } from '../../core/schemas'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonBody, jsonEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { required } from '../../infra/services'
import { deliveryUrl } from '../events/dlq'
import type { AppCatalogue } from '../module'
import { TaskDlq } from './dlq'
import { TASK_PERMS } from './perms'
import {
  DeleteTaskResultsBodySchema,
  DlqIdParamSchema,
  DlqListQuerySchema,
  DlqPageSchema,
  DlqRetrySchema,
  PageTaskResultSchema,
  RegisteredTaskSchema,
  TaskIdParamSchema,
  TaskResultListQuerySchema,
  TaskResultSchema,
  TaskStatsQuerySchema,
  TaskStatsSchema,
  toTaskResult,
} from './results-dto'
import { TaskResultService } from './results-service'
import { tasksOf } from './submitter'

const TAGS = ['Tasks']

const registered = defineRoute({
  method: 'get',
  path: '/tasks/registered',
  tags: TAGS,
  summary: 'Registered tasks',
  description: 'Every task of every module and plugin: `name` is its summary, `task` its registered name.',
  access: { permission: TASK_PERMS.view },
  responses: { 200: jsonEnvelope(z.array(RegisteredTaskSchema), 'Registered tasks') },
})

const cancel = defineRoute({
  method: 'delete',
  path: '/tasks/{task_id}/cancel',
  tags: TAGS,
  summary: 'Cancel a task',
  description:
    'Marks the task REVOKED and cancels its QStash message: a task not yet delivered never runs; a running one is not ' +
    'interrupted, but its outcome is discarded. 409 once it is SUCCESS, FAILURE or REVOKED.',
  access: { permission: TASK_PERMS.revoke },
  errors: [404, 409],
  request: { params: TaskIdParamSchema },
  responses: { 200: jsonEnvelope(z.null(), 'Revoked') },
})

const stats = defineRoute({
  method: 'get',
  path: '/tasks/stats',
  tags: TAGS,
  summary: 'Task counts per name and status (Stratum)',
  description: 'Counts the tasks submitted in the last `hours` hours, per task name and status.',
  access: { permission: TASK_PERMS.view },
  request: { query: TaskStatsQuerySchema },
  responses: { 200: jsonEnvelope(TaskStatsSchema, 'Counts') },
})

const dlqList = defineRoute({
  method: 'get',
  path: '/tasks/dlq',
  tags: TAGS,
  summary: 'Dead-lettered tasks (Stratum)',
  description:
    "Tasks whose QStash message used up its retries, newest first, from QStash's DLQ (only messages addressed to " +
    "this app's delivery route). Cursor-paged as QStash pages: pass the answer's `cursor` for the next page; a page " +
    'may hold fewer than `size` items.',
  access: { permission: TASK_PERMS.view },
  sensitive: true,
  request: { query: DlqListQuerySchema },
  responses: { 200: jsonEnvelope(DlqPageSchema, 'One page of the DLQ') },
})

const dlqRetry = defineRoute({
  method: 'post',
  path: '/tasks/dlq/{dlq_id}/retry',
  tags: TAGS,
  summary: 'Retry a dead-lettered task (Stratum)',
  description:
    'Submits the task again with its original args (a new task id) and removes the DLQ entry. Retrying the same ' +
    'entry twice submits once. 404 when the entry or the task result it refers to is gone; 422 when the task is no ' +
    'longer registered or its args no longer validate.',
  access: { permission: TASK_PERMS.exec },
  errors: [404],
  request: { params: DlqIdParamSchema },
  responses: { 200: jsonEnvelope(DlqRetrySchema, 'Submitted again') },
})

const list = defineRoute({
  method: 'get',
  path: '/task-results',
  tags: TAGS,
  summary: 'Task results, paged (newest first)',
  access: { permission: TASK_PERMS.view },
  sensitive: true,
  request: { query: TaskResultListQuerySchema },
  responses: { 200: jsonEnvelope(PageTaskResultSchema, 'Page of task results') },
})

const detail = defineRoute({
  method: 'get',
  path: '/task-results/{pk}',
  tags: TAGS,
  summary: 'Task result detail',
  access: { permission: TASK_PERMS.view },
  sensitive: true,
  errors: [404],
  request: { params: pkParam('Task result id') },
  responses: { 200: jsonEnvelope(TaskResultSchema, 'Task result') },
})

const remove = defineRoute({
  method: 'delete',
  path: '/task-results',
  tags: TAGS,
  summary: 'Delete task results by id',
  access: { permission: TASK_PERMS.del },
  request: jsonBody(DeleteTaskResultsBodySchema),
  responses: { 200: jsonEnvelope(z.null(), 'Deleted') },
})

function service(c: Context<AppEnv>): TaskResultService {
  const services = c.get('services')
  return new TaskResultService(required(services.db, 'database'), {
    qstash: () => services.qstash,
    logger: c.get('logger'),
  })
}

const dlq = (c: Context<AppEnv>) =>
  new TaskDlq(required(c.get('services').qstash, 'qstash'), deliveryUrl(c.get('config')))

export function taskResultRoutes(app: AppCatalogue) {
  return createRouter()
    .openapi(registered, (c) =>
      ok(
        c,
        app.tasks.all().map((d) => ({ name: d.summary, task: d.name })),
      ),
    )
    .openapi(cancel, async (c) => {
      await service(c).cancel(c.req.valid('param').task_id)
      return ok(c, null)
    })
    .openapi(stats, async (c) => {
      const { hours } = c.req.valid('query')
      const { since, items } = await service(c).stats(hours)
      return ok(c, { since: formatDateTime(since) ?? '', hours, items })
    })
    .openapi(dlqList, async (c) => {
      const { size, cursor } = c.req.valid('query')
      return ok(c, await dlq(c).list(size, cursor))
    })
    .openapi(dlqRetry, async (c) => {
      const submitter = tasksOf(c)
      const taskId = await dlq(c).retry(c.req.valid('param').dlq_id, submitter.results, submitter)
      return ok(c, { task_id: taskId })
    })
    .openapi(list, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await service(c).list(query)
      return ok(c, toPage(items.map(toTaskResult), total, query, c.req.url))
    })
    .openapi(detail, async (c) => ok(c, toTaskResult(await service(c).get(c.req.valid('param').pk))))
    .openapi(remove, async (c) => {
      await service(c).delete(c.req.valid('json').pks)
      return ok(c, null)
    })
}
