/**
 * The routes QStash calls (`access: 'qstash'`: a signed delivery or a 401, see http/qstash-signature.ts). One route
 * takes every kind of delivery — a task (docs/tasks.md) or one consumer's copy of a domain event (docs/events.md) —
 * and one takes QStash's failure callbacks. They are part of the v1 document so the contract is visible, but only
 * QStash calls them.
 */
import type { Context } from 'hono'
import { base64ToBytes } from '../../core/encoding'
import { t } from '../../core/i18n'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonBody, jsonEnvelope, z } from '../../http/openapi'
import { realtimeOf } from '../../http/realtime'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { QSTASH_DELIVERY_ROUTE, QSTASH_FAILURE_ROUTE } from '../../infra/qstash'
import { required } from '../../infra/services'
import { type EventConsumerDeps, runEventDelivery } from '../events/consumer'
import { EventDeliverySchema } from '../events/dispatch'
import type { AppCatalogue } from '../module'
import { type ConsumerDeps, recordGaveUp, runDelivery } from './consumer'
import { TaskDeliverySchema, tasksOf } from './submitter'

const TAGS = ['QStash deliveries']

const DeliverySchema = z.discriminatedUnion('kind', [TaskDeliverySchema, EventDeliverySchema]).openapi('QstashDelivery')

const DeliveryResultSchema = z
  .object({
    task_id: z.string().optional(),
    event_id: z.string().optional(),
    state: z.string().openapi({
      description: 'A task row afterwards (SUCCESS, FAILURE, RETRY, REVOKED, …) or an event: APPLIED, DUPLICATE, …',
    }),
    ran: z.boolean().openapi({ description: 'Whether this delivery ran the handler' }),
  })
  .openapi('DeliveryResult')

/** QStash's failure-callback body (the fields read here; QStash sends more). */
const FailureCallbackSchema = z
  .looseObject({
    status: z.number().int().default(0),
    retried: z.number().int().min(0).default(0),
    dlqId: z.string().optional(),
    /** The last answer's body, base64. */
    body: z.string().default(''),
    /** The original message's body, base64. */
    sourceBody: z.string(),
  })
  .openapi('QstashFailureCallback')

const deliver = defineRoute({
  method: 'post',
  path: QSTASH_DELIVERY_ROUTE,
  tags: TAGS,
  summary: 'A QStash delivery (a task, or an event for one consumer): runs it once',
  description:
    'Called by QStash only. 200: done or already done; 409: running in another delivery; 500: the run failed ' +
    '(QStash retries, then moves the message to its DLQ).',
  access: 'qstash',
  request: jsonBody(DeliverySchema),
  responses: {
    200: jsonEnvelope(DeliveryResultSchema, 'Ran, or nothing left to run'),
    409: jsonEnvelope(DeliveryResultSchema, 'Running in another delivery: QStash retries later'),
    500: jsonEnvelope(DeliveryResultSchema, 'The run failed: QStash retries, then dead-letters'),
  },
})

const failed = defineRoute({
  method: 'post',
  path: QSTASH_FAILURE_ROUTE,
  tags: TAGS,
  summary: "QStash's failure callback: the delivery's retries are exhausted",
  access: 'qstash',
  request: jsonBody(FailureCallbackSchema),
  responses: { 200: jsonEnvelope(z.object({ recorded: z.boolean() }), 'Recorded') },
})

function consumerDeps(c: Context<AppEnv>, app: AppCatalogue): ConsumerDeps {
  const services = c.get('services')
  const db = required(services.db, 'database')
  const config = c.get('config')
  const logger = c.get('logger')
  let tasks: ReturnType<typeof tasksOf> | undefined
  return {
    db,
    config,
    registry: app.tasks,
    logger,
    // The delivery request's bindings: task notifications and the handler's pushes reach the hub from here.
    realtime: realtimeOf(c),
    // Built on first use: most handlers need neither (the services container is lazy too).
    get redis() {
      return services.redis
    },
    get tasks() {
      tasks ??= tasksOf(c)
      return tasks
    },
  }
}

function eventDeps(c: Context<AppEnv>, app: AppCatalogue): EventConsumerDeps {
  const services = c.get('services')
  return {
    db: required(services.db, 'database'),
    get redis() {
      return services.redis
    },
    config: c.get('config'),
    registry: app.events,
    logger: c.get('logger'),
    realtime: realtimeOf(c),
  }
}

/** `Stratum@FRA` on Cloudflare (the colo that ran it), `Stratum@local` elsewhere. */
function workerName(c: Context<AppEnv>): string {
  const colo = (c.req.raw as { cf?: { colo?: string } }).cf?.colo
  return `${c.get('config').APP_NAME}@${colo ?? 'local'}`
}

function decodeDelivery(base64: string): z.infer<typeof DeliverySchema> | undefined {
  try {
    const parsed = DeliverySchema.safeParse(JSON.parse(new TextDecoder().decode(base64ToBytes(base64))))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

export function deliveryRoutes(app: AppCatalogue) {
  return createRouter()
    .openapi(deliver, async (c) => {
      const header = Number.parseInt(c.req.header('upstash-retried') ?? '0', 10)
      const retried = Number.isFinite(header) && header >= 0 ? header : 0
      const delivery = c.req.valid('json')
      if (delivery.kind === 'event') {
        const { status, event_id, state, ran } = await runEventDelivery(eventDeps(c, app), delivery, { retried })
        if (status === 200) return ok(c, { event_id, state, ran })
        return c.json({ code: status, msg: t(c.get('lang'), 'event.failed'), data: { event_id, state, ran } }, status)
      }
      const outcome = await runDelivery(consumerDeps(c, app), delivery, { retried, worker: workerName(c) })
      const { status, task_id, state, ran } = outcome
      if (status === 200) return ok(c, { task_id, state, ran })
      // Not an error of the request: the task failed or is busy. Answered directly (the error handler would log it
      // as a server error); the run already logged what happened.
      const msg = t(c.get('lang'), status === 409 ? 'task.running' : 'task.failed')
      return c.json({ code: status, msg, data: { task_id, state, ran } }, status)
    })
    .openapi(failed, async (c) => {
      const body = c.req.valid('json')
      const delivery = decodeDelivery(body.sourceBody)
      if (!delivery) {
        // Not one of ours (or a kind a later version handles): acknowledged, nothing to record.
        c.get('logger').warn('qstash failure callback for an unknown delivery')
        return ok(c, { recorded: false })
      }
      if (delivery.kind === 'event') {
        // The event's message stays in QStash's DLQ, listed and retried through `/events/dlq` (docs/events.md).
        const { event_id, name, consumer } = delivery
        c.get('logger').warn('event consumer gave up: message in the DLQ', {
          event_id,
          event: name,
          consumer,
          dlq_id: body.dlqId,
        })
        return ok(c, { recorded: false })
      }
      const { db, realtime } = consumerDeps(c, app)
      const recorded = await recordGaveUp({ db, logger: c.get('logger'), realtime }, delivery, {
        status: body.status,
        retried: body.retried,
        dlqId: body.dlqId,
        responseBody: new TextDecoder().decode(base64ToBytes(body.body)),
      })
      return ok(c, { recorded })
    })
}
