/**
 * Tasks only tests use, in an app built with them beside the real modules: one that counts its runs in Redis, one that
 * always fails, one that outlives its timeout. `submitTask` submits through the real submitter (QStash emulator,
 * this file's database), as a service would.
 */

import { z } from '@hono/zod-openapi'
import { createApp } from '../../../src/app/app'
import { appCatalogue, DOMAINS } from '../../../src/app/domains'
import { defineDomain } from '../../../src/domains/module'
import { defineTask, type SubmitOptions } from '../../../src/domains/tasks/define'
import type { Overrides } from '../../helpers/app'
import { harnessFor } from '../../helpers/harness'
import { fileBindings } from '../../helpers/isolation'
import { submitter } from './direct-submit'

/** Redis key counting the runs of `label`. */
export const runsKey = (label: string) => `test:task-runs:${label}`

export const countTask = defineTask({
  name: 'test.count',
  summary: 'Counts its runs per label',
  args: z.object({ label: z.string().min(1) }),
  retries: 2,
  timeoutMs: 5_000,
  async handler({ args, redis }) {
    if (!redis) throw new Error('no redis')
    return { runs: await redis.incr(runsKey(args.label)) }
  },
})

export const failTask = defineTask({
  name: 'test.fail',
  summary: 'Always fails (after counting the attempt)',
  args: z.object({ label: z.string().min(1) }),
  retries: 2,
  timeoutMs: 5_000,
  async handler({ args, redis }) {
    await redis?.incr(runsKey(args.label))
    throw new Error(`boom ${args.label}`)
  },
})

export const slowTask = defineTask({
  name: 'test.slow',
  summary: 'Takes longer than its timeout',
  args: z.object({ label: z.string().min(1) }),
  retries: 0,
  timeoutMs: 300,
  async handler({ args, redis, signal }) {
    await redis?.incr(runsKey(args.label))
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    if (signal.aborted) return 'aborted'
    return 'finished'
  },
})

export const chainTask = defineTask({
  name: 'test.chain',
  summary: 'Submits test.count from inside a task and reports progress',
  args: z.object({ label: z.string().min(1) }),
  retries: 0,
  timeoutMs: 5_000,
  async handler({ args, tasks, progress }) {
    await progress(40, 'submitting')
    return tasks.submit('test.count', { label: args.label })
  },
})

export const testTasksModule = defineDomain({
  name: 'test-tasks',
  tasks: [countTask, failTask, slowTask, chainTask],
})
export const taskDomains = [...DOMAINS, testTasksModule]
export const taskApp = createApp({ domains: taskDomains })
export const taskHarness = harnessFor(taskApp)

/**
 * Submits like a service of this app would (`tasksOf(c).submit`), with this file's bindings; deliveries go to the
 * relay (this file's `PUBLIC_URL`), where `deliverUntil` takes them.
 */
export function submitTask(
  name: string,
  args: Record<string, unknown>,
  options: SubmitOptions = {},
  overrides: Overrides = {},
) {
  const registry = appCatalogue(taskDomains).tasks
  return submitter({ overrides: { PUBLIC_URL: fileBindings.PUBLIC_URL, ...overrides }, registry }).submit(
    name,
    args,
    options,
  )
}
