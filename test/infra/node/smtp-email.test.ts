/**
 * The Node, Bun and Deno hosts' SMTP transport (src/infra/node/smtp-email.ts, nodemailer over `node:net`/`node:tls`)
 * against real SMTP servers (`smtp-server`, the library of the local stand-in): what arrives, the login, STARTTLS
 * taken up when offered (with the certificate checked), and failures typed as the Worker's are: a 503 for `email`.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/core/config'
import { Deadline, DependencyUnavailableError } from '../../../src/infra/deadline'
import { nodeSmtpTransport } from '../../../src/infra/node/smtp-email'
import { nodeServices } from '../../../src/infra/node/upstash-http'
import { createServices } from '../../../src/infra/services'
import { SmtpEmailSender, type SmtpOptions, workersSmtpTransport } from '../../../src/infra/smtp-email'

interface Received {
  auth: { method: string; username: string | null | undefined; password: string | null | undefined }[]
  mails: { from: string; to: string[]; fromHeader: string; subject: string; text: string; html: string }[]
}

const closers: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

/** A real SMTP server on a free port, recording logins and parsed messages. */
async function smtpServer(options: SMTPServerOptions = {}): Promise<{ port: number; received: Received }> {
  const received: Received = { auth: [], mails: [] }
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _session, callback) => {
      received.auth.push({ method: auth.method, username: auth.username, password: auth.password })
      callback(null, { user: auth.username })
    },
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((parsed) => {
          received.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            fromHeader: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          })
          callback()
        })
        .catch(callback)
    },
    ...options,
  })
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise((resolve) => server.close(() => resolve())))
  const address = server.server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  return { port: address.port, received }
}

const options = (port: number, more: Partial<SmtpOptions> = {}): SmtpOptions => ({
  host: '127.0.0.1',
  port,
  ssl: false,
  username: 'app@example.com',
  password: 'secret',
  from: '',
  fromName: 'Stratum',
  ...more,
})

const MESSAGE = { to: ['someone@example.com'], subject: 'Your code', text: 'Code: 123456', html: '<b>123456</b>' }

async function failureOf(send: Promise<void>): Promise<DependencyUnavailableError> {
  const err = await send.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(err instanceof DependencyUnavailableError)) throw new Error(`not a dependency failure: ${String(err)}`)
  return err
}

describe('SMTP from the Node, Bun and Deno hosts (nodemailer)', () => {
  it('logs in and delivers the message with the From name and address the Worker uses', async () => {
    const { port, received } = await smtpServer()
    await new SmtpEmailSender(options(port), new Deadline('email', 5000), nodeSmtpTransport).send(MESSAGE)
    expect(received.auth).toEqual([{ method: 'PLAIN', username: 'app@example.com', password: 'secret' }])
    expect(received.mails).toEqual([
      {
        from: 'app@example.com',
        to: ['someone@example.com'],
        fromHeader: '"Stratum" <app@example.com>',
        subject: 'Your code',
        text: 'Code: 123456',
        html: '<b>123456</b>',
      },
    ])
  })

  it('sends without a login when no username is set, from EMAIL_FROM', async () => {
    const { port, received } = await smtpServer({ authOptional: true })
    const noLogin = options(port, { username: '', password: '', from: 'noreply@example.com' })
    await nodeSmtpTransport.send(noLogin, { ...MESSAGE, html: undefined }, new Deadline('email', 5000))
    expect(received.auth).toEqual([])
    expect(received.mails[0]).toMatchObject({ from: 'noreply@example.com', html: '' })
  })

  it("logs in with LOGIN when that is the server's only method", async () => {
    const { port, received } = await smtpServer({ authMethods: ['LOGIN'] })
    await nodeSmtpTransport.send(options(port), MESSAGE, new Deadline('email', 5000))
    expect(received.auth).toEqual([{ method: 'LOGIN', username: 'app@example.com', password: 'secret' }])
    expect(received.mails).toHaveLength(1)
  })

  it('takes up STARTTLS when offered, and refuses a certificate it cannot verify: a 503, nothing sent', async () => {
    // smtp-server's built-in certificate is self-signed: no client that checks certificates accepts it.
    const { port, received } = await smtpServer({ disabledCommands: [] })
    const err = await failureOf(nodeSmtpTransport.send(options(port), MESSAGE, new Deadline('email', 5000)))
    expect(err.data).toEqual({ service: 'email', reason: 'unreachable' })
    expect(String((err.cause as Error).message)).toMatch(/certificate/i)
    expect(received.auth).toEqual([])
    expect(received.mails).toEqual([])
  })

  it('is unreachable (a 503) when nothing listens', async () => {
    const err = await failureOf(nodeSmtpTransport.send(options(1), MESSAGE, new Deadline('email', 5000)))
    expect(err.data).toEqual({ service: 'email', reason: 'unreachable' })
  })

  it("stops at the deadline with a silent server and closes the connection (the deadline's signal)", async () => {
    const sockets: Socket[] = []
    let closed!: Promise<void>
    const silent: Server = createServer((socket) => {
      sockets.push(socket)
      closed = new Promise((resolve) => socket.once('close', () => resolve()))
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise((resolve) => silent.close(() => resolve())))
    const address = silent.address()
    if (!address || typeof address === 'string') throw new Error('no port')
    const err = await failureOf(nodeSmtpTransport.send(options(address.port), MESSAGE, new Deadline('email', 200)))
    expect(err.data).toEqual({ service: 'email', reason: 'timeout' })
    expect(sockets).toHaveLength(1)
    await closed
  })

  it("is what a Node host's services use; Workers keep worker-mailer", () => {
    const config = loadConfig({ ENVIRONMENT: 'test' })
    expect(createServices(config, nodeServices()).smtpTransport).toBe(nodeSmtpTransport)
    expect(createServices(config).smtpTransport).toBe(workersSmtpTransport)
  })
})
