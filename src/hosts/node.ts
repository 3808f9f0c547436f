/**
 * The Node host: `npm run start:node` (docs/hosts.md). The same app as the Worker over `@hono/node-server`, with the
 * Node service factories (Redis over an undici keep-alive pool, infra/node/upstash-http.ts; SMTP through nodemailer,
 * infra/node/smtp-email.ts).
 */
import { serve } from '@hono/node-server'
import { nodeServices } from '../infra/node/upstash-http'
import { startHost } from './runtime'

await startHost({ name: 'node', services: nodeServices() }, (host) => {
  const server = serve({
    port: host.port,
    hostname: host.hostname,
    // The peer address comes from the socket (`env.incoming` is node's IncomingMessage).
    fetch: (request, env: { incoming: { socket: { remoteAddress?: string } } }) =>
      host.fetch(request, env.incoming.socket.remoteAddress),
  })
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Idle keep-alive sockets would hold `close` open until they time out.
        if ('closeIdleConnections' in server) server.closeIdleConnections()
      }),
  }
})
