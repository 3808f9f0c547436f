/**
 * Calls the real app inside the Workers runtime with the test bindings (optionally overridden per call), and waits
 * for `waitUntil` work so assertions see its effects.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { createApp } from '../../src/app/app'
import { fileBindings } from './isolation'

export const app = createApp()

export type Overrides = Record<string, unknown>

export async function call(path: string, init: RequestInit = {}, overrides: Overrides = {}): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await app.request(path, init, { ...env, ...fileBindings, ...overrides }, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

export interface Body {
  code: number
  msg: string
  data: unknown
  trace_id?: string
}

export async function callJson(path: string, init: RequestInit = {}, overrides: Overrides = {}) {
  const res = await call(path, init, overrides)
  return { res, body: (await res.json()) as Body }
}

export const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
