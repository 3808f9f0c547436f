/**
 * Writing an operation-log record, after the response (the capture hands this to `waitUntil`). A record is never
 * dropped silently: when the insert fails it goes to the fallback (the app's: `AppOptions.operaLogFallback`), and
 * when that fails too the whole record is logged at error level, where it can still be recovered from the logs.
 */
import type { Context } from 'hono'
import { describeError, type Logger } from '../../core/logging'
import type { AppEnv } from '../../http/context'
import type { RepositoryDb } from '../../infra/db/repository'
import type { OperaLogRecord } from './opera-record'
import { sysOperaLog } from './schema'

/**
 * Takes a record whose insert failed (the database down, slow or refusing it) and gets it stored another way, e.g.
 * through the event outbox and QStash. Resolves once the record is safe; rejects when it could not be handed on.
 */
export type OperaLogFallback = (record: OperaLogRecord, c: Context<AppEnv>) => Promise<void>

export interface OperaLogWriteDeps {
  /** The database of the request (undefined when none is configured: the record goes to the fallback). */
  db: RepositoryDb | undefined
  logger: Logger
  fallback: (record: OperaLogRecord) => Promise<void>
}

/** The record as a log line field: JSON-safe (the logger would print a `Date` as `{}`). */
export const loggableRecord = (record: OperaLogRecord) => ({ ...record, operaTime: record.operaTime.toISOString() })

/** Until the app registers a fallback, a record the database refused is kept in the error log. */
export const logOperaRecord: OperaLogFallback = async (record, c) => {
  c.get('logger').error('operation log not written', { record: loggableRecord(record), reason: 'no fallback' })
}

export type OperaLogOutcome = 'written' | 'deferred' | 'logged'

/** Inserts the record; on failure hands it to the fallback; if that fails too, logs it whole. Never rejects. */
export async function writeOperaLog(deps: OperaLogWriteDeps, record: OperaLogRecord): Promise<OperaLogOutcome> {
  try {
    if (!deps.db) throw new Error('no database configured')
    await deps.db.insert(sysOperaLog).values(record)
    return 'written'
  } catch (err) {
    deps.logger.warn('operation log deferred', describeError(err))
  }
  try {
    await deps.fallback(record)
    return 'deferred'
  } catch (err) {
    deps.logger.error('operation log not written', { record: loggableRecord(record), ...describeError(err) })
    return 'logged'
  }
}
