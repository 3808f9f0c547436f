/** `GET /v2/events` (what the SDK calls) and `GET /v2/logs`: the message state log, newest first. */
import { sendJson } from '../../shared/http'
import { filtersFromQuery } from '../store'
import { eventView } from '../views'
import { type ApiContext, parseCount, parseCursor } from './context'

const EVENT_FILTERS = [
  'messageId',
  'messageIds',
  'state',
  'url',
  'topicName',
  'urlGroup',
  'scheduleId',
  'queueName',
  'label',
  'fromDate',
  'toDate',
  'callerIp',
  'host',
  'path',
  'flowControlKey',
] as const

export function listEvents(ctx: ApiContext): void {
  const filters = filtersFromQuery(ctx.query, EVENT_FILTERS)
  const page = ctx.core.store.listEvents(filters, parseCursor(ctx.query), parseCount(ctx.query, 100, 1000))
  sendJson(ctx.res, 200, {
    ...(page.cursor !== null ? { cursor: String(page.cursor) } : {}),
    events: page.events.map(eventView),
  })
}
