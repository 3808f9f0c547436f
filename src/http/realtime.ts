/**
 * The push API of a request: `await realtimeOf(c).emit('notice', data, { to: { user: id } })`. It lives as long as
 * the request; request-less code (task handlers, event consumers, cron) builds its own with `createRealtime(env, …)`
 * from the bindings it was given (infra/realtime.ts, docs/realtime.md).
 */
import type { Context } from 'hono'
import { createRealtime, type Realtime } from '../infra/realtime'
import type { AppEnv } from './context'

export function realtimeOf(c: Context<AppEnv>): Realtime {
  return createRealtime(c.env, c.get('config'), c.get('logger'))
}
