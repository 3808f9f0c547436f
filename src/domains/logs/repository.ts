/** `sys_login_log`: append-only rows, listed newest first, deleted by id or all at once. */
import { desc } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { sysLoginLog } from './schema'

export class LoginLogRepository extends Repository<typeof sysLoginLog> {
  constructor(db: RepositoryDb) {
    super(db, sysLoginLog, {
      filters: {
        username: filter.like(sysLoginLog.username),
        status: filter.eq(sysLoginLog.status),
        ip: filter.like(sysLoginLog.ip),
      },
      sorts: { created_time: sysLoginLog.createdTime, id: sysLoginLog.id },
      // id breaks ties between rows written in the same millisecond.
      defaultOrder: [desc(sysLoginLog.createdTime), desc(sysLoginLog.id)],
    })
  }

  /** Deletes every row; returns how many there were. */
  async clear(): Promise<number> {
    const result = await this.db.delete(sysLoginLog)
    return result.rowsAffected
  }
}
