/**
 * Local SMTP stand-in (docs/email.md): a real SMTP server (`smtp-server`) that accepts every message — any or no
 * login, no TLS — keeps it in memory, and shows it on a small HTTP viewer, so a developer can read a captcha mail
 * on a fresh clone with no mail account:
 *
 *   GET  /                     the inbox as a page (newest first)
 *   GET  /messages[?to=addr]   the inbox as JSON (`ReceivedMail[]`)
 *   DELETE /messages           empties it
 *
 * `port` is the SMTP port (what the Worker's `EMAIL_PORT` points at); the viewer takes `viewerPort` (0 = free).
 */
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import type { RunningEmulator } from '../shared/emulator'
import { listen, sendJson } from '../shared/http'
import { Mailbox } from './mailbox'
import { inboxPage } from './page'

export interface SmtpEmulatorOptions {
  host?: string
  /** SMTP port; 0 or omitted: a free one. */
  port?: number
  /** The viewer's HTTP port; 0 or omitted: a free one. */
  viewerPort?: number
}

export interface RunningSmtpEmulator extends RunningEmulator {
  /** The SMTP port (`port` is the same; `url` is the viewer). */
  smtpPort: number
  mailbox: Mailbox
}

/** Largest message accepted (a captcha mail is a few KiB). */
const MAX_MESSAGE_BYTES = 1024 * 1024

export async function startSmtpEmulator(options: SmtpEmulatorOptions = {}): Promise<RunningSmtpEmulator> {
  const host = options.host ?? '127.0.0.1'
  const mailbox = new Mailbox()
  const smtp = new SMTPServer({
    secure: false,
    // A local stand-in: plain text, any credentials (the Worker's adapter logs in as it would in production).
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    banner: 'Stratum local SMTP stand-in',
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'local' }),
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((parsed) => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
          mailbox.add({ from, to: session.envelope.rcptTo.map((r) => r.address) }, parsed)
          callback()
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))))
    },
  })
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject)
    smtp.listen(options.port ?? 0, host, () => {
      smtp.off('error', reject)
      resolve()
    })
  })
  // A client that drops mid-session must not take the stand-in down.
  smtp.on('error', () => undefined)
  const smtpPort = (smtp.server.address() as AddressInfo).port
  const closeSmtp = () => new Promise<void>((resolve) => smtp.close(() => resolve()))

  const viewer = await listen(
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://local')
      if (url.pathname === '/messages' && req.method === 'GET') {
        return sendJson(res, 200, mailbox.list(url.searchParams.get('to') ?? undefined))
      }
      if (url.pathname === '/messages' && req.method === 'DELETE') {
        mailbox.clear()
        return sendJson(res, 200, { ok: true })
      }
      if (url.pathname === '/' && req.method === 'GET') {
        const page = inboxPage(mailbox.list(), smtpPort)
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        })
        res.end(page)
        return
      }
      sendJson(res, 404, { error: 'not found' })
    },
    { host, port: options.viewerPort ?? 0 },
  ).catch(async (err: unknown) => {
    await closeSmtp()
    throw err
  })

  return {
    name: 'smtp',
    url: viewer.url,
    port: smtpPort,
    smtpPort,
    mailbox,
    close: async () => {
      await viewer.close()
      await closeSmtp()
    },
  }
}
