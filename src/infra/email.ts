/**
 * Outgoing email through one port, `EmailSender`, and the dev outbox: in development and test, messages go to a
 * capped list in Redis (`<prefix>:dev:outbox`, newest first), so developers and tests can read what was "sent"
 * (`readOutbox`, or `LRANGE` on the key). Which sender a request uses is chosen in http/email.ts.
 */
import type { Config } from '../core/config'
import type { Redis } from './redis'

export interface EmailMessage {
  to: string[]
  subject: string
  text: string
  html?: string | undefined
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>
}

/** A message as recorded in the dev outbox. */
export interface OutboxMessage extends EmailMessage {
  /** Epoch ms. */
  sentAt: number
}

/** Messages kept in the dev outbox, and for how long after the last one. */
export const OUTBOX_MAX_MESSAGES = 100
export const OUTBOX_TTL_SECONDS = 86_400

/** The dev outbox list: development and test only. */
export const devOutboxKey = (config: Pick<Config, 'REDIS_KEY_PREFIX'>) => `${config.REDIS_KEY_PREFIX}:dev:outbox`

/** Records messages in Redis instead of sending them (development and test). */
export class RedisOutbox implements EmailSender {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    const entry: OutboxMessage = { ...message, sentAt: Date.now() }
    const p = this.redis.pipeline()
    p.lpush(this.key, JSON.stringify(entry))
    p.ltrim(this.key, 0, OUTBOX_MAX_MESSAGES - 1)
    p.expire(this.key, OUTBOX_TTL_SECONDS)
    await p.exec()
  }
}

/** The dev outbox's messages, newest first. */
export async function readOutbox(redis: Redis, config: Pick<Config, 'REDIS_KEY_PREFIX'>): Promise<OutboxMessage[]> {
  const entries = await redis.lrange<OutboxMessage | string>(devOutboxKey(config), 0, -1)
  return entries.map((e) => (typeof e === 'string' ? (JSON.parse(e) as OutboxMessage) : e))
}
