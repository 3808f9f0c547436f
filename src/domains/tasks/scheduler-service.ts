/**
 * Schedules (docs/fba-compatibility.md, "Tasks"; docs/tasks.md, "Scheduling"): fba's CRUD with its rules — a unique
 * name (409), a crontab Celery could parse when type is crontab (400), not both expiries (409) — plus Stratum's: an
 * interval needs both of its fields and at least the cron trigger's minute (400), and the task must be registered with
 * args that validate (422), so a schedule saved here never fails when it fires.
 */
import type { Context } from 'hono'
import { BadRequestError, ConflictError, NotFoundError, ValidationError } from '../../core/errors'
import type { AppEnv } from '../../http/context'
import { isUniqueViolation } from '../../infra/db/errors'
import type { ListResult, RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import type { Submitted } from './define'
import { storedCall } from './dispatcher'
import { intervalMs, isValidCrontab, MIN_INTERVAL_SECONDS, normaliseCrontab } from './schedule'
import type { SchedulerBody, SchedulerListQuery } from './scheduler-dto'
import { SchedulerRepository } from './scheduler-repository'
import { type NewTaskScheduler, SCHEDULE_TYPES, type TaskScheduler } from './schema'
import { type QstashTaskSubmitter, tasksOf } from './submitter'

export interface SchedulerServiceDeps {
  db: RepositoryDb
  /** Validates a schedule's task and args; submits "run now". */
  tasks: QstashTaskSubmitter
}

export const schedulerServiceDeps = (c: Context<AppEnv>): SchedulerServiceDeps => ({
  db: required(c.get('services').db, 'database'),
  tasks: tasksOf(c),
})

export class SchedulerService {
  readonly schedulers: SchedulerRepository

  constructor(private readonly deps: SchedulerServiceDeps) {
    this.schedulers = new SchedulerRepository(deps.db)
  }

  async get(id: number): Promise<TaskScheduler> {
    const row = await this.schedulers.get(id)
    if (!row) throw new NotFoundError('scheduler.not_found')
    return row
  }

  all(): Promise<TaskScheduler[]> {
    return this.schedulers.all()
  }

  list(query: SchedulerListQuery): Promise<ListResult<TaskScheduler>> {
    const { page, size, ...filters } = query
    return this.schedulers.list({ page, size, filters })
  }

  async create(body: SchedulerBody): Promise<TaskScheduler> {
    if (await this.schedulers.exists({ name: body.name })) throw new ConflictError('scheduler.name_exists')
    const values = this.#checked(body)
    try {
      return await this.schedulers.create(values)
    } catch (err) {
      // Two creates with one name at once: the unique index decides.
      if (isUniqueViolation(err)) throw new ConflictError('scheduler.name_exists')
      throw err
    }
  }

  async update(id: number, body: SchedulerBody): Promise<TaskScheduler> {
    const current = await this.get(id)
    if (current.name !== body.name && (await this.schedulers.exists({ name: body.name })))
      throw new ConflictError('scheduler.name_exists')
    const values = this.#checked(body)
    try {
      const updated = await this.schedulers.update(id, values)
      if (!updated) throw new NotFoundError('scheduler.not_found')
      return updated
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('scheduler.name_exists')
      throw err
    }
  }

  /** Switches a schedule on or off. Firings before the switch do not count (see ./schedule.ts). */
  async toggle(id: number): Promise<TaskScheduler> {
    const current = await this.get(id)
    const updated = await this.schedulers.update(id, { enabled: !current.enabled })
    if (!updated) throw new NotFoundError('scheduler.not_found')
    return updated
  }

  async delete(id: number): Promise<void> {
    if (!(await this.schedulers.delete(id))) throw new NotFoundError('scheduler.not_found')
  }

  /**
   * Runs the schedule's task now, once, whatever its state (fba's "execute"); the schedule's counters are left alone.
   * Args that no longer validate (the task changed since the schedule was saved) are a 400 with fba's message.
   */
  async execute(id: number): Promise<Submitted> {
    const row = await this.get(id)
    const call = storedCall(row)
    if (!call) throw new BadRequestError('task.args_invalid')
    const { args, kwargs } = call
    try {
      this.deps.tasks.validate(row.task, kwargs, args)
    } catch (err) {
      if (err instanceof ValidationError)
        throw new BadRequestError('task.args_invalid', { data: { errors: err.errors } })
      throw err
    }
    return this.deps.tasks.submit(row.task, kwargs, { positional: args, schedulerId: row.id })
  }

  /** The row to store, or the first broken rule. */
  #checked(body: SchedulerBody): NewTaskScheduler {
    if (body.expire_time !== null && body.expire_seconds !== null) throw new ConflictError('scheduler.expire_conflict')
    if (body.type === SCHEDULE_TYPES.crontab && !isValidCrontab(body.crontab))
      throw new BadRequestError('scheduler.crontab_invalid', { data: { crontab: body.crontab } })
    if (body.type === SCHEDULE_TYPES.interval) {
      const every = intervalMs(body.interval_every, body.interval_period)
      if (every === undefined) throw new BadRequestError('scheduler.interval_invalid')
      if (every < MIN_INTERVAL_SECONDS * 1000)
        throw new BadRequestError('scheduler.interval_too_short', { params: { seconds: MIN_INTERVAL_SECONDS } })
    }
    this.deps.tasks.validate(body.task, body.kwargs ?? {}, body.args ?? [])
    return {
      name: body.name,
      task: body.task,
      args: body.args,
      kwargs: body.kwargs,
      queue: body.queue,
      exchange: body.exchange,
      routingKey: body.routing_key,
      startTime: body.start_time,
      expireTime: body.expire_time,
      expireSeconds: body.expire_seconds,
      type: body.type,
      intervalEvery: body.interval_every,
      intervalPeriod: body.interval_period,
      crontab: normaliseCrontab(body.crontab),
      oneOff: body.one_off,
      remark: body.remark,
    }
  }
}
