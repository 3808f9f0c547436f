/**
 * HTTP front door: authentication and routing of the QStash REST API onto the route modules.
 *
 * Routing is by hand rather than with a router library because publish destinations are raw URLs
 * embedded in the path (`/v2/publish/https://host/path?x=1`) and must be taken verbatim.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { bearerToken, type Handler, HttpError } from '../shared/http'
import type { QstashCore } from './core'
import { type ApiContext, decodeSegment, requireKnownParams } from './routes/context'
import * as dlq from './routes/dlq'
import { listEvents } from './routes/events'
import * as flowControl from './routes/flow-control'
import { getKeys, rotateKeys } from './routes/keys'
import * as messages from './routes/messages'
import { batch, enqueue, publish } from './routes/publish'
import * as queues from './routes/queues'
import * as schedules from './routes/schedules'
import * as topics from './routes/topics'

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function callerIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')
}

export function createHandler(core: QstashCore, token: string): Handler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? '/'
    const queryIndex = rawUrl.indexOf('?')
    const path = queryIndex === -1 ? rawUrl : rawUrl.slice(0, queryIndex)
    const query = new URLSearchParams(queryIndex === -1 ? '' : rawUrl.slice(queryIndex + 1))

    const presented = bearerToken(req) ?? query.get('qstash_token') ?? ''
    if (!safeEqual(presented, token)) throw new HttpError(401, { error: 'Unauthorized' })

    const ctx: ApiContext = { core, req, res, rawUrl, query, callerIp: callerIp(req) }
    await route(ctx, req.method ?? 'GET', path)
  }
}

/**
 * Every route below as `METHOD /path` (`{…}` = one path segment; a trailing `{destination}` takes the rest of the
 * target). The support matrix in docs/emulators.md lists each; test/tools/emulators/support-matrix.test.ts probes
 * the router so that a route added here without a row, or a row without its route, fails.
 */
export const QSTASH_ENDPOINTS = [
  'POST /v2/publish/{destination}',
  'POST /v2/enqueue/{queueName}/{destination}',
  'POST /v2/batch',
  'GET /v2/messages/{messageId}',
  'DELETE /v2/messages/{messageId}',
  'DELETE /v2/messages',
  'POST /v2/queues',
  'GET /v2/queues',
  'GET /v2/queues/{queueName}',
  'DELETE /v2/queues/{queueName}',
  'POST /v2/queues/{queueName}/pause',
  'POST /v2/queues/{queueName}/resume',
  'POST /v2/schedules/{destination}',
  'GET /v2/schedules',
  'GET /v2/schedules/{scheduleId}',
  'DELETE /v2/schedules/{scheduleId}',
  'PATCH /v2/schedules/{scheduleId}/pause',
  'PATCH /v2/schedules/{scheduleId}/resume',
  'POST /v2/schedules/{scheduleId}/pause',
  'POST /v2/schedules/{scheduleId}/resume',
  'GET /v2/dlq',
  'DELETE /v2/dlq',
  'GET /v2/dlq/{dlqId}',
  'DELETE /v2/dlq/{dlqId}',
  'POST /v2/dlq/retry',
  'POST /v2/dlq/retry/{dlqId}',
  'GET /v2/events',
  'GET /v2/logs',
  'GET /v2/keys',
  'POST /v2/keys/rotate',
  'GET /v2/topics',
  'GET /v2/topics/{urlGroup}',
  'DELETE /v2/topics/{urlGroup}',
  'POST /v2/topics/{urlGroup}/endpoints',
  'DELETE /v2/topics/{urlGroup}/endpoints',
  'GET /v2/flowControl',
  'GET /v2/flowControl/{flowControlKey}',
  'POST /v2/flowControl/{flowControlKey}/pause',
  'POST /v2/flowControl/{flowControlKey}/resume',
  'POST /v2/flowControl/{flowControlKey}/pin',
  'POST /v2/flowControl/{flowControlKey}/unpin',
  'POST /v2/flowControl/{flowControlKey}/resetRate',
  'GET /v2/globalParallelism',
] as const

/** Routes whose tail is a raw destination: matched on the raw target, before any decoding. */
const RAW_PREFIXES = ['/v2/publish/', '/v2/enqueue/', '/v2/schedules/'] as const

