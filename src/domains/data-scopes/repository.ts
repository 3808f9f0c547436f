/**
 * `sys_data_scope` with its rule links (`sys_data_scope_rule`). A scope's links are replaced, and a scope is deleted
 * with its role and rule links, in one batch each (all or nothing; docs/fba-compatibility.md, D10).
 */
import { and, asc, eq, inArray, ne } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { readBatch } from '../../infra/db/read-batch'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { type DataRule, sysDataRule } from '../data-rules/schema'
import { sysRoleDataScope } from '../roles/schema'
import { type DataScope, sysDataScope, sysDataScopeRule } from './schema'

export class DataScopeRepository extends Repository<typeof sysDataScope> {
  constructor(db: RepositoryDb) {
    super(db, sysDataScope, {
      filters: { name: filter.like(sysDataScope.name), status: filter.eq(sysDataScope.status) },
      sorts: { id: sysDataScope.id },
      defaultOrder: [asc(sysDataScope.id)],
    })
  }

  /** Whether another scope (not `exceptId`) has this name. */
  nameTaken(name: string, exceptId?: number): Promise<boolean> {
    return this.exists(
      and(eq(sysDataScope.name, name), exceptId === undefined ? undefined : ne(sysDataScope.id, exceptId)),
    )
  }

  /** A scope and its rules (id order), in one round trip. */
  async withRules(id: number): Promise<{ scope: DataScope; rules: DataRule[] } | undefined> {
    const [scopes, links] = await readBatch(this.db, [
      this.db.select().from(sysDataScope).where(eq(sysDataScope.id, id)).limit(1),
      this.db
        .select({ rule: sysDataRule })
        .from(sysDataScopeRule)
        .innerJoin(sysDataRule, eq(sysDataRule.id, sysDataScopeRule.dataRuleId))
        .where(eq(sysDataScopeRule.dataScopeId, id))
        .orderBy(asc(sysDataRule.id)),
    ])
    const scope = scopes[0]
    return scope ? { scope, rules: links.map((l) => l.rule) } : undefined
  }

  /** Ids among `ids` that are existing rules. */
  async existingRuleIds(ids: readonly number[]): Promise<Set<number>> {
    if (!ids.length) return new Set()
    const rows = await this.db
      .select({ id: sysDataRule.id })
      .from(sysDataRule)
      .where(inArray(sysDataRule.id, [...ids]))
    return new Set(rows.map((r) => r.id))
  }

  /** Replaces the scope's rule links (an empty list removes them all). */
  async replaceRules(id: number, ruleIds: readonly number[]): Promise<void> {
    const clear = this.db.delete(sysDataScopeRule).where(eq(sysDataScopeRule.dataScopeId, id))
    if (!ruleIds.length) {
      await clear
      return
    }
    await this.db.batch([
      clear,
      this.db.insert(sysDataScopeRule).values(ruleIds.map((dataRuleId) => ({ dataScopeId: id, dataRuleId }))),
    ])
  }

  /** The scopes with their role and rule links. */
  async deleteWithLinks(ids: readonly number[]): Promise<void> {
    if (!ids.length) return
    const list = [...ids]
    await this.db.batch([
      this.db.delete(sysRoleDataScope).where(inArray(sysRoleDataScope.dataScopeId, list)),
      this.db.delete(sysDataScopeRule).where(inArray(sysDataScopeRule.dataScopeId, list)),
      this.deleteManyQuery(list),
    ])
  }
}
