/** `notice.published` → `notices.broadcast` (docs/events.md). */
import { onEvent } from '../../domains/events/define'
import { noticePublished } from './events'

/** The Socket.IO event a published notice is pushed as, to every connected admin UI (docs/realtime.md). */
export const NOTICE_EVENT = 'notice'

/**
 * Pushes a published notice to every connected socket as `notice {id, title, type}` (the row's id: a client fetches
 * `GET /sys/notices/{id}` for the content, which is not sent to everyone who happens to be connected). Delivered at
 * least once: the consumer's record stops a redelivery once it has run; a notification shown twice after a rare race
 * is harmless. Best effort: no socket reached (or no hub) is not a failure to retry.
 */
export const broadcastPublishedNotice = onEvent(noticePublished, {
  name: 'notices.broadcast',
  async handler({ event, logger, realtime }) {
    const { notice_id, title, type } = event.payload
    const reached = await realtime.emit(NOTICE_EVENT, { id: notice_id, title, type }, { to: 'all' })
    logger.info('notice published', { notice_id, title, type, sockets: reached })
  },
})

export const NOTICE_CONSUMERS = [broadcastPublishedNotice]