async function route(ctx: ApiContext, method: string, path: string): Promise<void> {
  for (const prefix of RAW_PREFIXES) {
    if (method !== 'POST' || !path.startsWith(prefix)) continue
    const rest = ctx.rawUrl.slice(prefix.length)
    if (prefix === '/v2/publish/') return publish(ctx, rest)
    if (prefix === '/v2/enqueue/') return enqueue(ctx, rest)
    // `/v2/schedules/{id}/pause|resume` vs `/v2/schedules/{destination}`: a destination is a URL
    // (contains ':') or a bare URL-group name (no '/').
    const action = /^([^/?:]+)\/(pause|resume)$/.exec(path.slice(prefix.length))
    if (action) return schedules.pauseSchedule(ctx, decodeSegment(action[1] ?? ''), action[2] === 'pause')
    return schedules.createSchedule(ctx, rest)
  }

  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment)
  if (segments[0] !== 'v2') throw new HttpError(404, { error: `no route for ${method} ${path}` })
  const [, resource, id, action] = segments
  const n = segments.length
  // Deleting one named resource (message, queue, schedule, DLQ entry, URL group or its endpoints) takes no query
  // parameters; the bulk actions check their own (routes/messages.ts, routes/dlq.ts).
  if (method === 'DELETE' && n >= 3) requireKnownParams(ctx.query, [])

  switch (resource) {
    case 'batch':
      if (method === 'POST' && n === 2) return batch(ctx)
      break
    case 'messages':
      if (n === 2 && method === 'DELETE') return messages.cancelMessages(ctx)
      if (n === 3 && id !== undefined && method === 'GET') return messages.getMessage(ctx, id)
      if (n === 3 && id !== undefined && method === 'DELETE') return messages.cancelMessage(ctx, id)
      break
    case 'queues':
      if (n === 2 && method === 'POST') return queues.upsertQueue(ctx)
      if (n === 2 && method === 'GET') return queues.listQueues(ctx)
      if (n === 3 && id !== undefined && method === 'GET') return queues.getQueue(ctx, id)
      if (n === 3 && id !== undefined && method === 'DELETE') return queues.deleteQueue(ctx, id)
      if (n === 4 && id !== undefined && method === 'POST' && (action === 'pause' || action === 'resume')) {
        return queues.pauseQueue(ctx, id, action === 'pause')
      }
      break
    case 'schedules':
      if (n === 2 && method === 'GET') return schedules.listSchedules(ctx)
      if (n === 3 && id !== undefined && method === 'GET') return schedules.getSchedule(ctx, id)
      if (n === 3 && id !== undefined && method === 'DELETE') return schedules.deleteSchedule(ctx, id)
      // The SDK pauses/resumes with PATCH; the REST docs say POST (handled with the raw prefixes above).
      if (n === 4 && id !== undefined && method === 'PATCH' && (action === 'pause' || action === 'resume')) {
        return schedules.pauseSchedule(ctx, id, action === 'pause')
      }
      break
    case 'dlq':
      if (n === 2 && method === 'GET') return dlq.listDlq(ctx)
      if (n === 2 && method === 'DELETE') return dlq.deleteDlqBulk(ctx)
      if (id === 'retry' && method === 'POST') {
        if (n === 3) return dlq.retryDlqBulk(ctx)
        if (n === 4 && action !== undefined) return dlq.retryDlq(ctx, action)
      }
      if (n === 3 && id !== undefined && method === 'GET') return dlq.getDlq(ctx, id)
      if (n === 3 && id !== undefined && method === 'DELETE') return dlq.deleteDlq(ctx, id)
      break
    case 'events':
    case 'logs':
      if (n === 2 && method === 'GET') return listEvents(ctx)
      break
    case 'flowControl':
      if (n === 2 && method === 'GET') return flowControl.listFlowControls(ctx)
      if (n === 3 && id !== undefined && method === 'GET') return flowControl.getFlowControl(ctx, id)
      if (n === 4 && id !== undefined && method === 'POST' && flowControl.isFlowControlAction(action)) {
        return flowControl.flowControlAction(ctx, id, action)
      }
      break
    case 'globalParallelism':
      if (n === 2 && method === 'GET') return flowControl.getGlobalParallelism(ctx)
      break
    case 'keys':
      if (n === 2 && method === 'GET') return getKeys(ctx)
      if (n === 3 && id === 'rotate' && method === 'POST') return rotateKeys(ctx)
      break
    case 'topics':
      if (n === 2 && method === 'GET') return topics.listTopics(ctx)
      if (n === 3 && id !== undefined && method === 'GET') return topics.getTopic(ctx, id)
      if (n === 3 && id !== undefined && method === 'DELETE') return topics.deleteTopic(ctx, id)
      if (n === 4 && id !== undefined && action === 'endpoints' && method === 'POST') {
        return topics.addEndpoints(ctx, id)
      }
      if (n === 4 && id !== undefined && action === 'endpoints' && method === 'DELETE') {
        return topics.removeEndpoints(ctx, id)
      }
      break
  }
  throw new HttpError(404, { error: `no route for ${method} ${path}` })
}
