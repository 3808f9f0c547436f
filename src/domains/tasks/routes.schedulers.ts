/**
 * `/schedulers*` (docs/fba-compatibility.md, "Tasks"; docs/tasks.md, "Scheduling"): fba's schedule CRUD, status
 * toggle and "run now". Reads need `sys:task:view` (a schedule's args may hold personal data); writes need
 * `sys:task:add|edit|del|exec`.
 */
import { toPage } from '../../core/pagination'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import type { AppCatalogue } from '../module'
import { TASK_PERMS } from './perms'
import { MIN_INTERVAL_SECONDS } from './schedule'
import {
  ExecutedSchema,
  PageSchedulerSchema,
  SchedulerBodySchema,
  SchedulerListQuerySchema,
  SchedulerPkParamSchema,
  SchedulerSchema,
  toScheduler,
} from './scheduler-dto'
import { SchedulerService, schedulerServiceDeps } from './scheduler-service'

const TAGS = ['Tasks']

const RULES =
  'A unique name (409). type 1: a 5-field crontab (minute hour day-of-month month day-of-week, Celery syntax, read in ' +
  `DATETIME_TIMEZONE; 400 otherwise). type 0: interval_every and interval_period, at least ${MIN_INTERVAL_SECONDS} ` +
  'seconds (400 otherwise). Not both expire_time and expire_seconds (409). The task must be registered and its ' +
  'args (positional, then kwargs) must validate (422).'

const all = defineRoute({
  method: 'get',
  path: '/schedulers/all',
  tags: TAGS,
  summary: 'Every schedule',
  access: { permission: TASK_PERMS.view },
  sensitive: true,
  responses: { 200: jsonEnvelope(z.array(SchedulerSchema), 'Schedules, oldest first') },
})

const detail = defineRoute({
  method: 'get',
  path: '/schedulers/{pk}',
  tags: TAGS,
  summary: 'A schedule',
  access: { permission: TASK_PERMS.view },
  sensitive: true,
  errors: [404],
  request: { params: SchedulerPkParamSchema },
  responses: { 200: jsonEnvelope(SchedulerSchema, 'Schedule') },
})

const list = defineRoute({
  method: 'get',
  path: '/schedulers',
  tags: TAGS,
  summary: 'Schedules, paged (oldest first)',
  access: { permission: TASK_PERMS.view },
  sensitive: true,
  request: { query: SchedulerListQuerySchema },
  responses: { 200: jsonEnvelope(PageSchedulerSchema, 'Page of schedules') },
})

const create = defineRoute({
  method: 'post',
  path: '/schedulers',
  tags: TAGS,
  summary: 'Create a schedule',
  description: RULES,
  access: { permission: TASK_PERMS.add },
  errors: [409],
  request: jsonBody(SchedulerBodySchema),
  responses: nullEnvelope('Schedule created'),
})

const update = defineRoute({
  method: 'put',
  path: '/schedulers/{pk}',
  tags: TAGS,
  summary: 'Update a schedule',
  description: `${RULES} Firings before the update do not count: a changed schedule does not catch up.`,
  access: { permission: TASK_PERMS.edit },
  errors: [404, 409],
  request: { params: SchedulerPkParamSchema, ...jsonBody(SchedulerBodySchema) },
  responses: nullEnvelope('Schedule updated'),
})

const toggle = defineRoute({
  method: 'put',
  path: '/schedulers/{pk}/status',
  tags: TAGS,
  summary: 'Switch a schedule on or off',
  description: 'Toggles `enabled`. Switched back on, it does not catch up on firings missed while it was off.',
  access: { permission: TASK_PERMS.edit },
  errors: [404],
  request: { params: SchedulerPkParamSchema },
  responses: nullEnvelope('Toggled'),
})

const remove = defineRoute({
  method: 'delete',
  path: '/schedulers/{pk}',
  tags: TAGS,
  summary: 'Delete a schedule',
  description: 'Tasks it already submitted keep running and keep their results.',
  access: { permission: TASK_PERMS.del },
  errors: [404],
  request: { params: SchedulerPkParamSchema },
  responses: nullEnvelope('Schedule deleted'),
})

const execute = defineRoute({
  method: 'post',
  path: '/schedulers/{pk}/execute',
  tags: TAGS,
  summary: 'Run a schedule’s task now',
  description:
    'Submits the task once with the schedule’s args, enabled or not; its run count and last run time stay as they ' +
    'are. 400 `task.args_invalid` when the task is gone or its args no longer validate. Stratum answers the task id ' +
    '(fba answers null).',
  access: { permission: TASK_PERMS.exec },
  errors: [404],
  request: { params: SchedulerPkParamSchema },
  responses: { 200: jsonEnvelope(ExecutedSchema, 'Task submitted') },
})

export function schedulerRoutes(_app: AppCatalogue) {
  const service = (c: Parameters<typeof schedulerServiceDeps>[0]) => new SchedulerService(schedulerServiceDeps(c))
  return (
    createRouter()
      // `/schedulers/all` before `/schedulers/{pk}`, which would otherwise take it (and refuse `all` as an id).
      .openapi(all, async (c) => ok(c, (await service(c).all()).map(toScheduler)))
      .openapi(detail, async (c) => ok(c, toScheduler(await service(c).get(c.req.valid('param').pk))))
      .openapi(list, async (c) => {
        const query = c.req.valid('query')
        const { items, total } = await service(c).list(query)
        return ok(c, toPage(items.map(toScheduler), total, query, c.req.url))
      })
      .openapi(create, async (c) => {
        await service(c).create(c.req.valid('json'))
        return ok(c, null)
      })
      .openapi(update, async (c) => {
        await service(c).update(c.req.valid('param').pk, c.req.valid('json'))
        return ok(c, null)
      })
      .openapi(toggle, async (c) => {
        await service(c).toggle(c.req.valid('param').pk)
        return ok(c, null)
      })
      .openapi(remove, async (c) => {
        await service(c).delete(c.req.valid('param').pk)
        return ok(c, null)
      })
      .openapi(execute, async (c) => {
        const { task_id } = await service(c).execute(c.req.valid('param').pk)
        return ok(c, { task_id })
      })
  )
}
