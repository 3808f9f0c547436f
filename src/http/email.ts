/**
 * The email sender of a request, first found of:
 * 1. a factory registered with `registerEmailSender` (an HTTP mail API, Cloudflare Email Routing, a test's fake):
 *    it runs per request and reads what it needs from the request context, so nothing holding I/O lives at module
 *    scope;
 * 2. the request's plugin transport (`emailTransport`, set per request by an enabled plugin with `emailTransport` in
 *    its manifest: the `email` plugin's SMTP, docs/email.md);
 * 3. development and test: the dev outbox in Redis (infra/email.ts);
 *    production: sending fails with a 503 saying email is not configured — never a silent drop.
 */
import type { Context } from 'hono'
import { isProduction } from '../core/config'
import { ServiceUnavailableError } from '../core/errors'
import { devOutboxKey, type EmailSender, RedisOutbox } from '../infra/email'
import { required } from '../infra/services'
import type { AppEnv } from './context'

/** Builds the sender for one request; undefined when this request has no transport (falls back as above). */
export type EmailSenderFactory = (c: Context<AppEnv>) => EmailSender | undefined

/** A plugin's transport for one request (it may read settings first); undefined when it has none configured. */
export type ContextEmailTransport = (c: Context<AppEnv>) => Promise<EmailSender | undefined>

declare module './context' {
  interface Variables {
    /** Set per request when an enabled plugin provides an email transport (plugins/settings.ts). */
    emailTransport?: ContextEmailTransport
  }
}

let registered: EmailSenderFactory | undefined

/** Plugs a transport in (call once at startup, e.g. from a plugin); `undefined` removes it. */
export function registerEmailSender(factory: EmailSenderFactory | undefined): void {
  registered = factory
}

/** The sender for this request (see the module comment); 503 in production when there is none. */
export async function emailSender(c: Context<AppEnv>): Promise<EmailSender> {
  const sender = registered?.(c) ?? (await c.get('emailTransport')?.(c))
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
