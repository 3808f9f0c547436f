/**
 * `task_result`: the lifecycle writes of a task (insert PENDING, claim STARTED, finish) are conditional updates, so
 * two deliveries of one message, a cancel racing a run, or a late failure callback can never move a row backwards.
 */
import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { type NewTaskResult, type TaskResult, type TaskStatus, taskResult } from './schema'

/** States a delivery may (re)start from. */
const CLAIMABLE: TaskStatus[] = ['PENDING', 'RETRY']
/** States a run may finish from (a cancel or a failure callback may have ended it meanwhile). */
const RUNNING: TaskStatus[] = ['STARTED']

/** A row `finish` changed: its task and the user who submitted it (null: a schedule or a task handler). */
export type FinishedTask = Pick<TaskResult, 'taskId' | 'userId'>

export interface Claim {
  retries: number
  worker: string
  now: Date
  /** A STARTED row whose run began before this is taken over (its run died without an answer). */
  staleBefore: Date
}

export class TaskResultRepository extends Repository<typeof taskResult> {
  constructor(db: RepositoryDb) {
    super(db, taskResult, {
      filters: {
        name: filter.like(taskResult.name),
        task_id: filter.eq(taskResult.taskId),
      },
      sorts: { id: taskResult.id },
      defaultOrder: [desc(taskResult.id)],
    })
  }

  /** Inserts a PENDING row; false when the task id exists already (a repeated dedup id). */
  async insertPending(values: Omit<NewTaskResult, 'status'>): Promise<boolean> {
    const rows = await this.db
      .insert(taskResult)
      .values({ ...values, status: 'PENDING' })
      .onConflictDoNothing()
      .returning({ id: taskResult.id })
    return rows.length > 0
  }

  async findByTaskId(taskId: string): Promise<TaskResult | undefined> {
    const [row] = await this.db.select().from(taskResult).where(eq(taskResult.taskId, taskId)).limit(1)
    return row
  }

  /**
   * A row that never reached QStash (no message id: PENDING, or FAILURE after a failed publish) back to PENDING, to be
   * published again; false when it was published (or ended otherwise).
   */
  async requeueUnpublished(taskId: string): Promise<boolean> {
    const rows = await this.db
      .update(taskResult)
      .set({ status: 'PENDING', traceback: null, dateDone: null })
      .where(
        and(
          eq(taskResult.taskId, taskId),
          isNull(taskResult.messageId),
          inArray(taskResult.status, ['PENDING', 'FAILURE']),
        ),
      )
      .returning({ id: taskResult.id })
    return rows.length > 0
  }

  async setMessageId(taskId: string, messageId: string): Promise<void> {
    await this.db.update(taskResult).set({ messageId }).where(eq(taskResult.taskId, taskId))
  }

  /**
   * PENDING/RETRY (or a stale STARTED) → STARTED, in one statement; the row when this delivery may run it, otherwise
   * undefined (finished, revoked, running elsewhere, or unknown — read the row to tell which).
   */
  async claim(taskId: string, claim: Claim): Promise<TaskResult | undefined> {
    const [row] = await this.db
      .update(taskResult)
      .set({ status: 'STARTED', retries: claim.retries, worker: claim.worker, startedTime: claim.now })
      .where(
        and(
          eq(taskResult.taskId, taskId),
          or(
            inArray(taskResult.status, CLAIMABLE),
            and(eq(taskResult.status, 'STARTED'), lt(taskResult.startedTime, claim.staleBefore)),
          ),
        ),
      )
      .returning()
    return row
  }

  /**
   * Ends a task (or marks it RETRY) unless it has ended already; `from` limits the states it may leave. Answers whom
   * the row belongs to when it changed (enough to notify the submitter without reading it again), else undefined.
   */
  async finish(
    taskId: string,
    status: TaskStatus,
    fields: { result?: unknown; traceback?: string | null; progress?: number } = {},
    from?: readonly TaskStatus[],
  ): Promise<FinishedTask | undefined> {
    const allowed = from ?? (['PENDING', 'STARTED', 'RETRY'] as const)
    const rows = await this.db
      .update(taskResult)
      .set({
        status,
        ...(fields.result !== undefined ? { result: fields.result } : {}),
        ...(fields.traceback !== undefined ? { traceback: fields.traceback } : {}),
        ...(fields.progress !== undefined ? { progress: fields.progress } : {}),
        dateDone: status === 'RETRY' ? null : new Date(),
      })
      .where(and(eq(taskResult.taskId, taskId), inArray(taskResult.status, [...allowed])))
      .returning({ taskId: taskResult.taskId, userId: taskResult.userId })
    return rows[0]
  }

  /** Progress of a running task (ignored once it has ended). */
  async progress(taskId: string, percent: number, message: string | null): Promise<void> {
    await this.db
      .update(taskResult)
      .set({ progress: percent, progressMsg: message })
      .where(and(eq(taskResult.taskId, taskId), inArray(taskResult.status, RUNNING)))
  }

  /** Message ids of rows QStash may still deliver (for cancelling). */
  async pendingMessageId(taskId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ messageId: taskResult.messageId })
      .from(taskResult)
      .where(and(eq(taskResult.taskId, taskId), isNotNull(taskResult.messageId)))
      .limit(1)
    return row?.messageId ?? null
  }

  /** Counts per task name and status over rows created since `since`. */
  async stats(since: Date): Promise<{ name: string | null; status: string; count: number }[]> {
    return this.db
      .select({ name: taskResult.name, status: taskResult.status, count: sql<number>`count(*)` })
      .from(taskResult)
      .where(sql`${taskResult.createdTime} >= ${since.getTime()}`)
      .groupBy(taskResult.name, taskResult.status)
  }
}
