/**
 * Task results and control (docs/fba-compatibility.md, "Tasks"): paged reads, deletes, cancel and the stats window.
 * Cancel marks the row REVOKED first — that is what stops the task, since a delivery only runs a PENDING or RETRY row
 * (repository `claim`) — and then cancels the QStash message so nothing is delivered at all.
 */
import { QstashError } from '@upstash/qstash'
import { ConflictError, NotFoundError } from '../../core/errors'
import { describeError, type Logger } from '../../core/logging'
import type { PageQuery } from '../../core/pagination'
import type { RepositoryDb } from '../../infra/db/repository'
import type { Qstash } from '../../infra/qstash'
import { TaskResultRepository } from './repository'
import { TASK_STATUSES, type TaskResult, type TaskStatus, TERMINAL_STATUSES } from './schema'

export interface TaskResultFilters {
  name?: string | undefined
  task_id?: string | undefined
}

export interface TaskStatsRow {
  name: string
  total: number
  PENDING: number
  STARTED: number
  SUCCESS: number
  FAILURE: number
  RETRY: number
  REVOKED: number
}

/** States a cancel may end: not yet delivered, waiting for a retry, or running (its result is then discarded). */
const CANCELLABLE: readonly TaskStatus[] = ['PENDING', 'RETRY', 'STARTED']

export class TaskResultService {
  readonly results: TaskResultRepository

  constructor(
    db: RepositoryDb,
    private readonly deps: { qstash: () => Qstash | undefined; logger: Logger },
  ) {
    this.results = new TaskResultRepository(db)
  }

  list(query: PageQuery & TaskResultFilters): Promise<{ items: TaskResult[]; total: number }> {
    const { page, size, ...filters } = query
    return this.results.list({ page, size, filters })
  }

  async get(id: number): Promise<TaskResult> {
    const row = await this.results.get(id)
    if (!row) throw new NotFoundError('task.result_not_found')
    return row
  }

  /** Ids already gone are fine (docs/fba-compatibility.md, D2). */
  delete(ids: readonly number[]): Promise<number> {
    return this.results.deleteMany([...new Set(ids)])
  }

  /**
   * Revokes a task that has not finished: 404 for an unknown id, 409 once it is SUCCESS, FAILURE or REVOKED. A running
   * task is marked REVOKED too: its handler is not interrupted, but its outcome is discarded (the consumer's final
   * write is conditional on STARTED) and redeliveries are acknowledged without running.
   */
  async cancel(taskId: string): Promise<void> {
    const row = await this.results.findByTaskId(taskId)
    if (!row) throw new NotFoundError('task.not_found')
    if (TERMINAL_STATUSES.includes(row.status)) throw alreadyFinished(row.status)
    if (!(await this.results.finish(taskId, 'REVOKED', {}, CANCELLABLE))) {
      // It finished (or was revoked, or deleted) between the read and the write.
      const now = await this.results.findByTaskId(taskId)
      if (!now) throw new NotFoundError('task.not_found')
      throw alreadyFinished(now.status)
    }
    // The message id is set right after publishing; a row revoked before that is still never run (see above).
    const messageId = row.messageId ?? (await this.results.pendingMessageId(taskId))
    if (messageId) await this.#cancelMessage(taskId, messageId)
  }

  /**
   * Best effort: the row is REVOKED already, so a message QStash still delivers is acknowledged without running. A
   * 404 means QStash delivered or dropped it; any other failure is logged, not answered (the cancel did take effect).
   */
  async #cancelMessage(taskId: string, messageId: string): Promise<void> {
    const qstash = this.deps.qstash()
    if (!qstash) {
      this.deps.logger.warn('task revoked; QStash not configured, message left', { task_id: taskId })
      return
    }
    try {
      await qstash.messages.cancel(messageId)
    } catch (err) {
      if (err instanceof QstashError && err.status === 404) return
      this.deps.logger.warn('task revoked; its QStash message could not be cancelled', {
        task_id: taskId,
        message_id: messageId,
        ...describeError(err),
      })
    }
  }

  /** Counts per task name and status of the tasks submitted in the last `hours` hours, by name. */
  async stats(hours: number, now = new Date()): Promise<{ since: Date; items: TaskStatsRow[] }> {
    const since = new Date(now.getTime() - hours * 3_600_000)
    const byName = new Map<string, TaskStatsRow>()
    for (const { name, status, count } of await this.results.stats(since)) {
      const key = name ?? ''
      let item = byName.get(key)
      if (!item) {
        item = { name: key, total: 0, ...zeroCounts() }
        byName.set(key, item)
      }
      const n = Number(count)
      item.total += n
      if (isStatus(status)) item[status] += n
    }
    return { since, items: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)) }
  }
}

const alreadyFinished = (status: TaskStatus) =>
  new ConflictError('task.already_finished', { params: { status }, data: { status } })

const isStatus = (status: string): status is TaskStatus => (TASK_STATUSES as readonly string[]).includes(status)

const zeroCounts = (): Record<TaskStatus, number> => ({
  PENDING: 0,
  STARTED: 0,
  SUCCESS: 0,
  FAILURE: 0,
  RETRY: 0,
  REVOKED: 0,
})
