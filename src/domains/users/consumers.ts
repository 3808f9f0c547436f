/**
 * `user.deleted` → `users.end-sessions`: ends the deleted user's sessions (access and refresh) and drops its cached
 * auth snapshot. `UserService.delete` does the same right after its batch; this consumer makes it certain when Redis
 * failed at that moment — it fails (and QStash retries it) until Redis takes it; the user's sockets are closed with
 * the sessions (SessionStore). Idempotent by nature: a second run finds nothing left to end.
 */
import { redisKeys } from '../../infra/redis-keys'
import { SessionStore } from '../auth/sessions'
import { onEvent } from '../events/define'
import { userDeleted } from './events'

export const endDeletedUserSessions = onEvent(userDeleted, {
  name: 'users.end-sessions',
  retries: 5,
  async handler({ event, redis, config, logger, realtime }) {
    // Without Redis there are no sessions (logins need it), so nothing can outlive the user.
    if (!redis) return
    const keys = redisKeys(config)
    const userId = event.payload.user_id
    const ended = await new SessionStore(redis, keys, realtime).revokeAllForUser(userId)
    await redis.del(keys.authUser(userId))
    if (ended) logger.info('sessions of a deleted user ended', { user_id: userId, sessions: ended })
  },
})

export const USER_CONSUMERS = [endDeletedUserSessions]
