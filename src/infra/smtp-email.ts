/**
 * The production email transport: SMTP over Cloudflare's TCP sockets (`cloudflare:sockets`, through `worker-mailer`,
 * which also builds the MIME message). One connection per message — a Worker keeps no pool between requests — and
 * the whole exchange (connect, TLS, login, send) runs under one deadline (`EMAIL_TIMEOUT_MS`): a slow or silent
 * server is a 503, never a hung request. Which sender a request uses is chosen in http/email.ts.
 *
 * `worker-mailer` is loaded on the first send: it imports `cloudflare:sockets`, which only the Workers runtime has,
 * so Node tools that load the app's modules (the CLI, the Node host) must not import it eagerly.
 */
import type { Deadline } from './deadline'
import type { EmailMessage, EmailSender } from './email'

export interface SmtpOptions {
  host: string
  port: number
  /** Implicit TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when the server offers it. */
  ssl: boolean
  /** Empty: no login (a relay that trusts the sender's address, or the local stand-in). */
  username: string
  password: string
  /** The `From` address; empty: the username. */
  from: string
  /** Shown as the sender's name. */
  fromName: string
}

export class SmtpEmailSender implements EmailSender {
  constructor(
    private readonly options: SmtpOptions,
    private readonly deadline: Deadline,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    const { host, port, ssl, username, password, from, fromName } = this.options
    const ms = this.deadline.ms
    await this.deadline.run(async () => {
      const { LogLevel, WorkerMailer } = await import('worker-mailer')
      await WorkerMailer.send(
        {
          host,
          port,
          secure: ssl,
          startTls: !ssl,
          ...(username ? { credentials: { username, password }, authType: ['plain', 'login'] } : {}),
          // Its own console lines would bypass the app's logger; failures reach us as thrown errors.
          logLevel: LogLevel.NONE,
          socketTimeoutMs: ms,
          responseTimeoutMs: ms,
        },
        {
          from: { name: fromName, email: from || username },
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
        },
      )
    })
  }
}
