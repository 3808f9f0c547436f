/**
 * The `email` plugin's transport (the manifest's `emailTransport`, see http/email.ts): SMTP when `EMAIL_TRANSPORT`
 * is `smtp`, with the settings of ./settings.ts, over the host's SMTP transport (infra/smtp-email.ts); otherwise none
 * (the dev outbox, or a 503 in production).
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../http/context'
import { Deadline } from '../../infra/deadline'
import type { EmailSender } from '../../infra/email'
import { SmtpEmailSender } from '../../infra/smtp-email'
import { emailEnvSettings, resolveEmailSettings } from './settings'

export async function emailTransport(
  c: Context<AppEnv>,
  plugins: { enabled(name: string): boolean },
): Promise<EmailSender | undefined> {
  if (emailEnvSettings(c.env).EMAIL_TRANSPORT !== 'smtp') return undefined
  const { db, cache, smtpTransport } = c.get('services')
  const s = await resolveEmailSettings(c.env, { db, cache, rowsApply: plugins.enabled('config') })
  return new SmtpEmailSender(
    {
      host: s.EMAIL_HOST,
      port: s.EMAIL_PORT,
      ssl: s.EMAIL_SSL,
      username: s.EMAIL_USERNAME,
      password: s.EMAIL_PASSWORD,
      from: s.EMAIL_FROM,
      fromName: c.get('config').APP_NAME,
    },
    new Deadline('email', s.EMAIL_TIMEOUT_MS),
    // The host's way out: worker-mailer on Workers, nodemailer on Node, Bun and Deno (docs/hosts.md).
    smtpTransport,
  )
}
