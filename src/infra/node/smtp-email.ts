/**
 * Node, Bun and Deno (never imported by the Worker entry): the SMTP transport of the `email` plugin on these hosts
 * (`SmtpTransport`, ../smtp-email.ts) — nodemailer over `node:net`/`node:tls`, which Bun and Deno provide too, with
 * the Worker's settings and behaviour: one connection per message; `ssl` is TLS from the first byte, otherwise plain
 * upgraded by STARTTLS when the server offers it; a login (PLAIN or LOGIN, whichever the server offers) when a
 * username is set; the `From` name and address as on Workers.
 *
 * The deadline's signal cancels the exchange (nodemailer closes the socket), so a silent server costs one socket for
 * `EMAIL_TIMEOUT_MS`, not until the OS gives up. nodemailer is loaded on the first send: a host that never mails
 * never loads it.
 */
import type { SmtpTransport } from '../smtp-email'

export const nodeSmtpTransport: SmtpTransport = {
  async send(options, message, deadline) {
    const { host, port, ssl, username, password, from, fromName } = options
    const signal = deadline.signal()
    try {
      const { createTransport } = await import('nodemailer')
      const ms = deadline.ms
      const transporter = createTransport({
        host,
        port,
        secure: ssl,
        ...(username ? { auth: { user: username, pass: password } } : {}),
        // Each step is bounded by the deadline too (the signal bounds the whole).
        connectionTimeout: ms,
        greetingTimeout: ms,
        socketTimeout: ms,
        dnsTimeout: ms,
        logger: false,
      })
      await transporter.sendMail({
        from: { name: fromName, address: from || username },
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        signal,
      })
    } catch (err) {
      throw deadline.failure(err, signal)
    }
  },
}
