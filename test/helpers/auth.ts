/** Logging in through the real endpoints, the way the admin UI does. */
import { beforeAll, expect } from 'vitest'
import type { authRoutes } from '../../src/domains/auth/routes.v1'
import type { Overrides } from './app'
import { seedFileDatabase } from './database'
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

/**
 * Seeds this file's database before its tests and signs in the seeded superuser `admin` and the plain user `test`:
 * the returned tokens are filled by the time the tests run.
 */
export function seedAndSignIn(): { admin: string; test: string } {
  const tokens = { admin: '', test: '' }
  beforeAll(async () => {
    await seedFileDatabase()
    tokens.admin = (await login('admin')).accessToken
    tokens.test = (await login('test')).accessToken
  })
  return tokens
}
