/**
 * Calls the real app inside the Workers runtime with the test bindings (optionally overridden per call), and waits
 * for `waitUntil` work so assertions see its effects. Tests call through ./harness.ts, which builds on this.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { type App, createApp } from '../../src/app/app'
import { fileBindings } from './isolation'

export const app = createApp()

export type Overrides = Record<string, unknown>

/** One request to `target` (default: the app as built from src/app/domains.ts and the plugin registry). */
export async function call(
  path: string,
  init: RequestInit = {},
  overrides: Overrides = {},
  target: App = app,
): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await target.request(path, init, { ...env, ...fileBindings, ...overrides }, ctx)
  await waitOnExecutionContext(ctx)
  return res
}
