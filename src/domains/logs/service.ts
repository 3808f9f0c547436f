/** Login and operation logs (docs/fba-compatibility.md, "Logs"): paged reads with filters, deletes by id and clearing. */
import type { PageQuery } from '../../core/pagination'
import type { RepositoryDb } from '../../infra/db/repository'
import { type LogRepository, type LogTable, loginLogRepository, operaLogRepository } from './repository'

/** Both logs: `username` and `ip` contain, `status` equals. */
export interface LogFilters {
  username?: string | undefined
  status?: number | undefined
  ip?: string | undefined
}

export class LogService<T extends LogTable> {
  constructor(readonly logs: LogRepository<T>) {}

  list(query: PageQuery & LogFilters): Promise<{ items: T['$inferSelect'][]; total: number }> {
    const { page, size, ...filters } = query
    return this.logs.list({ page, size, filters })
  }

  /**
   * Deleting ids that are already gone is not an error (the end state is what was asked for: docs/fba-compatibility.md,
   * D2).
   */
  delete(ids: readonly number[]): Promise<number> {
    return this.logs.deleteMany([...new Set(ids)])
  }

  clear(): Promise<number> {
    return this.logs.clear()
  }
}

export const loginLogService = (db: RepositoryDb) => new LogService(loginLogRepository(db))
export const operaLogService = (db: RepositoryDb) => new LogService(operaLogRepository(db))
