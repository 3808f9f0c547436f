/**
 * Submitting a task: validate its args (a 422 now, never a failing delivery later), record the `task_result` row
 * (PENDING), publish to QStash with the task's retries, timeout and failure callback, then note the message id on
 * the row (cancelling needs it). A `dedupId` makes the submission idempotent: the task id is derived from it, so a
 * second submission finds the first one's row and publishes nothing (docs/tasks.md, "Submitting").
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Config } from '../../core/config'
import { sha256Hex } from '../../core/encoding'
import { ServiceUnavailableError, ValidationError } from '../../core/errors'
import type { Lang } from '../../core/i18n'
import { t } from '../../core/i18n'
import type { Logger } from '../../core/logging'
import { describeError, errorMessage } from '../../core/logging'
import { toFieldErrors } from '../../core/validation'
import type { AppEnv } from '../../http/context'
import type { RepositoryDb } from '../../infra/db/repository'
import { QSTASH_DELIVERY_PATH, QSTASH_FAILURE_PATH, type Qstash } from '../../infra/qstash'
import { required } from '../../infra/services'
import type { AnyTaskDefinition, SubmitOptions, Submitted, TaskSubmitter } from './define'
import { type TaskRegistry, taskArgs } from './registry'
import { TaskResultRepository } from './repository'

/** What QStash carries to the consumer route for a task (signed; the args stay in the row). */
export const TaskDeliverySchema = z
  .object({
    kind: z.literal('task'),
    task_id: z.string().min(1).max(155),
    name: z.string().min(1).max(155),
  })
  .openapi('TaskDelivery')

export type TaskDelivery = z.infer<typeof TaskDeliverySchema>

export interface SubmitterDeps {
  db: RepositoryDb
  /** Undefined when QStash is not configured: submitting is then a 503. */
  qstash: Qstash | undefined
  config: Config
  registry: TaskRegistry
  logger: Logger
  lang: Lang
  /**
   * The signed-in user whose request submits (recorded on the row, so the task's notifications go to that user);
   * undefined for schedules, task handlers and anonymous requests (their notifications go to everyone, as fba's do).
   */
  userId?: number | undefined
}

/** A task id derived from a deduplication id (same id → same task), shaped like a UUID. */
export async function taskIdFor(dedupId: string): Promise<string> {
  const hex = await sha256Hex(dedupId)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

export class QstashTaskSubmitter implements TaskSubmitter {
  readonly results: TaskResultRepository

  constructor(private readonly deps: SubmitterDeps) {
    this.results = new TaskResultRepository(deps.db)
  }

  /** The definition and validated args, or a 422 naming the fields (`args` / `args.<key>`). */
  validate(
    name: string,
    named: Record<string, unknown> = {},
    positional: readonly unknown[] = [],
  ): { definition: AnyTaskDefinition; args: Record<string, unknown> } {
    const { lang, registry } = this.deps
    const definition = registry.get(name)
    if (!definition)
      throw new ValidationError([{ loc: ['task'], msg: t(lang, 'task.unknown', { name }), type: 'unknown_task' }])
    const parsed = taskArgs(definition, named, positional)
    if (!parsed.success) throw new ValidationError(toFieldErrors(parsed.error.issues, 'args', lang))
    return { definition, args: parsed.data }
  }

  async submit(name: string, args: Record<string, unknown> = {}, options: SubmitOptions = {}): Promise<Submitted> {
    const { definition } = this.validate(name, args, options.positional)
    const { config } = this.deps
    const qstash = required(this.deps.qstash, 'qstash')
    if (!config.PUBLIC_URL)
      throw new ServiceUnavailableError(undefined, { data: { service: 'qstash', reason: 'PUBLIC_URL not set' } })

    const taskId = options.dedupId ? await taskIdFor(options.dedupId) : crypto.randomUUID()
    const inserted = await this.results.insertPending({
      taskId,
      name,
      args: [...(options.positional ?? [])],
      kwargs: args,
      schedulerId: options.schedulerId ?? null,
      userId: this.deps.userId ?? null,
    })
    // The same dedupId was submitted before. Publish again only when that submission never reached QStash (its
    // process stopped between the insert and the publish, or QStash was down: FAILURE "not queued"); QStash's own
    // deduplication id covers a publish whose answer was lost, and two submitters racing here.
    if (!inserted && !(await this.results.requeueUnpublished(taskId))) return { task_id: taskId, created: false }

    const delivery: TaskDelivery = { kind: 'task', task_id: taskId, name }
    let messageId: string
    try {
      const published = await qstash.publishJSON({
        url: `${config.PUBLIC_URL}${QSTASH_DELIVERY_PATH}`,
        body: delivery,
        retries: definition.retries,
        // QStash gives up on an attempt a little after the handler's own deadline, which answers first.
        timeout: Math.ceil(definition.timeoutMs / 1000) + 5,
        failureCallback: `${config.PUBLIC_URL}${QSTASH_FAILURE_PATH}`,
        ...(options.delayMs ? { delay: Math.ceil(options.delayMs / 1000) } : {}),
        ...(options.dedupId ? { deduplicationId: taskId } : {}),
      })
      messageId = published.messageId
    } catch (err) {
      this.deps.logger.error('task not queued', { task: name, task_id: taskId, ...describeError(err) })
      await this.results.finish(taskId, 'FAILURE', {
        traceback: `not queued: ${errorMessage(err)}`,
      })
      throw err
    }
    await this.results.setMessageId(taskId, messageId)
    this.deps.logger.info('task submitted', { task: name, task_id: taskId, message_id: messageId })
    return { task_id: taskId, created: true }
  }
}

declare module '../../http/context' {
  interface Variables {
    /** The app's task registry (set by `createApp` on every request). */
    tasks?: TaskRegistry
  }
}

/** The request's task submitter: `await tasksOf(c).submit('task_demo_params', { hello, world })`. */
export function tasksOf(c: Context<AppEnv>): QstashTaskSubmitter {
  const services = c.get('services')
  const registry = c.get('tasks')
  if (!registry) throw new Error('no task registry in the request context (createApp sets it)')
  return new QstashTaskSubmitter({
    db: required(services.db, 'database'),
    qstash: services.qstash,
    config: c.get('config'),
    registry,
    logger: c.get('logger'),
    lang: c.get('lang'),
    userId: c.get('userId'),
  })
}
