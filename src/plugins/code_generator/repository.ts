/** `gen_business` (paged by `table_name` contains, newest first, as fba) and `gen_column` (in `sort` order). */
import { asc, desc } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { genBusiness, genColumn } from './schema'

export class BusinessRepository extends Repository<typeof genBusiness> {
  constructor(db: RepositoryDb) {
    super(db, genBusiness, {
      filters: { table_name: filter.like(genBusiness.tableName) },
      defaultOrder: [desc(genBusiness.id)],
    })
  }
}

export class ColumnRepository extends Repository<typeof genColumn> {
  constructor(db: RepositoryDb) {
    super(db, genColumn, { defaultOrder: [asc(genColumn.sort), asc(genColumn.id)] })
  }
}
