/** `sys_config`: lookups, the paged list and the batched bulk update. */
import { and, asc, desc, eq, inArray, notInArray, type SQL, sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { type NewConfigRow, sysConfig } from './schema'

export class ConfigRepository extends Repository<typeof sysConfig> {
  constructor(db: RepositoryDb) {
    super(db, sysConfig, {
      filters: { name: filter.like(sysConfig.name), type: filter.like(sysConfig.type) },
      sorts: { id: sysConfig.id, created_time: sysConfig.createdTime },
      defaultOrder: [desc(sysConfig.createdTime), desc(sysConfig.id)],
    })
  }

  /** Every row, or those of one type (exact), in id order. */
  allOfType(type: string | undefined) {
    return this.db
      .select()
      .from(sysConfig)
      .where(type === undefined ? undefined : eq(sysConfig.type, type))
      .orderBy(asc(sysConfig.id))
  }

  /** The keys among `keys` held by rows outside `exceptIds`. */
  async keysTaken(keys: readonly string[], exceptIds: readonly number[] = []): Promise<string[]> {
    if (!keys.length) return []
    const conditions: (SQL | undefined)[] = [inArray(sysConfig.key, [...keys])]
    if (exceptIds.length) conditions.push(notInArray(sysConfig.id, [...exceptIds]))
    const rows = await this.db
      .select({ key: sysConfig.key })
      .from(sysConfig)
      .where(and(...conditions))
    return rows.map((r) => r.key)
  }

  /**
   * Updates several rows in one batch (all or nothing). Rows whose key changes first get a placeholder key, so keys
   * can move between the rows of one request (a swap) without tripping the unique index halfway. `withRows`:
   * statements committed in the same batch (the change's event).
   */
  async bulkUpdate(
    rows: readonly (NewConfigRow & { id: number })[],
    changingKeys: ReadonlySet<number>,
    withRows: readonly BatchItem<'sqlite'>[] = [],
  ): Promise<void> {
    if (!rows.length) return
    const queries: BatchItem<'sqlite'>[] = []
    for (const id of changingKeys) {
      queries.push(
        this.db
          .update(sysConfig)
          .set({ key: sql`'~moving~' || ${sysConfig.id}` })
          .where(eq(sysConfig.id, id)),
      )
    }
    for (const { id, ...values } of rows) queries.push(this.updateQuery(id, values))
    queries.push(...withRows)
    await this.db.batch(queries as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])
  }
}
