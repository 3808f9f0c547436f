/** Login logs (docs/fba-compatibility.md, "Logs"): paged reads with filters, deletes by id and clearing. */
import type { PageQuery } from '../../core/pagination'
import type { RepositoryDb } from '../../infra/db/repository'
import { LoginLogRepository } from './repository'
import type { LoginLog } from './schema'

export interface LoginLogFilters {
  username?: string | undefined
  status?: number | undefined
  ip?: string | undefined
}

export class LoginLogService {
  readonly logs: LoginLogRepository

  constructor(db: RepositoryDb) {
    this.logs = new LoginLogRepository(db)
  }

  list(query: PageQuery & LoginLogFilters): Promise<{ items: LoginLog[]; total: number }> {
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
