/** `GET|DELETE /v2/messages/{id}` and bulk `DELETE /v2/messages`. */
import { HttpError, readBody, sendJson } from '../../shared/http'
import { filtersFromQuery } from '../store'
import { messageView } from '../views'
import { type ApiContext, isRecord, notFound, parseCount, requireKnownParams } from './context'

const MESSAGE_FILTERS = [
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

/** Only unfinished messages exist for this endpoint, as in QStash (delivered ones are gone). */
export function getMessage(ctx: ApiContext, id: string): void {
  const message = ctx.core.store.getMessage(id)
  if (!message || (message.state !== 'pending' && message.state !== 'active')) throw notFound('message')
  sendJson(ctx.res, 200, messageView(message))
}

export function cancelMessage(ctx: ApiContext, id: string): void {
  const cancelled = ctx.core.store.transaction(() => ctx.core.cancel(id))
  if (!cancelled) throw notFound('message')
  sendJson(ctx.res, 200, { cancelled: 1 })
}

/** Bulk cancel takes no cursor; an unknown parameter is a 400 (routes/context.ts `requireKnownParams`). */
const CANCEL_PARAMS: readonly string[] = [...MESSAGE_FILTERS, 'messageIds', 'count']
/** Default and ceiling of `count` for a filter-selected bulk cancel (the SDK sends 100 for `cancel({ all: true })`). */
const CANCEL_COUNT = 100
const MAX_CANCEL_COUNT = 1000

/**
 * Ids from `?messageIds=` (repeated or comma list) or a legacy JSON body `{messageIds}`; otherwise the
 * filters select; no filter at all means every unfinished message (`cancel({ all: true })`). A filter selection
 * cancels at most `count` (default 100), oldest first: call again until `cancelled` is 0.
 */
export async function cancelMessages(ctx: ApiContext): Promise<void> {
  requireKnownParams(ctx.query, CANCEL_PARAMS)
  const limit = parseCount(ctx.query, CANCEL_COUNT, MAX_CANCEL_COUNT)
  let ids = ctx.query
    .getAll('messageIds')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '')
  const raw = await readBody(ctx.req, 1024 * 1024)
  if (ids.length === 0 && raw.length > 0) {
    let parsed: unknown
    try {
      parsed = JSON.parse(raw.toString('utf8'))
    } catch {
      throw new HttpError(400, { error: 'request body is not valid JSON' })
    }
    // A body that names no ids must not fall through to "cancel everything" (routes/context.ts requireKnownParams).
    const named = isRecord(parsed) ? parsed.messageIds : undefined
    const valid =
      isRecord(parsed) &&
      Object.keys(parsed).every((key) => key === 'messageIds') &&
      Array.isArray(named) &&
      named.length > 0 &&
      named.every((id) => typeof id === 'string' && id !== '')
    if (!valid || !Array.isArray(named)) {
      throw new HttpError(400, { error: 'body must be {"messageIds": ["msg_…", …]} with at least one id' })
    }
    ids = named.filter((id): id is string => typeof id === 'string')
  }
  const cancelled = ctx.core.store.transaction(() => {
    const targets =
      ids.length > 0
        ? ids
        : ctx.core.store.findUnfinished(filtersFromQuery(ctx.query, MESSAGE_FILTERS), limit).map((m) => m.id)
    return targets.filter((id) => ctx.core.cancel(id)).length
  })
  sendJson(ctx.res, 200, { cancelled })
}
