/**
 * Task definitions: a domain or plugin declares its tasks next to its code (`src/domains/logs/tasks.ts`) with
 * `defineTask`, lists them in its module (`tasks: [...]`) or plugin manifest, and the app assembles one registry
 * from every module and plugin at build time (src/app/tasks.ts). docs/tasks.md is the guide.
 */
import type { z } from '@hono/zod-openapi'
import type { Config } from '../../core/config'
import type { Logger } from '../../core/logging'
import type { RepositoryDb } from '../../infra/db/repository'
import type { Realtime } from '../../infra/realtime'
import type { Redis } from '../../infra/redis'

/** Where a submission comes from and how it is published. */
export interface SubmitOptions {
  /** Deliver no earlier than this many milliseconds from now. */
  delayMs?: number | undefined
  /**
   * Submitting the same id again (within the task-result table's lifetime) submits nothing and returns the first
   * submission's task id; also handed to QStash as its deduplication id.
   */
  dedupId?: string | undefined
  /** Positional arguments as given (a schedule's `args`), mapped onto the args schema's keys in order. */
  positional?: readonly unknown[] | undefined
  /** The schedule that submitted it. */
  schedulerId?: number | undefined
}

export interface Submitted {
  task_id: string
  /** False when `dedupId` matched an earlier submission (nothing new was published). */
  created: boolean
}

/** What any service uses to submit a task (the request's `tasksOf(c)`, or a handler's `tasks`). */
export interface TaskSubmitter {
  submit(name: string, args?: Record<string, unknown>, options?: SubmitOptions): Promise<Submitted>
}

/** What a handler gets: typed args and request-less services; nothing of an HTTP request. */
export interface TaskContext<A> {
  args: A
  taskId: string
  name: string
  /** Attempts before this one (0 on the first delivery). */
  attempt: number
  db: RepositoryDb
  /** Undefined when Redis is not configured. */
  redis: Redis | undefined
  tasks: TaskSubmitter
  /** Pushes to connected Socket.IO clients (best effort; docs/realtime.md). */
  realtime: Realtime
  config: Config
  /** Lines carry `task_id`, `task` and the task's own `trace_id`. */
  logger: Logger
  /** Aborted when the task's `timeoutMs` has passed: long handlers should stop. */
  signal: AbortSignal
  /** Records progress on the task's result row (0–100, with an optional short message). */
  progress(percent: number, message?: string): Promise<void>
}

export interface TaskDefinition<S extends z.ZodObject = z.ZodObject, R = unknown> {
  /** Registered name, unique across modules and plugins (`[a-z][a-z0-9_.]*`). */
  name: string
  /** One line, shown as `name` by `GET /tasks/registered` (fba shows the docstring). */
  summary: string
  /** The args schema: an object; its keys in order also take a schedule's positional `args`. */
  args: S
  /** Deliveries after the first failing one (QStash retries), 0–10. */
  retries: number
  /** A run longer than this fails (and is retried while retries remain). */
  timeoutMs: number
  handler(ctx: TaskContext<z.infer<S>>): Promise<R>
}

/**
 * A definition whatever its args type (the registry's view). `handler` is declared as a method, so a definition with
 * a narrower args type is assignable; the registry validates args with the schema before calling it.
 */
export type AnyTaskDefinition = TaskDefinition<z.ZodObject, unknown>

const NAME = /^[a-z][a-z0-9_.]{0,154}$/

/** Declares a task (checks the name and limits; keeps the args type for the handler). */
export function defineTask<S extends z.ZodObject, R>(definition: TaskDefinition<S, R>): TaskDefinition<S, R> {
  if (!NAME.test(definition.name)) throw new Error(`task name "${definition.name}" must match ${NAME}`)
  if (!Number.isInteger(definition.retries) || definition.retries < 0 || definition.retries > 10)
    throw new Error(`task ${definition.name}: retries must be an integer 0–10`)
  if (!Number.isInteger(definition.timeoutMs) || definition.timeoutMs < 1 || definition.timeoutMs > 15 * 60_000)
    throw new Error(`task ${definition.name}: timeoutMs must be 1 ms – 15 min`)
  return definition
}
