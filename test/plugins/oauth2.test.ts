/**
 * The `oauth2` plugin end to end against the local OAuth2 stand-in (docs/oauth2.md): authorization URL → the
 * provider → callback → tokens, refresh cookie and a login-log row; bad or replayed state → 403; a provider's refusal
 * → 400; sign-in by social id, by verified email, or as a new user; binding conflicts → 400; unbinding.
 */
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysLoginLog } from '../../src/domains/logs/schema'
import type { userRoutes } from '../../src/domains/users/routes.v1'
import { sysUser, sysUserRole } from '../../src/domains/users/schema'
import type { oauth2Routes } from '../../src/plugins/oauth2/routes.v1'
import { sysUserSocial } from '../../src/plugins/oauth2/schema'
import { createUser } from '../domains/users/helpers'
import { login } from '../helpers/auth'
import { fileDb, seedFileDatabase } from '../helpers/database'
import { RELAXED_AUTH_LIMITS, unique } from '../helpers/fixtures'
import { answer, api, failure, send } from '../helpers/harness'
import { expectLogs } from '../helpers/logs'

beforeAll(seedFileDatabase)

const FRONTEND_LOGIN = 'http://localhost:5173/oauth2/callback'
const FRONTEND_BINDING = 'http://localhost:5173/profile'
const options = { overrides: RELAXED_AUTH_LIMITS }

type Slug = 'github' | 'google'

/** An account at the stand-in (query parameters of its authorization endpoint, tools/emulators/oauth2/identity.ts). */
const account = (extra: Record<string, string> = {}) => ({
  sub: unique('sid'),
  login: unique('gh'),
  email: `${unique('mail')}@example.com`,
  ...extra,
})

/** Follows an authorization URL at the stand-in as `who`; returns the app callback it redirects back to. */
async function atProvider(url: string, who: Record<string, string>): Promise<string> {
  const target = new URL(url)
  for (const [k, v] of Object.entries(who)) target.searchParams.set(k, v)
  const res = await fetch(target, { redirect: 'manual' })
  expect(res.status).toBe(302)
  const back = new URL(res.headers.get('Location') ?? '')
  // The redirect URI is PUBLIC_URL's (a per-file path prefix in tests) + the callback route.
  const path = back.pathname.slice(back.pathname.indexOf('/api/'))
  expect(path).toMatch(/^\/api\/v1\/oauth2\/(github|google)\/callback$/)
  return path + back.search
}

async function signInUrl(slug: Slug): Promise<string> {
  const client = api<typeof oauth2Routes>(undefined, options).oauth2
  const { status, data } = await answer(slug === 'github' ? client.github.$get() : client.google.$get())
  expect(status).toBe(200)
  return data
}

const callback = (path: string) => send('GET', path, options)

/** A whole sign-in; returns the callback's answer. */
async function signIn(slug: Slug, who: Record<string, string>) {
  return callback(await atProvider(await signInUrl(slug), who))
}

function landed(res: Response) {
  expect(res.status).toBe(302)
  const location = new URL(res.headers.get('Location') ?? '')
  expect(`${location.origin}${location.pathname}`).toBe(FRONTEND_LOGIN)
  return {
    accessToken: location.searchParams.get('access_token') ?? '',
    sessionUuid: location.searchParams.get('session_uuid') ?? '',
  }
}

const me = async (token: string) => (await answer(api<typeof userRoutes>(token).sys.users.me.$get())).data

describe('sign-in', () => {
  it('GitHub: creates the user, answers with tokens, the refresh cookie and one login-log row; the next sign-in finds them', async () => {
    const who = account({ name: 'Octo Cat' })
    const url = new URL(await signInUrl('github'))
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('state')).toBeTruthy()

    const res = await signIn('github', who)
    const { accessToken, sessionUuid } = landed(res)
    expect(sessionUuid).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.headers.get('Set-Cookie')).toMatch(/^fba_refresh_token=[^;]+;.*HttpOnly/i)
    const user = await me(accessToken)
    expect(user).toMatchObject({ username: who.login, nickname: 'Octo Cat', is_staff: true })
    const [row] = await fileDb().select().from(sysUser).where(eq(sysUser.id, user.id))
    expect(row?.password).toBeNull()
    // The first enabled role.
    const roles = await fileDb().select().from(sysUserRole).where(eq(sysUserRole.userId, user.id))
    expect(roles.map((r) => r.roleId)).toEqual([1])

    const again = landed(await signIn('github', who))
    expect((await me(again.accessToken)).id).toBe(user.id)
    const logs = await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.username, who.login))
    expect(logs.map((l) => [l.status, l.msg])).toEqual([
      [1, 'Login success (OAuth2)'],
      [1, 'Login success (OAuth2)'],
    ])
  })

  it("Google: signs in the user whose email is the account's verified email; an unverified one makes a new user", async () => {
    const existing = await createUser({ email: `${unique('g')}@example.com` })
    const verified = landed(await signIn('google', account({ email: existing.data.email ?? '', name: 'Ann Lee' })))
    expect((await me(verified.accessToken)).id).toBe(existing.id)
    const links = await fileDb().select().from(sysUserSocial).where(eq(sysUserSocial.userId, existing.id))
    expect(links.map((l) => l.source)).toEqual(['Google'])

    const other = await createUser({ email: `${unique('u')}@example.com` })
    const name = unique('Bob')
    const unverified = landed(
      await signIn('google', account({ email: other.data.email ?? '', email_verified: 'false', name })),
    )
    const created = await me(unverified.accessToken)
    expect(created.id).not.toBe(other.id)
    expect(created).toMatchObject({ username: name, email: null })
  })

  it('a taken username gets a suffix', async () => {
    const taken = await createUser()
    const { accessToken } = landed(await signIn('github', account({ login: taken.username })))
    expect((await me(accessToken)).username).toMatch(new RegExp(`^${taken.username}_[a-z0-9]{5}$`))
  })
})

