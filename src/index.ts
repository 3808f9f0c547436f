/**
 * The Worker entry: HTTP through the Hono app, cron triggers through the scheduler, and the Durable Object classes
 * the Worker declares (wrangler.toml). Workers-only APIs stay here, in the hub and in `src/infra/` so the same app can
 * run on Bun, Deno and Node.
 */
import { createApp } from './app/app'
import type { Bindings } from './http/context'

// The realtime hub (Socket.IO over Durable Object WebSockets, docs/realtime.md).
export { RealtimeHub } from './domains/realtime/hub'

const app = createApp()

export default {
  fetch: app.fetch,
  // The cron side (the task dispatcher, croner, the outbox sweep) is loaded on the first tick, not at start-up.
  scheduled: (controller, env, ctx) => {
    const tick = new Date(controller.scheduledTime)
    ctx.waitUntil(import('./app/scheduled').then(({ runScheduled }) => runScheduled(controller.cron, tick, env)))
  },
} satisfies ExportedHandler<Bindings>
