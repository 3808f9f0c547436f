/**
 * The production email transport: SMTP, one connection per message, the whole exchange (connect, TLS, login, send)
 * under one deadline (`EMAIL_TIMEOUT_MS`): a slow or silent server is a 503, never a hung request. Which sender a
 * request uses is chosen in http/email.ts.
 *
 * How the bytes leave the host is a port, `SmtpTransport`, with one implementation per host, chosen through
 * `ServiceFactories.smtpTransport` (./services.ts) as the server probe is: Workers (here) speak SMTP over Cloudflare's
 * TCP sockets (`cloudflare:sockets`) through `worker-mailer`, which also builds the MIME message; the Node, Bun and
 * Deno hosts over `node:net`/`node:tls` through nodemailer (infra/node/smtp-email.ts). Same settings, same behaviour.
 *
 * `worker-mailer` is loaded on the first send: it imports `cloudflare:sockets`, which only the Workers runtime has,
 * so Node tools that load the app's modules (the CLI, the hosts) must not import it eagerly.
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

/** How one message reaches an SMTP server from this host. */
export interface SmtpTransport {
  /**
   * Sends `message` over one connection within `deadline`; a failure (refused, unreachable, rejected, too slow) is
   * thrown as the deadline's `DependencyUnavailableError` (a 503 for `email`).
   */
  send(options: SmtpOptions, message: EmailMessage, deadline: Deadline): Promise<void>
}

/** Workers: `worker-mailer` over `cloudflare:sockets`. */
export const workersSmtpTransport: SmtpTransport = {
  async send(options, message, deadline) {
    const { host, port, ssl, username, password, from, fromName } = options
    const ms = deadline.ms
    // It takes no signal: its own timeouts end the socket, the deadline ends our wait.
    await deadline.run(async () => {
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
  },
}

export class SmtpEmailSender implements EmailSender {
  constructor(
    private readonly options: SmtpOptions,
    private readonly deadline: Deadline,
    private readonly transport: SmtpTransport = workersSmtpTransport,
  ) {}

  send(message: EmailMessage): Promise<void> {
    return this.transport.send(this.options, message, this.deadline)
  }
}
