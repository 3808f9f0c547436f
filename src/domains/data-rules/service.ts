/**
 * Data rules (docs/fba-compatibility.md, "Data rules"): CRUD plus what the rule editor may pick from (models, columns,
 * template variables, see ./catalogue). A rule's model and column must exist (422 otherwise). Every write bumps the
 * authorization generation: cached auth snapshots carry the rules, so a change applies on every user's next request.
 */
import type { Context } from 'hono'
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors'
import { type Lang, t } from '../../core/i18n'
import type { PageQuery } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import { isUniqueViolation } from '../../infra/db/errors'
import type { ListResult, RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { bumpAuthzGeneration } from '../auth/authenticate'
import type { ModelCatalogue, TemplateVariable } from './catalogue'
import type { DataRuleBody } from './dto'
import { DataRuleRepository } from './repository'
import type { DataRule, NewDataRule } from './schema'

export interface DataRuleServiceDeps {
  db: RepositoryDb
  lang: Lang
  /** Makes every cached auth snapshot stale (see `bumpAuthzGeneration`). */
  bumpAuthz: () => Promise<void>
  /** The models and columns rules may name. */
  catalogue: ModelCatalogue
}

export const dataRuleServiceDeps = (c: Context<AppEnv>, catalogue: ModelCatalogue): DataRuleServiceDeps => ({
  db: required(c.get('services').db, 'database'),
  lang: c.get('lang'),
  bumpAuthz: () => bumpAuthzGeneration(c),
  catalogue,
})

export class DataRuleService {
  readonly rules: DataRuleRepository

  constructor(private readonly deps: DataRuleServiceDeps) {
    this.rules = new DataRuleRepository(deps.db)
  }

  /** The columns a rule on `model` may name; 404 for an unknown model. */
  columns(model: string): TemplateVariable[] {
    const columns = this.deps.catalogue.columns(model, this.deps.lang)
    if (!columns) throw new NotFoundError('data_rule.model_not_found')
    return columns
  }

  all(): Promise<DataRule[]> {
    return this.rules.all()
  }

  list(query: PageQuery & { name?: string | undefined }): Promise<ListResult<DataRule>> {
    const { page, size, ...filters } = query
    return this.rules.list({ page, size, filters })
  }

  async detail(id: number): Promise<DataRule> {
    const rule = await this.rules.get(id)
    if (!rule) throw new NotFoundError('data_rule.not_found')
    return rule
  }

  async create(body: DataRuleBody): Promise<void> {
    this.#assertTarget(body)
    if (await this.rules.nameTaken(body.name)) throw new ConflictError('data_rule.name_exists')
    await this.#write(() => this.rules.create(this.#values(body)))
    await this.deps.bumpAuthz()
  }

  async update(id: number, body: DataRuleBody): Promise<void> {
    const [rule, taken] = await Promise.all([this.rules.get(id), this.rules.nameTaken(body.name, id)])
    if (!rule) throw new NotFoundError('data_rule.not_found')
    this.#assertTarget(body)
    if (taken) throw new ConflictError('data_rule.name_exists')
    await this.#write(() => this.rules.update(id, this.#values(body)))
    await this.deps.bumpAuthz()
  }

  /** Deletes the rules and their scope links (unknown ids are ignored). */
  async delete(ids: readonly number[]): Promise<void> {
    await this.rules.deleteWithLinks([...new Set(ids)])
    await this.deps.bumpAuthz()
  }

  /** The model must be offered by GET /models and the column by GET /models/{model}/columns. */
  #assertTarget(body: DataRuleBody): void {
    const { lang } = this.deps
    if (!this.deps.catalogue.isKnownModel(body.model)) {
      throw new ValidationError([
        { loc: ['body', 'model'], msg: t(lang, 'data_rule.model_not_found'), type: 'value_error' },
      ])
    }
    if (!this.deps.catalogue.isKnownColumn(body.model, body.column)) {
      const params = { model: body.model, column: body.column }
      throw new ValidationError([
        { loc: ['body', 'column'], msg: t(lang, 'data_rule.column_not_found', params), type: 'value_error' },
      ])
    }
  }

  #values(body: DataRuleBody): NewDataRule {
    return {
      name: body.name,
      model: body.model,
      column: body.column,
      operator: body.operator,
      expression: body.expression,
      value: body.value,
    }
  }

  async #write<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('data_rule.name_exists')
      throw err
    }
  }
}
