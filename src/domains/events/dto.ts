/**
 * Shapes of `/events/dlq` (Stratum extension, docs/events.md): the consumers' deliveries QStash gave up on, as its
 * DLQ holds them, and a retry's answer. Paged like `/tasks/dlq`: QStash's cursor, not page numbers.
 */
import { z } from '@hono/zod-openapi'
import { optionalTextQuery } from '../../core/schemas'

/** The most DLQ entries one page asks QStash for (QStash's own page limit). */
export const MAX_EVENT_DLQ_PAGE = 100

export const EventDlqQuerySchema = z.object({
  cursor: optionalTextQuery(64, "The previous page's `cursor`; left out for the newest entries"),
  size: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_EVENT_DLQ_PAGE)
    .default(20)
    .openapi({ description: `Entries QStash is asked for (1–${MAX_EVENT_DLQ_PAGE})`, example: 20 }),
})

export const DlqEventSchema = z
  .object({
    dlq_id: z.string(),
    message_id: z.string(),
    event_id: z.string().openapi({ description: "The outbox row's event id (the same for every consumer)" }),
    name: z.string().openapi({ example: 'user.deleted' }),
    consumer: z.string().openapi({ description: 'The consumer that gave up', example: 'users.end-sessions' }),
    created_time: z.string().openapi({ description: 'When the message was published', example: '2026-11-22 02:00:00' }),
    response_status: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Status of the last attempt; null when the app's URL did not answer" }),
    error: z.string().nullable().openapi({ description: 'Body of the last failed answer (shortened)' }),
  })
  .openapi('DlqEvent')

export type DlqEventOut = z.infer<typeof DlqEventSchema>

export const EventDlqPageSchema = z
  .object({
    items: z.array(DlqEventSchema),
    cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('EventDlqPage')

export const EventDlqIdParamSchema = z.object({
  dlq_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'dlq_id', in: 'path' } }),
})

export const EventDlqRetrySchema = z
  .object({
    event_id: z.string(),
    consumer: z.string(),
    message_id: z.string().openapi({ description: 'The new QStash message carrying the delivery' }),
  })
  .openapi('EventDlqRetry')
