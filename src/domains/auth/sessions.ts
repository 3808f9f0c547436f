/**
 * Login sessions in Redis: one record per session, a per-user index and a global index for the online list.
 * A session is the family of one login: it holds the jti of the current access token and of the current (and the
 * previous) refresh token. Anything not matching the record is dead, so revoking a session ends access *and*
 * refresh at once, and a replayed old refresh token is detected (see auth service).
 *
 * Revoking is also where realtime sockets end: every path that ends a session (logout, forced logout, password change
 * or reset, a user disabled or deleted, multi-login switched off, a refresh token replayed) goes through `revoke` or
 * `revokeAllForUser`, which close that session's (or user's) Socket.IO connections at once (docs/realtime.md, "Kicks").
 */
import type { Realtime } from '../../infra/realtime'
import type { Redis, RedisCommand, RedisPipeline } from '../../infra/redis'
import type { RedisKeys } from '../../infra/redis-keys'

export interface SessionClient {
  ip: string
  os: string | null
  browser: string | null
  device: string | null
  country: string | null
  region: string | null
  city: string | null
}

export interface Session extends SessionClient {
  sid: string
  userId: number
  accessJti: string
  refreshJti: string
  /** The refresh jti replaced by the last rotation, accepted again only within the grace window. */
  prevRefreshJti: string | null
  /** When the last rotation happened (epoch ms). */
  rotatedAt: number | null
  /** Docs-UI logins get no refresh token and stay out of the online list. */
  swagger: boolean
  loginTime: number
  /** Epoch ms after which the session is gone (the refresh token's expiry). */
  expiresAt: number
}

/**
 * Ends every session of a user: KEYS[1] the user's set of session ids, KEYS[2] the online index, ARGV[1] the prefix of
 * a session's key. Answers the ids it ended.
 */
const END_ALL_SESSIONS = `local sids = redis.call('SMEMBERS', KEYS[1])
for _, sid in ipairs(sids) do
  redis.call('DEL', ARGV[1] .. sid)
  redis.call('ZREM', KEYS[2], sid)
end
redis.call('DEL', KEYS[1])
return sids`

/** What the store needs of the push API: closing the sockets of ended sessions (best effort, never throws). */
export type SessionKicks = Pick<Realtime, 'disconnect'>

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly realtime: SessionKicks,
  ) {}

  /**
   * Writes a new session in one lean pipeline request (`send`) together with `alsoDelete` — when `exclusive`, after
   * ending every other session of the user in the same request (a script reads and empties the user's set in Redis,
   * so no round trip goes to learning the ids first). Answers the ids of the sessions it ended: their sockets are still
   * open until `kick` closes them.
   */
  async start(
    send: RedisPipeline,
    session: Session,
    options: { exclusive: boolean; alsoDelete?: readonly string[] },
  ): Promise<string[]> {
    const commands: RedisCommand[] = []
    if (options.exclusive) {
      const userSessions = this.keys.userSessions(session.userId)
      commands.push(['EVAL', END_ALL_SESSIONS, 2, userSessions, this.keys.allSessions(), this.keys.session('')])
    }
    commands.push(...this.#writes(session))
    if (options.alsoDelete?.length) commands.push(['DEL', ...options.alsoDelete])
    const [ended] = await send(commands)
    return options.exclusive && Array.isArray(ended) ? ended.map(String) : []
  }

  /** Closes the sockets of sessions that `start` ended (best effort, like every kick). */
  async kick(sids: readonly string[]): Promise<void> {
    await Promise.all(sids.map((sid) => this.realtime.disconnect({ session: sid })))
  }

  /** Rewrites a session (a rotation) and its index entries in one lean pipeline request (`send`). */
  async save(send: RedisPipeline, session: Session): Promise<void> {
    await send(this.#writes(session))
  }

  /** The record, the user's index and the online index of `session`, all living as long as the session. */
  #writes(session: Session): RedisCommand[] {
    const ttl = Math.max(1, Math.ceil((session.expiresAt - Date.now()) / 1000))
    const userSessions = this.keys.userSessions(session.userId)
    const commands: RedisCommand[] = [
      ['SET', this.keys.session(session.sid), JSON.stringify(session), 'EX', ttl],
      ['SADD', userSessions, session.sid],
      ['EXPIRE', userSessions, ttl],
    ]
    if (!session.swagger) commands.push(['ZADD', this.keys.allSessions(), session.expiresAt, session.sid])
    return commands
  }

  async get(sid: string): Promise<Session | null> {
    return this.redis.get<Session>(this.keys.session(sid))
  }

  /** Ends one session (access and refresh) and closes its sockets. */
  async revoke(session: Pick<Session, 'sid' | 'userId'>): Promise<void> {
    const p = this.redis.pipeline()
    p.del(this.keys.session(session.sid))
    p.srem(this.keys.userSessions(session.userId), session.sid)
    p.zrem(this.keys.allSessions(), session.sid)
    await p.exec()
    // After the session is gone, so a socket cannot reconnect with it in between.
    await this.realtime.disconnect({ session: session.sid })
  }

  /**
   * Ends every session of a user, except `keepSid` when given, and closes their sockets. Returns how many ended (none:
   * no push either, so a login without other sessions costs no call to the hub).
   */
  async revokeAllForUser(userId: number, keepSid?: string): Promise<number> {
    const sids = (await this.redis.smembers(this.keys.userSessions(userId))).filter((sid) => sid !== keepSid)
    if (!sids.length) return 0
    const p = this.redis.pipeline()
    p.del(...sids.map((sid) => this.keys.session(sid)))
    p.srem(this.keys.userSessions(userId), ...sids)
    p.zrem(this.keys.allSessions(), ...sids)
    await p.exec()
    // Every session ended: one kick for the user. One kept: a kick per ended session, the kept one's sockets stay.
    if (keepSid === undefined) await this.realtime.disconnect({ user: userId })
    else await Promise.all(sids.map((sid) => this.realtime.disconnect({ session: sid })))
    return sids.length
  }

  /** Live sessions for the online list (expired index entries are pruned on the way). */
  async listActive(): Promise<Session[]> {
    const now = Date.now()
    await this.redis.zremrangebyscore(this.keys.allSessions(), 0, now)
    const sids = await this.redis.zrange<string[]>(this.keys.allSessions(), 0, -1)
    if (!sids.length) return []
    const sessions = await this.redis.mget<(Session | null)[]>(...sids.map((sid) => this.keys.session(sid)))
    return sessions.filter((s): s is Session => s !== null)
  }
}
