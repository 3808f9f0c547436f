/** Operation logs (docs/fba-compatibility.md, "Logs"): paged reads with filters, deletes by id and clearing. */
import type { PageQuery } from '../../core/pagination'
import type { RepositoryDb } from '../../infra/db/repository'
import { OperaLogRepository } from './opera-repository'
import type { OperaLog } from './schema'
import type { LoginLogFilters } from './service'

/** The same filters as the login log: `username` and `ip` contain, `status` equals. */
export type OperaLogFilters = LoginLogFilters

export class OperaLogService {
  readonly logs: OperaLogRepository

  constructor(db: RepositoryDb) {
    this.logs = new OperaLogRepository(db)
  }

  list(query: PageQuery & OperaLogFilters): Promise<{ items: OperaLog[]; total: number }> {
    const { page, size, ...filters } = query
    return this.logs.list({ page, size, filters })
  }

  /** Ids already gone are not an error (docs/fba-compatibility.md, D2). */
  delete(ids: readonly number[]): Promise<number> {
    return this.logs.deleteMany([...new Set(ids)])
  }

  clear(): Promise<number> {
    return this.logs.clear()
  }
}
