/**
 * `task_scheduler`: fba's list filters (name contains, type), oldest first; and the dispatcher's writes, which are
 * conditional so two overlapping dispatcher runs record a firing once, and which leave `updated_time` alone (it
 * marks a change by a person: firings before it do not count, see ./schedule.ts).
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { type TaskScheduler, taskScheduler } from './schema'

export class SchedulerRepository extends Repository<typeof taskScheduler> {
  constructor(db: RepositoryDb) {
    super(db, taskScheduler, {
      filters: {
        name: filter.like(taskScheduler.name),
        type: filter.eq(taskScheduler.type),
      },
      sorts: { id: taskScheduler.id },
      defaultOrder: [asc(taskScheduler.id)],
    })
  }

  /** Every enabled schedule (what the dispatcher looks at). */
  enabled(): Promise<TaskScheduler[]> {
    return this.all({ enabled: true })
  }

  /**
   * Records the firing at `due` as handled: `last_run_time = due`; when `ran`, one more run; when `disable` (a
   * one-off), switched off — only if `last_run_time` is still `previous`. False when another dispatcher run recorded
   * it first.
   */
  async recordFiring(
    id: number,
    previous: Date | null,
    due: Date,
    { ran, disable }: { ran: boolean; disable: boolean },
  ): Promise<boolean> {
    const rows = await this.db
      .update(taskScheduler)
      .set({
        lastRunTime: due,
        ...(ran ? { totalRunCount: sql`${taskScheduler.totalRunCount} + 1` } : {}),
        ...(disable ? { enabled: false } : {}),
      })
      .where(
        and(
          eq(taskScheduler.id, id),
          previous === null ? isNull(taskScheduler.lastRunTime) : eq(taskScheduler.lastRunTime, previous),
        ),
      )
      .returning({ id: taskScheduler.id })
    return rows.length > 0
  }

  /** Switches a schedule off (expired, finished or unrunnable); false when it was off already (another run did it). */
  async disable(id: number): Promise<boolean> {
    const rows = await this.db
      .update(taskScheduler)
      .set({ enabled: false })
      .where(and(eq(taskScheduler.id, id), eq(taskScheduler.enabled, true)))
      .returning({ id: taskScheduler.id })
    return rows.length > 0
  }
}
