/**
 * The ceiling of each non-Workers host in the workerd bench: bare Hono answering a JSON envelope on that host's own
 * server (`@hono/node-server`, `Bun.serve`, `Deno.serve`) — the same handler as bare-hono.worker.ts. `PORT` from env.
 */
import process from 'node:process'
import { Hono } from 'hono'

const app = new Hono().get('*', (c) => c.json({ code: 200, msg: 'ok', data: { status: 'ok' } }))
const port = Number(process.env.PORT)

declare const Bun: { serve(options: { port: number; hostname: string; fetch: typeof app.fetch }): unknown } | undefined
declare const Deno:
  | { serve(options: { port: number; hostname: string; onListen(): void }, handler: typeof app.fetch): unknown }
  | undefined

if (typeof Bun !== 'undefined') Bun.serve({ port, hostname: '127.0.0.1', fetch: app.fetch })
else if (typeof Deno !== 'undefined') Deno.serve({ port, hostname: '127.0.0.1', onListen: () => undefined }, app.fetch)
else {
  const { serve } = await import('@hono/node-server')
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' })
}
