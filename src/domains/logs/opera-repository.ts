/** `sys_opera_log`: append-only rows, listed newest first, deleted by id or all at once. */
import { desc } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { sysOperaLog } from './schema'

export class OperaLogRepository extends Repository<typeof sysOperaLog> {
  constructor(db: RepositoryDb) {
    super(db, sysOperaLog, {
      filters: {
        username: filter.like(sysOperaLog.username),
        status: filter.eq(sysOperaLog.status),
        ip: filter.like(sysOperaLog.ip),
      },
      sorts: { created_time: sysOperaLog.createdTime, id: sysOperaLog.id },
      // id breaks ties between rows written in the same millisecond.
      defaultOrder: [desc(sysOperaLog.createdTime), desc(sysOperaLog.id)],
    })
  }

  /** Deletes every row; returns how many there were. */
  async clear(): Promise<number> {
    const result = await this.db.delete(sysOperaLog)
    return result.rowsAffected
  }
}
