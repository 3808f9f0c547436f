/**
 * Cron triggers (`[triggers] crons` in wrangler.toml). Jobs register by cron expression; the dispatcher runs every
 * job for the firing expression and logs each outcome. Later: the task outbox dispatcher and schedulers plug in here.
 */
import { loadConfig } from '../core/config'
import { createLogger, describeError } from '../core/logging'
import { newTraceId } from '../core/trace'

export type ScheduledJob = (ctx: { cron: string; time: Date; env: object }) => Promise<void>

/** Jobs per cron expression. */
export const scheduledJobs: Record<string, { name: string; run: ScheduledJob }[]> = {}

export async function runScheduled(cron: string, time: Date, env: object): Promise<void> {
  const config = loadConfig(env)
  const logger = createLogger({ trace_id: newTraceId(), cron }, config.LOG_LEVEL)
  const jobs = scheduledJobs[cron] ?? []
  logger.info('cron fired', { jobs: jobs.map((j) => j.name), scheduled_time: time.toISOString() })
  const results = await Promise.allSettled(jobs.map((job) => job.run({ cron, time, env })))
  results.forEach((result, i) => {
    if (result.status === 'rejected')
      logger.error('cron job failed', { job: jobs[i]?.name, ...describeError(result.reason) })
  })
}
