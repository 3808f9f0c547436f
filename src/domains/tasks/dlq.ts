/**
 * The task dead-letter queue (Stratum extension, docs/tasks.md): QStash keeps a message that used up its retries in
 * its DLQ. Listed here are the ones addressed to this app's delivery route that carry a task; retrying one submits
 * the task again from its `task_result` row (a new task id, the original args) and drops the DLQ entry.
 */
import { NotFoundError } from '../../core/errors'
import type { Qstash } from '../../infra/qstash'
import { type DlqMessage, deliveryOf, dlqEntry, dropDlq, findDlq, listDlq } from '../events/dlq'
import type { TaskResultRepository } from './repository'
import type { DlqTaskOut } from './results-dto'
import { type QstashTaskSubmitter, type TaskDelivery, TaskDeliverySchema } from './submitter'

/** The task a DLQ message carried, or undefined for anything else (a domain event, a foreign body). */
export const taskOf = (message: Pick<DlqMessage, 'body'>): TaskDelivery | undefined =>
  deliveryOf(message, TaskDeliverySchema)

export function toDlqTask(message: DlqMessage, task: Pick<TaskDelivery, 'task_id' | 'name'>): DlqTaskOut {
  return { ...dlqEntry(message), task_id: task.task_id, name: task.name }
}

export class TaskDlq {
  constructor(
    private readonly qstash: Qstash,
    private readonly url: string,
  ) {}

  /**
   * One page of QStash's DLQ (newest first), filtered by this app's delivery URL; entries that are not tasks are left
   * out, so a page may hold fewer than `size` items while `cursor` still points further.
   */
  async list(size: number, cursor?: string): Promise<{ items: DlqTaskOut[]; cursor: string | null }> {
    return listDlq(this.qstash, this.url, size, cursor, (message) => {
      const task = taskOf(message)
      return task && toDlqTask(message, task)
    })
  }

  /** The entry, when it is one of this app's tasks; 404 `task.dlq_not_found` otherwise. */
  async get(dlqId: string): Promise<{ message: DlqMessage; task: Pick<TaskDelivery, 'task_id' | 'name'> }> {
    const message = await findDlq(this.qstash, this.url, dlqId)
    const task = message && taskOf(message)
    if (!message || !task) throw new NotFoundError('task.dlq_not_found')
    return { message, task }
  }

  /**
   * Submits the entry's task again with its original args (and schedule), then drops the entry. The submission's
   * dedup id is the DLQ id, so a retry clicked twice (or repeated after the entry could not be dropped) submits once.
   * 404 when the entry is gone, or when the task's row was deleted (its args are gone with it).
   */
  async retry(dlqId: string, results: TaskResultRepository, submitter: QstashTaskSubmitter): Promise<string> {
    const { task } = await this.get(dlqId)
    const row = await results.findByTaskId(task.task_id)
    if (!row) throw new NotFoundError('task.not_found')
    const { task_id } = await submitter.submit(task.name, row.kwargs ?? {}, {
      positional: row.args ?? [],
      dedupId: `dlq:${dlqId}`,
      ...(row.schedulerId !== null ? { schedulerId: row.schedulerId } : {}),
    })
    await dropDlq(this.qstash, dlqId)
    return task_id
  }
}
