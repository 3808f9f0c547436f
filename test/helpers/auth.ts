/** Logging in through the real endpoints, the way the admin UI does. */
import { expect } from 'vitest'
import type { authRoutes } from '../../src/domains/auth/routes.v1'
import type { Overrides } from './app'
import { api } from './harness'

export const SEED_PASSWORD = '123456'

const loginCall = (username: string, password: string, overrides: Overrides) =>
  api<typeof authRoutes>(undefined, { overrides }).auth.login.$post({ json: { username, password } })

type LoginBody = Awaited<ReturnType<Awaited<ReturnType<typeof loginCall>>['json']>>

export interface LoggedIn {
  accessToken: string
  sessionUuid: string
  /** `fba_refresh_token=…` ready for a Cookie header. */
  refreshCookie: string
  body: LoginBody
}

export function refreshCookieFrom(res: { headers: Headers }): string {
  const setCookie = res.headers.get('Set-Cookie') ?? ''
  const match = /fba_refresh_token=([^;]*)/.exec(setCookie)
  return match ? `fba_refresh_token=${match[1]}` : ''
}

export async function login(username: string, password = SEED_PASSWORD, overrides: Overrides = {}): Promise<LoggedIn> {
  const res = await loginCall(username, password, overrides)
  const body = await res.json()
  expect(res.status, JSON.stringify(body)).toBe(200)
  return {
    accessToken: body.data.access_token,
    sessionUuid: body.data.session_uuid,
    refreshCookie: refreshCookieFrom(res),
    body,
  }
}
