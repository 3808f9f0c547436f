/**
 * Shapes of `/events/dlq` (Stratum extension, docs/events.md): the consumers' deliveries QStash gave up on, as its
 * DLQ holds them, and a retry's answer. Paged like `/tasks/dlq`: QStash's cursor, not page numbers.
 */
import { z } from '@hono/zod-openapi'
import { optionalTextQuery } from '../../core/schemas'

/** The most DLQ entries one page asks QStash for (QStash's own page limit). */
export const MAX_DLQ_PAGE = 100

/** `?cursor=&size=` of a DLQ listing (tasks and events). */
export const DlqListQuerySchema = z.object({
  cursor: optionalTextQuery(64, "The previous page's `cursor`; left out for the newest entries"),
  size: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_DLQ_PAGE)
    .default(20)
    .openapi({ description: `Entries QStash is asked for (1–${MAX_DLQ_PAGE})`, example: 20 }),
})

/** The fields every DLQ entry shows, whatever it carried (tasks and events share QStash's DLQ). */
export const dlqEntryFields = {
  dlq_id: z.string(),
  message_id: z.string(),
  created_time: z.string().openapi({ description: 'When the message was published', example: '2026-11-22 02:00:00' }),
  response_status: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "Status of the last attempt; null when the app's URL did not answer" }),
  error: z.string().nullable().openapi({ description: 'Body of the last failed answer (shortened)' }),
}

/** One page of DLQ entries of one kind, paged by QStash's cursor. */
export const dlqPageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
    })
    .openapi(name)

export const DlqEventSchema = z
  .object({
    ...dlqEntryFields,
    event_id: z.string().openapi({ description: "The outbox row's event id (the same for every consumer)" }),
    name: z.string().openapi({ example: 'user.deleted' }),
    consumer: z.string().openapi({ description: 'The consumer that gave up', example: 'users.end-sessions' }),
  })
  .openapi('DlqEvent')

export type DlqEventOut = z.infer<typeof DlqEventSchema>

export const EventDlqPageSchema = dlqPageOf(DlqEventSchema, 'EventDlqPage')

/** `{dlq_id}` of a DLQ entry (tasks and events). */
export const DlqIdParamSchema = z.object({
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
