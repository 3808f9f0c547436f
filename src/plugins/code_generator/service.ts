/**
 * Businesses and their model columns (docs/fba-compatibility.md, "Code generator plugin"). fba's names rule for
 * `app_name`/`table_name` is a 400 with its message; a table with a business already, or a column name taken in its
 * business, is a 409 (fba answers 403 for the column). A business's columns are deleted with it, in the same batch.
 */
import { eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { BadRequestError, ConflictError, NotFoundError } from '../../core/errors'
import type { AppEnv } from '../../http/context'
import { isUniqueViolation } from '../../infra/db/errors'
import type { ListResult, RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { columnType } from './core/column-types'
import { BUSINESS_NAME } from './core/naming'
import type { BusinessBody, BusinessListQuery, ColumnBody } from './dto'
import { BusinessRepository, ColumnRepository } from './repository'
import { type GenBusiness, type GenColumn, genBusiness, genColumn, type NewGenColumn } from './schema'

export interface CodegenServiceDeps {
  db: RepositoryDb
}

export const codegenServiceDeps = (c: Context<AppEnv>): CodegenServiceDeps => ({
  db: required(c.get('services').db, 'database'),
})

/** fba's rule for app and table names, as its 400. */
export function checkBusinessName(field: string, value: string): void {
  if (!BUSINESS_NAME.test(value)) throw new BadRequestError('codegen.invalid_name', { params: { field } })
}

/** A column row's values from its body (`pd_type` follows the type). */
export function columnValues(body: Omit<ColumnBody, 'gen_business_id'>, businessId: number): NewGenColumn {
  return {
    name: body.name,
    comment: body.comment,
    type: body.type,
    pdType: columnType(body.type)?.pdType ?? 'str',
    default: body.default,
    sort: body.sort,
    length: body.length,
    isPk: body.is_pk,
    isNullable: body.is_nullable,
    genBusinessId: businessId,
  }
}

export class BusinessService {
  readonly businesses: BusinessRepository
  readonly columns: ColumnRepository

  constructor(private readonly deps: CodegenServiceDeps) {
    this.businesses = new BusinessRepository(deps.db)
    this.columns = new ColumnRepository(deps.db)
  }

  async get(id: number): Promise<GenBusiness> {
    const business = await this.businesses.get(id)
    if (!business) throw new NotFoundError('codegen.business_not_found')
    return business
  }

  all(): Promise<GenBusiness[]> {
    return this.businesses.all()
  }

  list(query: BusinessListQuery): Promise<ListResult<GenBusiness>> {
    const { page, size, ...filters } = query
    return this.businesses.list({ page, size, filters })
  }

  /** The business's columns in `sort` order (404 for an unknown business). */
  async columnsOf(id: number): Promise<GenColumn[]> {
    await this.get(id)
    return this.columns.all(eq(genColumn.genBusinessId, id))
  }

  async create(body: BusinessBody): Promise<GenBusiness> {
    checkBusinessName('app_name', body.app_name)
    checkBusinessName('table_name', body.table_name)
    return unique('codegen.business_exists', () => this.businesses.create(businessValues(body)))
  }

  async update(id: number, body: BusinessBody): Promise<GenBusiness> {
    checkBusinessName('app_name', body.app_name)
    checkBusinessName('table_name', body.table_name)
    const updated = await unique('codegen.business_exists', () => this.businesses.update(id, businessValues(body)))
    if (!updated) throw new NotFoundError('codegen.business_not_found')
    return updated
  }

  /** Deletes the business and its columns (404 when unknown). */
  async delete(id: number): Promise<void> {
    const { db } = this.deps
    const [, deleted] = await db.batch([
      db.delete(genColumn).where(eq(genColumn.genBusinessId, id)),
      db.delete(genBusiness).where(eq(genBusiness.id, id)).returning({ id: genBusiness.id }),
    ])
    if (!deleted.length) throw new NotFoundError('codegen.business_not_found')
  }
}

export class ColumnService {
  readonly columns: ColumnRepository
  readonly businesses: BusinessRepository

  constructor(deps: CodegenServiceDeps) {
    this.columns = new ColumnRepository(deps.db)
    this.businesses = new BusinessRepository(deps.db)
  }

  async get(id: number): Promise<GenColumn> {
    const column = await this.columns.get(id)
    if (!column) throw new NotFoundError('codegen.column_not_found')
    return column
  }

  async create(body: ColumnBody): Promise<GenColumn> {
    if (!(await this.businesses.exists({ id: body.gen_business_id })))
      throw new NotFoundError('codegen.business_not_found')
    return unique('codegen.column_exists', () => this.columns.create(columnValues(body, body.gen_business_id)))
  }

  async update(id: number, body: ColumnBody): Promise<GenColumn> {
    if (!(await this.businesses.exists({ id: body.gen_business_id })))
      throw new NotFoundError('codegen.business_not_found')
    const updated = await unique('codegen.column_exists', () =>
      this.columns.update(id, columnValues(body, body.gen_business_id)),
    )
    if (!updated) throw new NotFoundError('codegen.column_not_found')
    return updated
  }

  async delete(id: number): Promise<void> {
    if (!(await this.columns.delete(id))) throw new NotFoundError('codegen.column_not_found')
  }
}

function businessValues(body: BusinessBody) {
  return {
    appName: body.app_name,
    tableName: body.table_name,
    docComment: body.doc_comment,
    tableComment: body.table_comment,
    className: body.class_name,
    schemaName: body.schema_name,
    filename: body.filename,
    datetimeMixin: body.datetime_mixin,
    apiVersion: body.api_version,
    tag: body.tag,
    genPath: body.gen_path,
    remark: body.remark,
  }
}

/** Runs a write whose unique constraint means "already exists" (a 409 with `key`). */
async function unique<T>(
  key: 'codegen.business_exists' | 'codegen.column_exists',
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write()
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(key)
    throw err
  }
}
