/**
 * The operation log's way around a failed insert: the record is published straight to QStash as the event
 * `opera_log.deferred` (the outbox is in the same database that just failed), and its consumer inserts it once the
 * database takes writes again — retried by QStash, applied once (docs/events.md). So a record is never lost: it is in
 * the table, in QStash, or (if QStash refused it too) whole in the error log.
 */
import { defineEvent, onEvent } from '../events/define'
import { publishNow } from '../events/dispatch'
import type { EventRegistry } from '../events/registry'
import { OperaLogRecordSchema } from './opera-record'
import type { OperaLogFallback } from './opera-write'
import { sysOperaLog } from './schema'

export const operaLogDeferred = defineEvent('opera_log.deferred', OperaLogRecordSchema)

export const writeDeferredOperaLog = onEvent(operaLogDeferred, {
  name: 'logs.write-opera-log',
  // A database outage can last a while: QStash's backoff over 10 retries spans hours.
  retries: 10,
  async handler({ event, db, apply }) {
    await apply([db.insert(sysOperaLog).values(event.payload)])
  },
})

/** The app's operation-log fallback (`createApp`): publish the record through QStash. */
export function deferThroughQstash(registry: EventRegistry): OperaLogFallback {
  return async (record, c) => {
    const services = c.get('services')
    await publishNow(
      { qstash: services.qstash, config: c.get('config'), registry, logger: c.get('logger') },
      operaLogDeferred,
      record,
    )
  }
}
