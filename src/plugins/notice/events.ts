/** The notice plugin's event (docs/events.md); its consumer is in ./consumers.ts. */
import { z } from '@hono/zod-openapi'
import { defineEvent } from '../../domains/events/define'

/**
 * A notice is shown: created or updated with `status` 1. Every such write emits it (an edit of a shown notice is
 * published again, with its new title); hiding or deleting a notice is no publication.
 */
export const noticePublished = defineEvent(
  'notice.published',
  z.object({ notice_id: z.number().int(), title: z.string(), type: z.number().int() }),
)

export const NOTICE_EVENTS = [noticePublished]
