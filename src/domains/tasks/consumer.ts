/**
 * Running one delivered task: claim the row (PENDING/RETRY → STARTED in one conditional update), run the handler
 * under its timeout, record SUCCESS, RETRY or FAILURE, and tell the route what to answer QStash:
 *
 * - 200 when there is nothing left to do: it ran, or the row had already ended (a redelivery of a finished or revoked
 *   task is acknowledged without running again — idempotent per message), or it can never run (unknown task);
 * - 409 when another delivery of the same task is running it now (QStash retries later and finds it ended);
 * - 500 when the run failed: QStash retries while retries remain, then moves the message to its DLQ and calls the
 *   failure callback. The row is RETRY between attempts and FAILURE after the last one.
 *
 * The row's final write is conditional on STARTED, so a task revoked while it ran keeps REVOKED (its result is
 * discarded). docs/tasks.md, "What happens on failure". Each attempt's start, the success and the final failure
 * push a `task_notification` (./notify.ts).
 */
import type { Config } from '../../core/config'
import { errorMessage, type Logger } from '../../core/logging'
import type { RepositoryDb } from '../../infra/db/repository'
import type { Realtime } from '../../infra/realtime'
import type { Redis } from '../../infra/redis'
import type { AnyTaskDefinition, TaskSubmitter } from './define'
import { notifyTask } from './notify'
import { type TaskRegistry, taskArgs } from './registry'
import { TaskResultRepository } from './repository'
import { type TaskStatus, TERMINAL_STATUSES } from './schema'
import type { TaskDelivery } from './submitter'

/** `redis` and `tasks` are read only when a handler uses them (the route passes getters). */
export interface ConsumerDeps {
  db: RepositoryDb
  readonly redis: Redis | undefined
  config: Config
  registry: TaskRegistry
  readonly tasks: TaskSubmitter
  /** Pushes `task_notification`s (./notify.ts) and is the handler's `realtime`. */
  realtime: Realtime
  /** The delivery request's logger; the run's lines add `task_id` and `task`. */
  logger: Logger
}

export interface DeliveryMeta {
  /** `Upstash-Retried`: attempts before this one. */
  retried: number
  /** What runs it, e.g. `Stratum@FRA`. */
  worker: string
}

export type DeliveryOutcome =
  | { status: 200; task_id: string; state: TaskStatus | 'UNKNOWN'; ran: boolean }
  | { status: 409; task_id: string; state: 'STARTED'; ran: false }
  | { status: 500; task_id: string; state: 'RETRY' | 'FAILURE'; ran: true; error: string }

/** Thrown into a handler's signal (and raced against it) when its `timeoutMs` has passed. */
export class TaskTimeoutError extends Error {
  override readonly name = 'TaskTimeoutError'
  constructor(readonly timeoutMs: number) {
    super(`task timed out after ${timeoutMs} ms`)
  }
}

/** A lease a little longer than the task's timeout: a STARTED row older than this was abandoned mid-run. */
const LEASE_GRACE_MS = 30_000

