/**
 * The Deno host: `npm run start:deno`, i.e. `deno run -A --sloppy-imports --unstable-no-legacy-abort --config
 * src/hosts/deno.json src/hosts/deno.ts` (docs/hosts.md). The same app as the Worker over `Deno.serve`, with the
 * Workers service factories (`fetch` is native in Deno), the `node:os` server probe and nodemailer's SMTP.
 */
import { nodeServerProbe } from '../infra/node/server-probe'
import { nodeSmtpTransport } from '../infra/node/smtp-email'
import { startHost } from './runtime'

/** The part of Deno's API used here (declared locally: Deno's types are not installed). */
declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen?: () => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Promise<Response>,
  ): { shutdown(): Promise<void> }
}

// The server monitor reads the machine through `node:os` and `process`, and mail leaves through `node:net` and
// `node:tls` (nodemailer), which Deno provides too.
const services = { serverProbe: nodeServerProbe, smtpTransport: nodeSmtpTransport }

await startHost({ name: 'deno', services }, (host) => {
  const server = Deno.serve(
    // Quiet: the host logs its own `listening` line, as on Node and Bun.
    { port: host.port, hostname: host.hostname, onListen: () => undefined },
    (request, info) => host.fetch(request, info.remoteAddr.hostname),
  )
  return { close: () => server.shutdown() }
})
