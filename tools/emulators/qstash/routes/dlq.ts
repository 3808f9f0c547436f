/** Dead-letter queue: list (filters + cursor), get, delete (single/bulk), retry (single/bulk). */
import { sendJson } from '../../shared/http'
import { headersFromNode, parsePublishSpec } from '../headers'
import { type DlqRecord, type Filters, filtersFromQuery } from '../store'
import type { PublishSpec } from '../types'
import { dlqView } from '../views'
import { type ApiContext, notFound, parseCount, parseCursor, requireKnownParams, sendEmpty } from './context'

const DLQ_FILTERS = [
  'dlqIds',
  'messageId',
  'url',
  'topicName',
  'urlGroup',
  'scheduleId',
  'queueName',
  'label',
  'fromDate',
  'toDate',
  'responseStatus',
  'callerIp',
  'flowControlKey',
] as const

const MAX_PAGE = 100

export function listDlq(ctx: ApiContext): void {
  const page = ctx.core.store.listDlq(
    filtersFromQuery(ctx.query, DLQ_FILTERS),
    parseCursor(ctx.query),
    parseCount(ctx.query, MAX_PAGE, MAX_PAGE),
  )
  sendJson(ctx.res, 200, {
    ...(page.cursor !== null ? { cursor: String(page.cursor) } : {}),
    messages: page.entries.map(dlqView),
  })
}

export function getDlq(ctx: ApiContext, dlqId: string): void {
  const entry = ctx.core.store.getDlq(dlqId)
  if (!entry) throw notFound('dlq message')
  sendJson(ctx.res, 200, dlqView(entry))
}

export function deleteDlq(ctx: ApiContext, dlqId: string): void {
  if (!ctx.core.store.transaction(() => ctx.core.store.deleteDlq(dlqId))) throw notFound('dlq message')
  sendEmpty(ctx.res)
}

/** What the bulk actions accept: `count`/`cursor` with filters or `all`; anything else is a 400 (a typo must not widen the selection). */
const BULK_PARAMS: readonly string[] = [...DLQ_FILTERS, 'cursor', 'count']

/** One page of entries selected by `dlqIds`, other filters, or nothing (= all), for the bulk actions. */
function selectPage(ctx: ApiContext): { entries: DlqRecord[]; cursor: number | null } {
  requireKnownParams(ctx.query, BULK_PARAMS)
  const filters: Filters = filtersFromQuery(ctx.query, DLQ_FILTERS)
  return ctx.core.store.listDlq(filters, parseCursor(ctx.query), parseCount(ctx.query, MAX_PAGE, 1000))
}

export function deleteDlqBulk(ctx: ApiContext): void {
  const result = ctx.core.store.transaction(() => {
    const page = selectPage(ctx)
    for (const entry of page.entries) ctx.core.store.deleteDlq(entry.dlqId)
    return { deleted: page.entries.length, cursor: page.cursor }
  })
  sendJson(ctx.res, 200, {
    deleted: result.deleted,
    ...(result.cursor !== null ? { cursor: String(result.cursor) } : {}),
  })
}

/** Publish headers sent with a retry request override the stored message's settings. */
function overrides(ctx: ApiContext): Partial<PublishSpec> {
  const headers = headersFromNode(ctx.req.headers)
  const spec = parsePublishSpec(headers, Buffer.alloc(0))
  const out: Partial<PublishSpec> = {}
  if (headers.has('upstash-retries')) out.maxRetries = spec.maxRetries
  if (headers.has('upstash-retry-delay')) out.retryDelay = spec.retryDelay
  if (headers.has('upstash-delay')) out.delayMs = spec.delayMs
  if (headers.has('upstash-not-before')) out.notBeforeMs = spec.notBeforeMs
  if (headers.has('upstash-method')) out.method = spec.method
  if (headers.has('upstash-timeout')) out.timeoutMs = spec.timeoutMs
  if (headers.has('upstash-callback')) out.callback = spec.callback
  if (headers.has('upstash-failure-callback')) out.failureCallback = spec.failureCallback
  if (headers.has('upstash-label')) out.labels = spec.labels
  const forwarded = Object.keys(spec.headers).filter((name) => name !== 'Content-Type')
  if (forwarded.length > 0) out.headers = Object.fromEntries(forwarded.map((name) => [name, spec.headers[name] ?? []]))
  return out
}

export function retryDlq(ctx: ApiContext, dlqId: string): void {
  requireKnownParams(ctx.query, [])
  const result = ctx.core.store.transaction(() => ctx.core.retryDlq(dlqId, overrides(ctx)))
  if (!result) throw notFound('dlq message')
  sendJson(ctx.res, 200, result)
}

export function retryDlqBulk(ctx: ApiContext): void {
  requireKnownParams(ctx.query, BULK_PARAMS)
  const override = overrides(ctx)
  const ids = ctx.query.getAll('dlqIds')
  const result = ctx.core.store.transaction(() => {
    const page = selectPage(ctx)
    // Explicitly named ids that do not exist are a 404, like the single-id endpoint.
    if (ids.length > 0 && page.entries.length === 0) throw notFound('dlq message')
    const responses = page.entries.flatMap((entry) => {
      const retried = ctx.core.retryDlq(entry.dlqId, override)
      return retried ? [retried] : []
    })
    return { responses, cursor: page.cursor }
  })
  sendJson(ctx.res, 200, {
    ...(result.cursor !== null ? { cursor: String(result.cursor) } : {}),
    responses: result.responses,
  })
}