export async function runDelivery(
  deps: ConsumerDeps,
  delivery: TaskDelivery,
  meta: DeliveryMeta,
): Promise<DeliveryOutcome> {
  const results = new TaskResultRepository(deps.db)
  const { task_id: taskId } = delivery
  const logger = deps.logger.child({ task_id: taskId, task: delivery.name, retried: meta.retried })
  const definition = deps.registry.get(delivery.name)
  const now = new Date()
  const leaseMs = (definition?.timeoutMs ?? 0) + LEASE_GRACE_MS
  const row = await results.claim(taskId, {
    retries: meta.retried,
    worker: meta.worker,
    now,
    staleBefore: new Date(now.getTime() - leaseMs),
  })

  if (!row) {
    const existing = await results.findByTaskId(taskId)
    if (!existing) {
      // Its row was deleted (or never written): nothing to run and nothing a retry could change.
      logger.warn('task delivery for an unknown task id: acknowledged')
      return { status: 200, task_id: taskId, state: 'UNKNOWN', ran: false }
    }
    if (existing.status === 'STARTED') {
      logger.info('task is running in another delivery: retry later')
      return { status: 409, task_id: taskId, state: 'STARTED', ran: false }
    }
    logger.info('task already ended: redelivery acknowledged', { status: existing.status })
    return { status: 200, task_id: taskId, state: existing.status, ran: false }
  }

  // fba's Celery hooks: `before_start` on every attempt, `on_success`, and `on_failure` once retries are exhausted.
  const notify = (phase: Parameters<typeof notifyTask>[2]) => notifyTask(deps.realtime, row, phase)
  if (!definition) return fail(results, logger, taskId, `task ${delivery.name} is not registered`, notify)
  const parsed = taskArgs(definition, row.kwargs ?? {}, row.args ?? [])
  if (!parsed.success)
    return fail(
      results,
      logger,
      taskId,
      `invalid args: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      notify,
    )

  logger.info('task started')
  await notify('started')
  try {
    const value = await runWithTimeout(definition, (signal) => ({
      args: parsed.data,
      taskId,
      name: delivery.name,
      attempt: meta.retried,
      db: deps.db,
      // Getters: a handler that never touches Redis or submits nothing builds neither client.
      get redis() {
        return deps.redis
      },
      get tasks() {
        return deps.tasks
      },
      realtime: deps.realtime,
      config: deps.config,
      logger,
      signal,
      progress: (percent, message) =>
        results.progress(taskId, Math.max(0, Math.min(100, Math.round(percent))), message?.slice(0, 512) ?? null),
    }))
    const result = jsonResult(value)
    const ended = await results.finish(taskId, 'SUCCESS', { result, traceback: null, progress: 100 }, ['STARTED'])
    if (!ended) logger.info('task finished after it was revoked: result discarded')
    else {
      logger.info('task succeeded')
      await notify('succeeded')
    }
    return { status: 200, task_id: taskId, state: ended ? 'SUCCESS' : 'REVOKED', ran: true }
  } catch (err) {
    const last = meta.retried >= definition.retries
    const state = last ? 'FAILURE' : 'RETRY'
    const traceback = tracebackOf(err)
    const changed = await results.finish(taskId, state, { traceback }, ['STARTED'])
    logger.warn(last ? 'task failed' : 'task failed: will retry', { error: errorMessage(err) })
    if (!changed) return { status: 200, task_id: taskId, state: 'REVOKED', ran: true }
    if (last) await notify('failed')
    return { status: 500, task_id: taskId, state, ran: true, error: errorMessage(err) }
  }
}

/** A failure no retry can fix (unknown task, invalid stored args): FAILURE now, and QStash is told it is done. */
async function fail(
  results: TaskResultRepository,
  logger: Logger,
  taskId: string,
  reason: string,
  notify: (phase: 'failed') => Promise<void>,
): Promise<DeliveryOutcome> {
  logger.warn('task cannot run', { reason })
  if (await results.finish(taskId, 'FAILURE', { traceback: reason }, ['STARTED'])) await notify('failed')
  return { status: 200, task_id: taskId, state: 'FAILURE', ran: false }
}

type RunContext = Parameters<AnyTaskDefinition['handler']>[0]

async function runWithTimeout(
  definition: AnyTaskDefinition,
  context: (signal: AbortSignal) => RunContext,
): Promise<unknown> {
  const controller = new AbortController()
  const timeout = new TaskTimeoutError(definition.timeoutMs)
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(timeout)
      reject(timeout)
    }, definition.timeoutMs)
  })
  try {
    // The race ends the run at the deadline even if the handler ignores its signal (its promise is left behind).
    return await Promise.race([definition.handler(context(controller.signal)), expired])
  } finally {
    clearTimeout(timer)
  }
}

/** The value as stored: JSON-safe (undefined → null); a value JSON cannot hold fails the task instead. */
function jsonResult(value: unknown): unknown {
  if (value === undefined) return null
  const text = JSON.stringify(value)
  if (text === undefined) throw new TypeError('the task returned a value that is not JSON')
  return JSON.parse(text)
}

/** Celery keeps a Python traceback; Stratum keeps the error's name, message and stack (bounded). */
function tracebackOf(err: unknown): string {
  const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err)
  return text.slice(0, 8000)
}

export const isTerminal = (status: TaskStatus): boolean => TERMINAL_STATUSES.includes(status)

/**
 * QStash's failure callback, after the last retry of a delivery failed: the row ends FAILURE unless it has ended
 * already (the consumer's own last attempt usually wrote FAILURE with the error; this covers attempts that never
 * answered, e.g. a timed-out or crashed run). The message itself stays in QStash's DLQ.
 */
export async function recordGaveUp(
  deps: Pick<ConsumerDeps, 'db' | 'logger' | 'realtime'>,
  delivery: TaskDelivery,
  failure: { status: number; retried: number; dlqId: string | undefined; responseBody: string },
): Promise<boolean> {
  const results = new TaskResultRepository(deps.db)
  const reason =
    `QStash gave up after ${failure.retried + 1} attempt(s)` +
    (failure.status ? `; last answer HTTP ${failure.status}` : '') +
    (failure.responseBody ? `: ${failure.responseBody.slice(0, 500)}` : '') +
    (failure.dlqId ? ` (DLQ ${failure.dlqId})` : '')
  const ended = await results.finish(delivery.task_id, 'FAILURE', { traceback: reason }, [
    'PENDING',
    'STARTED',
    'RETRY',
  ])
  const recorded = ended !== undefined
  deps.logger.warn('task failure callback', { task_id: delivery.task_id, task: delivery.name, recorded })
  // An attempt that never answered (a crash, a timeout QStash saw first) told nobody: its failure is said here.
  if (ended) await notifyTask(deps.realtime, ended, 'failed')
  return recorded
}