describe('refusals', () => {
  it('a disabled user is refused (403) and the attempt logged', async () => {
    const user = await createUser({ email: `${unique('off')}@example.com` })
    await fileDb().update(sysUser).set({ status: 0 }).where(eq(sysUser.id, user.id))
    const refused = await failure(signIn('google', account({ email: user.data.email ?? '' })))
    expect(refused.status).toBe(403)
    const logs = await fileDb().select().from(sysLoginLog).where(eq(sysLoginLog.username, user.username))
    expect(logs.map((l) => l.status)).toEqual([0])
  })

  it('a provider without a client id answers 503 naming it', async () => {
    const logs = expectLogs({ msg: 'request failed', status: 503 })
    const client = api<typeof oauth2Routes>(undefined, { overrides: { OAUTH2_GITHUB_CLIENT_ID: '' } }).oauth2
    const res = await failure(client.github.$get())
    expect(res.status).toBe(503)
    expect(res.body.msg).toBe('Github sign-in is not configured')
    expect(logs.entries).toHaveLength(1)
  })
})

describe('state and provider errors', () => {
  it('a replayed, forged or missing state is a 403', async () => {
    const path = await atProvider(await signInUrl('github'), account())
    landed(await callback(path))
    const replayed = await failure(callback(path))
    expect(replayed.status).toBe(403)
    expect(replayed.body.msg).toBe('OAuth2 state is invalid or missing')
    expect((await callback('/api/v1/oauth2/github/callback?code=x&state=forged')).status).toBe(403)
    expect((await callback('/api/v1/oauth2/github/callback?code=x')).status).toBe(403)
    // A state issued for GitHub does not work at Google's callback.
    const github = await atProvider(await signInUrl('github'), account())
    expect((await callback(github.replace('/github/', '/google/'))).status).toBe(403)
  })

  it('the user refusing at the provider, or the provider refusing the code, is a 400 naming the error', async () => {
    const denied = await failure(signIn('github', { ...account(), error: 'access_denied' }))
    expect(denied.status).toBe(400)
    expect(denied.body.data).toMatchObject({ source: 'Github', error: 'access_denied' })
    const refused = await failure(signIn('google', { ...account(), token_error: 'invalid_grant' }))
    expect(refused.status).toBe(400)
    expect(refused.body.data).toMatchObject({ source: 'Google', error: 'invalid_grant' })
    expect(refused.body.msg).toBe('The Google sign-in failed, please try again')
  })
})

describe('binding', () => {
  async function signedIn() {
    const user = await createUser()
    const { accessToken } = await login(user.username, user.password)
    return { ...user, client: api<typeof oauth2Routes>(accessToken, options).oauth2.me }
  }

  async function bind(user: Awaited<ReturnType<typeof signedIn>>, who: Record<string, string>) {
    const { data: url } = await answer(user.client.binding.$get({ query: { source: 'Github' } }))
    return callback(await atProvider(url, who))
  }

  it('binds, lists, refuses a second binding or an account bound to someone else, and unbinds', async () => {
    const alice = await signedIn()
    const bob = await signedIn()
    const who = account()
    const bound = await bind(alice, who)
    expect(bound.status).toBe(302)
    expect(bound.headers.get('Location')).toBe(FRONTEND_BINDING)
    expect((await answer(alice.client.bindings.$get())).data).toEqual(['Github'])

    const twice = await failure(bind(alice, account()))
    expect(twice.status).toBe(400)
    expect(twice.body.msg).toBe('You have already bound a Github account')
    const taken = await failure(bind(bob, who))
    expect(taken.status).toBe(400)
    expect(taken.body.msg).toBe('This Github account is bound to another user')

    // Signing in with the bound account signs in as Alice (ending her other session: she has no multi-login).
    const again = landed(await signIn('github', who)).accessToken
    expect((await me(again)).id).toBe(alice.id)
    const client = api<typeof oauth2Routes>(again, options).oauth2.me

    expect((await client.unbinding.$delete({ query: { source: 'Github' } })).status).toBe(200)
    expect((await answer(client.bindings.$get())).data).toEqual([])
    const gone = await failure(client.unbinding.$delete({ query: { source: 'Github' } }))
    expect(gone.status).toBe(404)
    expect(gone.body.msg).toBe('You have not bound a Github account')
    const rows = await fileDb()
      .select()
      .from(sysUserSocial)
      .where(and(eq(sysUserSocial.userId, alice.id), eq(sysUserSocial.source, 'Github')))
    expect(rows).toEqual([])
  })

  it('needs a signed-in user; an unknown source is a 422', async () => {
    const anonymous = api<typeof oauth2Routes>(undefined, options).oauth2.me
    expect((await anonymous.bindings.$get()).status).toBe(401)
    const user = await signedIn()
    const bad = await send('GET', '/api/v1/oauth2/me/binding?source=Gitlab', {
      token: (await login(user.username, user.password)).accessToken,
    })
    expect(bad.status).toBe(422)
  })
})
