/**
 * Cron triggers (`[triggers] crons` in wrangler.toml). Jobs register by cron expression; the dispatcher runs every
 * job for the firing expression and logs each outcome. Every minute, the task-schedule dispatcher submits the due
 * schedules (docs/tasks.md, "Scheduling").
 */
import { type Config, loadConfig } from '../core/config'
import { DEFAULT_LANG } from '../core/i18n'
import { createLogger, describeError, type Logger } from '../core/logging'
import { newTraceId } from '../core/trace'
import { sweepOutbox } from '../domains/events/dispatch'
import { dispatchSchedules } from '../domains/tasks/dispatcher'
import { QstashTaskSubmitter } from '../domains/tasks/submitter'
import { createServices, required, type Services } from '../infra/services'
import { appCatalogue } from './domains'

export interface ScheduledContext {
  cron: string
  /** The tick (`controller.scheduledTime`), not the time the job happens to run. */
  time: Date
  env: object
  /** Loaded once per tick and shared by its jobs (clients are built on first use). */
  config: Config
  services: Services
  logger: Logger
}

export type ScheduledJob = (ctx: ScheduledContext) => Promise<void>

/** Built once: the registry is static (every module's and plugin's tasks). */
const catalogue = appCatalogue()

/** Submits the schedules due at this tick; overlapping runs submit each firing once (domains/tasks/dispatcher.ts). */
const dispatchDueSchedules: ScheduledJob = async ({ time, config, services, logger }) => {
  const db = required(services.db, 'database')
  const submitter = new QstashTaskSubmitter({
    db,
    qstash: services.qstash,
    config,
    registry: catalogue.tasks,
    logger,
    lang: DEFAULT_LANG,
  })
  const summary = await dispatchSchedules({
    db,
    submitter,
    registry: catalogue.tasks,
    now: time,
    timezone: config.DATETIME_TIMEZONE,
    logger,
  })
  logger.info('schedules dispatched', { ...summary })
}

/** Publishes outbox rows no request's dispatch took, and prunes old ones (domains/events/dispatch.ts). */
const sweepEventOutbox: ScheduledJob = async ({ time, config, services, logger }) => {
  const db = required(services.db, 'database')
  const result = await sweepOutbox({ db, qstash: services.qstash, config, registry: catalogue.events, logger }, time)
  if (result.sent || result.deferred) logger.info('event outbox swept', { ...result })
}

/** Jobs per cron expression. */
export const scheduledJobs: Record<string, { name: string; run: ScheduledJob }[]> = {
  '* * * * *': [
    { name: 'task schedules', run: dispatchDueSchedules },
    { name: 'event outbox', run: sweepEventOutbox },
  ],
}

export async function runScheduled(cron: string, time: Date, env: object): Promise<void> {
  const config = loadConfig(env)
  const logger = createLogger({ trace_id: newTraceId(), cron }, config.LOG_LEVEL)
  const jobs = scheduledJobs[cron] ?? []
  logger.info('cron fired', { jobs: jobs.map((j) => j.name), scheduled_time: time.toISOString() })
  const services = createServices(config)
  const results = await Promise.allSettled(
    jobs.map((job) => job.run({ cron, time, env, config, services, logger: logger.child({ job: job.name }) })),
  )
  results.forEach((result, i) => {
    if (result.status === 'rejected')
      logger.error('cron job failed', { job: jobs[i]?.name, ...describeError(result.reason) })
  })
}
