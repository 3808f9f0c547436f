/**
 * Logging in through the real endpoints, the way the admin UI does. Most test files start with `seedAndSignIn`: it
 * seeds the file's database and signs the seeded users in once, in a `beforeAll`, before any test runs.
 *
 *   const tokens = seedAndSignIn()                          // admin and test: tokens.admin, tokens.test in any test
 *   const tokens = seedAndSignIn(['admin'], { overrides: RELAXED_AUTH_LIMITS, prepare: makeTestStaff })
 *   const { admin } = seedAndSignIn(['admin']).sessions     // whole sessions, filled in place: destructuring is fine
 *
 * Sign in only the users a file needs: each login counts against `RATE_LIMIT_LOGIN` (5 a minute), and `test` does not
 * allow multi-login (signing it in again in a test ends the session signed in here).
 */
import { beforeAll, expect } from 'vitest'
import type { authRoutes } from '../../src/domains/auth/routes.v1'
import type { Overrides } from './app'
import { seedFileDatabase, TEST_SEED_PASSWORD } from './database'
import { api } from './harness'

/** The seeded users' password. */
export const SEED_PASSWORD = TEST_SEED_PASSWORD

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

/** The users the seed creates: the superuser `admin` and the plain user `test`. */
export type SeededUser = 'admin' | 'test'

/** A session `seedAndSignIn` signed in (the login answer's body left out). */
export type Session = Omit<LoggedIn, 'body'>

export interface SignInOptions {
  /** Config overrides of the login calls (e.g. `RELAXED_AUTH_LIMITS`). */
  overrides?: Overrides
  /** Set-up between seeding and signing in, that the sessions must see (e.g. a user made staff, a role added). */
  prepare?: () => unknown
}

/** What `seedAndSignIn` hands back: each signed-in user's access token, and under `sessions` the whole session. */
export type SignedIn<U extends SeededUser> = Readonly<Record<U, string>> & {
  readonly sessions: Readonly<Record<U, Session>>
}

/**
 * Seeds this file's database before its tests (`seedFileDatabase`) and signs `users` in, in that order (default: both
 * seeded users). The returned tokens and sessions are filled by the time the tests run; each session object is filled
 * in place, so it may be taken out of `sessions` at once.
 */
export function seedAndSignIn(): SignedIn<SeededUser>
export function seedAndSignIn<U extends SeededUser>(users: readonly U[], options?: SignInOptions): SignedIn<U>
export function seedAndSignIn(
  users: readonly SeededUser[] = ['admin', 'test'],
  options: SignInOptions = {},
): SignedIn<SeededUser> {
  const blank = (): Session => ({ accessToken: '', sessionUuid: '', refreshCookie: '' })
  const sessions = { admin: blank(), test: blank() }
  const signedIn = { admin: '', test: '', sessions }
  beforeAll(async () => {
    await seedFileDatabase()
    await options.prepare?.()
    for (const user of users) {
      const { accessToken, sessionUuid, refreshCookie } = await login(user, SEED_PASSWORD, options.overrides)
      Object.assign(sessions[user], { accessToken, sessionUuid, refreshCookie })
      signedIn[user] = accessToken
    }
  })
  return signedIn
}
