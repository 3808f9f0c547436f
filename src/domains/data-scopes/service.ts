/**
 * Data scopes (docs/fba-compatibility.md, "Data scopes"): CRUD and the scope's rule set. Every write bumps the
 * authorization generation: cached auth snapshots carry the rules of enabled scopes, so a change applies on every
 * user's next request.
 */
import type { Context } from 'hono'
import { ConflictError, NotFoundError } from '../../core/errors'
import type { PageQuery } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import { isConstraintViolation, isUniqueViolation } from '../../infra/db/errors'
import type { ListResult, RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { bumpAuthzGeneration } from '../auth/authenticate'
import type { DataRule } from '../data-rules/schema'
import type { DataScopeBody } from './dto'
import { DataScopeRepository } from './repository'
import type { DataScope } from './schema'

export interface DataScopeServiceDeps {
  db: RepositoryDb
  /** Makes every cached auth snapshot stale (see `bumpAuthzGeneration`). */
  bumpAuthz: () => Promise<void>
}

export const dataScopeServiceDeps = (c: Context<AppEnv>): DataScopeServiceDeps => ({
  db: required(c.get('services').db, 'database'),
  bumpAuthz: () => bumpAuthzGeneration(c),
})

export class DataScopeService {
  readonly scopes: DataScopeRepository

  constructor(private readonly deps: DataScopeServiceDeps) {
    this.scopes = new DataScopeRepository(deps.db)
  }

  all(): Promise<DataScope[]> {
    return this.scopes.all()
  }

  list(query: PageQuery & { name?: string | undefined; status?: number | undefined }): Promise<ListResult<DataScope>> {
    const { page, size, ...filters } = query
    return this.scopes.list({ page, size, filters })
  }

  async detail(id: number): Promise<DataScope> {
    const scope = await this.scopes.get(id)
    if (!scope) throw new NotFoundError('data_scope.not_found')
    return scope
  }

  async withRules(id: number): Promise<{ scope: DataScope; rules: DataRule[] }> {
    const found = await this.scopes.withRules(id)
    if (!found) throw new NotFoundError('data_scope.not_found')
    return found
  }

  async create(body: DataScopeBody): Promise<void> {
    if (await this.scopes.nameTaken(body.name)) throw new ConflictError('data_scope.name_exists')
    await this.#write(() => this.scopes.create({ name: body.name, status: body.status }))
    await this.deps.bumpAuthz()
  }

  async update(id: number, body: DataScopeBody): Promise<void> {
    const [scope, taken] = await Promise.all([this.scopes.get(id), this.scopes.nameTaken(body.name, id)])
    if (!scope) throw new NotFoundError('data_scope.not_found')
    if (taken) throw new ConflictError('data_scope.name_exists')
    await this.#write(() => this.scopes.update(id, { name: body.name, status: body.status }))
    await this.deps.bumpAuthz()
  }

  /** Replaces the scope's rules with `ruleIds` (`[]` removes them all); 404 when any id is not a rule. */
  async updateRules(id: number, ruleIds: readonly number[]): Promise<void> {
    const ids = [...new Set(ruleIds)]
    const [scope, existing] = await Promise.all([this.scopes.get(id), this.scopes.existingRuleIds(ids)])
    if (!scope) throw new NotFoundError('data_scope.not_found')
    if (ids.some((ruleId) => !existing.has(ruleId))) throw new NotFoundError('data_rule.not_found')
    try {
      await this.scopes.replaceRules(id, ids)
    } catch (err) {
      // A rule (or the scope) deleted since the check above.
      if (isConstraintViolation(err, 'FOREIGNKEY')) throw new NotFoundError('data_rule.not_found')
      throw err
    }
    await this.deps.bumpAuthz()
  }

  /** Deletes the scopes with their role and rule links (unknown ids are ignored). */
  async delete(ids: readonly number[]): Promise<void> {
    await this.scopes.deleteWithLinks([...new Set(ids)])
    await this.deps.bumpAuthz()
  }

  async #write<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('data_scope.name_exists')
      throw err
    }
  }
}
