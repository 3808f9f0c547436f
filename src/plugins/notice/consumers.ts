/** `notice.published` → `notices.broadcast` (docs/events.md). */
import { onEvent } from '../../domains/events/define'
import { noticePublished } from './events'

/**
 * The hand-off point for pushing a published notice to the signed-in admin UIs. The realtime channel does not exist
 * yet: for now the consumer logs the notice, and this is where `realtime.emit(…)` will go (the realtime issue fills
 * it). Delivered at least once: the consumer's record stops a redelivery once it has run; a UI notification shown
 * twice after a rare race is harmless.
 */
export const broadcastPublishedNotice = onEvent(noticePublished, {
  name: 'notices.broadcast',
  async handler({ event, logger }) {
    const { notice_id, title, type } = event.payload
    logger.info('notice published', { notice_id, title, type })
  },
})

export const NOTICE_CONSUMERS = [broadcastPublishedNotice]
