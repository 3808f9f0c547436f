/**
 * Tasks only tests use, in an app built with them beside the real modules: one that counts its runs in Redis, one that
 * always fails, one that outlives its timeout. `submitTask` submits through the real submitter (QStash emulator,
 * this file's database), as a service would.
 */

import { env } from 'cloudflare:workers'
import { z } from '@hono/zod-openapi'
import { createApp } from '../../../src/app/app'
import { appCatalogue, DOMAINS } from '../../../src/app/domains'
import { loadConfig } from '../../../src/core/config'
import { createLogger } from '../../../src/core/logging'
import { defineDomain } from '../../../src/domains/module'
import { defineTask, type SubmitOptions } from '../../../src/domains/tasks/define'
import { QstashTaskSubmitter } from '../../../src/domains/tasks/submitter'
import { createServices } from '../../../src/infra/services'
import type { Overrides } from '../../helpers/app'
import { harnessFor } from '../../helpers/harness'
import { fileBindings } from '../../helpers/isolation'

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

export const testTasksModule = defineDomain({ name: 'test-tasks', tasks: [countTask, failTask, slowTask] })
export const taskDomains = [...DOMAINS, testTasksModule]
export const taskApp = createApp({ domains: taskDomains })
export const taskHarness = harnessFor(taskApp)

/** Submits like a service of this app would (`tasksOf(c).submit`), with this file's bindings. */
export function submitTask(
  name: string,
  args: Record<string, unknown>,
  options: SubmitOptions = {},
  overrides: Overrides = {},
) {
  const config = loadConfig({ ...env, ...fileBindings, ...overrides })
  const services = createServices(config)
  const db = services.db
  if (!db) throw new Error('no database configured')
  const submitter = new QstashTaskSubmitter({
    db,
    qstash: services.qstash,
    config,
    registry: appCatalogue(taskDomains).tasks,
    logger: createLogger({ test: 'submitTask' }, 'warn'),
    lang: 'en-US',
  })
  return submitter.submit(name, args, options)
}
