import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it } from 'vitest'
import { scheduledJobs } from '../../src/app/scheduled'
import worker from '../../src/index'
import { expectLogs } from '../helpers/logs'

afterEach(() => {
  for (const key of Object.keys(scheduledJobs)) delete scheduledJobs[key]
})

describe('scheduled handler', () => {
  it('runs the jobs registered for the firing cron, and isolates failures', async () => {
    const ran: string[] = []
    scheduledJobs['*/5 * * * *'] = [
      { name: 'ok', run: async ({ cron }) => void ran.push(cron) },
      { name: 'fails', run: async () => Promise.reject(new Error('job failed')) },
    ]
    scheduledJobs['0 0 * * *'] = [{ name: 'other', run: async () => void ran.push('other') }]
    const logs = expectLogs({ msg: 'cron job failed' })
    const ctx = createExecutionContext()
    worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx)
    await waitOnExecutionContext(ctx)
    expect(ran).toEqual(['*/5 * * * *'])
    expect(logs.entries).toMatchObject([{ job: 'fails', message: 'job failed' }])
  })
})
