/**
 * Outgoing email through one port, `EmailSender`. A deployment plugs its transport in with `registerEmailSender`
 * (an HTTP mail API, Cloudflare Email Routing, …): the factory runs per request and reads what it needs from the
 * request context, so nothing holding I/O lives at module scope.
 *
 * Without a registered sender:
 * - development and test: messages go to a dev outbox in Redis (a capped list under `<prefix>:dev:outbox`, newest
 *   first), so developers and tests can read what was "sent" (`readOutbox`, or `LRANGE` on the key);
 * - production: sending fails with a 503 saying email is not configured — never a silent drop.
 */
import type { Context } from 'hono'
import type { Config } from '../core/config'
import { isProduction } from '../core/config'
import type { AppEnv } from '../core/context'
import { ServiceUnavailableError } from '../core/errors'
import type { Redis } from './redis'
import { required } from './services'

export interface EmailMessage {
  to: string[]
  subject: string
  text: string
  html?: string | undefined
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>
}

/** Builds the sender for one request; undefined when this request has no transport (falls back as above). */
export type EmailSenderFactory = (c: Context<AppEnv>) => EmailSender | undefined

let registered: EmailSenderFactory | undefined

/** Plugs a transport in (call once at startup, e.g. from a plugin); `undefined` removes it. */
export function registerEmailSender(factory: EmailSenderFactory | undefined): void {
  registered = factory
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

/** The sender for this request (see the module comment); 503 in production when none is registered. */
export function emailSender(c: Context<AppEnv>): EmailSender {
  const sender = registered?.(c)
  if (sender) return sender
  const config = c.get('config')
  const services = c.get('services')
  if (isProduction(config)) {
    throw new ServiceUnavailableError('email.sender_unavailable', {
      data: { service: 'email', reason: 'no email sender is configured' },
    })
  }
  return new RedisOutbox(required(services.redis, 'redis'), devOutboxKey(config))
}
