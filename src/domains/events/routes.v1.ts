/**
 * `/events/dlq` (Stratum extension, docs/events.md, "Failure handling"): the event deliveries QStash gave up on, and
 * retrying one of them. The QStash consumer route that runs deliveries is the tasks domain's
 * (`POST /qstash/deliveries`, `kind: 'event'`).
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonEnvelope } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { required } from '../../infra/services'
import type { AppCatalogue } from '../module'
import { EventDlq } from './dlq'
import { DlqIdParamSchema, DlqListQuerySchema, EventDlqPageSchema, EventDlqRetrySchema } from './dto'
import { EVENT_PERMS } from './perms'

const TAGS = ['Events']

const dlqList = defineRoute({
  method: 'get',
  path: '/events/dlq',
  tags: TAGS,
  summary: 'Dead-lettered event deliveries (Stratum)',
  description:
    "One consumer's delivery of one event per entry, once it used up its retries, newest first, from QStash's DLQ " +
    "(only messages addressed to this app's delivery route that carry an event). Cursor-paged as QStash pages: pass " +
    "the answer's `cursor` for the next page; a page may hold fewer than `size` items.",
  access: { permission: EVENT_PERMS.view },
  sensitive: true,
  request: { query: DlqListQuerySchema },
  responses: { 200: jsonEnvelope(EventDlqPageSchema, 'One page of the DLQ') },
})

const dlqRetry = defineRoute({
  method: 'post',
  path: '/events/dlq/{dlq_id}/retry',
  tags: TAGS,
  summary: 'Retry a dead-lettered event delivery (Stratum)',
  description:
    'Publishes the same delivery again — the same event id, for the same consumer, which still applies it at most ' +
    'once — and removes the DLQ entry. Retrying the same entry twice publishes once. 404 when the entry is gone; ' +
    '422 when its consumer is no longer registered.',
  access: { permission: EVENT_PERMS.retry },
  errors: [404],
  request: { params: DlqIdParamSchema },
  responses: { 200: jsonEnvelope(EventDlqRetrySchema, 'Published again') },
})

const dlq = (c: Context<AppEnv>, app: AppCatalogue) =>
  new EventDlq({
    qstash: required(c.get('services').qstash, 'qstash'),
    config: c.get('config'),
    registry: app.events,
    lang: c.get('lang'),
  })

export function eventRoutes(app: AppCatalogue) {
  return createRouter()
    .openapi(dlqList, async (c) => {
      const { size, cursor } = c.req.valid('query')
      return ok(c, await dlq(c, app).list(size, cursor))
    })
    .openapi(dlqRetry, async (c) => ok(c, await dlq(c, app).retry(c.req.valid('param').dlq_id)))
}
