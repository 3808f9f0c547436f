/** Logging in through the real endpoints, the way the admin UI does. */
import { expect } from 'vitest'
import { call, callJson, jsonInit, type Overrides } from './app'

export const SEED_PASSWORD = '123456'

export interface LoggedIn {
  accessToken: string
  sessionUuid: string
  /** `fba_refresh_token=…` ready for a Cookie header. */
  refreshCookie: string
  body: { code: number; data: Record<string, unknown> }
}

export function refreshCookieFrom(res: Response): string {
  const setCookie = res.headers.get('Set-Cookie') ?? ''
  const match = /fba_refresh_token=([^;]*)/.exec(setCookie)
  return match ? `fba_refresh_token=${match[1]}` : ''
}

export async function login(username: string, password = SEED_PASSWORD, overrides: Overrides = {}): Promise<LoggedIn> {
  const { res, body } = await callJson('/api/v1/auth/login', jsonInit('POST', { username, password }), overrides)
  expect(res.status, JSON.stringify(body)).toBe(200)
  const data = body.data as Record<string, unknown>
  return {
    accessToken: String(data.access_token),
    sessionUuid: String(data.session_uuid),
    refreshCookie: refreshCookieFrom(res),
    body: body as LoggedIn['body'],
  }
}

export const bearer = (token: string, extra: Record<string, string> = {}) => ({
  headers: { Authorization: `Bearer ${token}`, ...extra },
})

export function authed(path: string, token: string, init: RequestInit = {}, overrides: Overrides = {}) {
  const headers = new Headers(init.headers)
  headers.set('Authorization', `Bearer ${token}`)
  return call(path, { ...init, headers }, overrides)
}
