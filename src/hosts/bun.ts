/**
 * The Bun host: `bun src/hosts/bun.ts` (docs/hosts.md). The same app as the Worker over `Bun.serve`, with the
 * Workers service factories (`fetch` is native and fast in Bun), the `node:os` server probe and nodemailer's SMTP.
 */
import { nodeServerProbe } from '../infra/node/server-probe'
import { nodeSmtpTransport } from '../infra/node/smtp-email'
import { startHost } from './runtime'

/** The part of Bun's API used here (declared locally: Bun's types are not installed). */
declare const Bun: {
  serve(options: {
    port: number
    hostname: string
    fetch(request: Request, server: { requestIP(request: Request): { address: string } | null }): Promise<Response>
  }): { stop(closeActive?: boolean): Promise<void> }
}

// The server monitor reads the machine through `node:os` and `process`, and mail leaves through `node:net` and
// `node:tls` (nodemailer), which Bun provides too.
const services = { serverProbe: nodeServerProbe, smtpTransport: nodeSmtpTransport }

await startHost({ name: 'bun', services }, (host) => {
  const server = Bun.serve({
    port: host.port,
    hostname: host.hostname,
    fetch: (request, server) => host.fetch(request, server.requestIP(request)?.address),
  })
  return { close: () => server.stop() }
})
