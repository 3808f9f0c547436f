/**
 * Work that may finish after the response (cache fills, analytics): handed to `waitUntil`, and a failure is
 * logged with the trace id — never silently dropped.
 */
import type { Context } from 'hono'
import { describeError } from '../core/logging'
import type { AppEnv } from './context'

export function background(c: Context<AppEnv>, what: string, work: Promise<unknown>): void {
  c.executionCtx.waitUntil(
    work.catch((err: unknown) => c.get('logger').error('background work failed', { what, ...describeError(err) })),
  )
}
