/** `sys_data_rule`; deleting rules removes their scope links in the same batch (docs/fba-compatibility.md, D10). */
import { and, asc, eq, inArray, ne } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { sysDataScopeRule } from '../data-scopes/schema'
import { sysDataRule } from './schema'

export class DataRuleRepository extends Repository<typeof sysDataRule> {
  constructor(db: RepositoryDb) {
    super(db, sysDataRule, {
      filters: { name: filter.like(sysDataRule.name) },
      sorts: { id: sysDataRule.id },
      defaultOrder: [asc(sysDataRule.id)],
    })
  }

  /** Whether another rule (not `exceptId`) has this name. */
  nameTaken(name: string, exceptId?: number): Promise<boolean> {
    return this.exists(
      and(eq(sysDataRule.name, name), exceptId === undefined ? undefined : ne(sysDataRule.id, exceptId)),
    )
  }

  /** The rules and their scope links, as one batch (all or nothing). */
  async deleteWithLinks(ids: readonly number[]): Promise<void> {
    if (!ids.length) return
    await this.db.batch([
      this.db.delete(sysDataScopeRule).where(inArray(sysDataScopeRule.dataRuleId, [...ids])),
      this.deleteManyQuery(ids),
    ])
  }
}
