/**
 * `sys_login_log` and `sys_opera_log`: append-only rows with the same reading rules — `username` and `ip` contain,
 * `status` equals, newest first —, deleted by id or all at once.
 */
import { desc } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { sysLoginLog, sysOperaLog } from './schema'

export type LogTable = typeof sysLoginLog | typeof sysOperaLog

export class LogRepository<T extends LogTable> extends Repository<T> {
  constructor(
    db: RepositoryDb,
    private readonly logTable: T,
  ) {
    super(db, logTable, {
      filters: {
        username: filter.like(logTable.username),
        status: filter.eq(logTable.status),
        ip: filter.like(logTable.ip),
      },
      sorts: { created_time: logTable.createdTime, id: logTable.id },
      // id breaks ties between rows written in the same millisecond.
      defaultOrder: [desc(logTable.createdTime), desc(logTable.id)],
    })
  }

  /** Deletes every row; returns how many there were. */
  async clear(): Promise<number> {
    const result = await this.db.delete(this.logTable)
    return result.rowsAffected
  }
}

export const loginLogRepository = (db: RepositoryDb) => new LogRepository(db, sysLoginLog)
export const operaLogRepository = (db: RepositoryDb) => new LogRepository(db, sysOperaLog)
