/**
 * fba's demo tasks, Stratum-sized: they show a task with no args, a long one reporting progress, and one with
 * positional and named args (its schedule passes `args: ['你好，']`, `kwargs: {world: '世界'}`).
 */
import { z } from '@hono/zod-openapi'
import { defineTask } from './define'

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })

export const taskDemo = defineTask({
  name: 'task_demo',
  summary: 'Demo task: waits a moment and answers',
  args: z.object({ seconds: z.number().min(0).max(20).default(1) }),
  retries: 0,
  timeoutMs: 30_000,
  async handler({ args, signal }) {
    await sleep(args.seconds * 1000, signal)
    return 'test async'
  },
})

export const taskDemoAsync = defineTask({
  name: 'task_demo_async',
  summary: 'Demo task: counts to ten, reporting progress',
  args: z.object({ step_ms: z.number().int().min(0).max(2000).default(100) }),
  retries: 0,
  timeoutMs: 60_000,
  async handler({ args, signal, progress }) {
    for (let i = 1; i <= 10; i++) {
      await sleep(args.step_ms, signal)
      await progress(i * 10, `step ${i} of 10`)
    }
    return 'test async'
  },
})

export const taskDemoParams = defineTask({
  name: 'task_demo_params',
  summary: 'Demo task: joins its two arguments',
  args: z.object({ hello: z.string().max(100), world: z.string().max(100) }),
  retries: 1,
  timeoutMs: 10_000,
  async handler({ args }) {
    return `${args.hello}${args.world}`
  },
})

export const DEMO_TASKS = [taskDemo, taskDemoAsync, taskDemoParams]
