/**
 * Who signs in at the OAuth2 stand-in, and how it answers as GitHub and as Google. The identity comes from extra
 * query parameters on the authorization URL (a test appends them; a developer's click gets the default user):
 *
 *   sub, login, name, email, email_verified ('false'), avatar   the provider account
 *   error=<code>          the authorization step answers `?error=<code>` (e.g. access_denied: the user said no)
 *   token_error=<code>    the token exchange answers 400 `{error: <code>}` (e.g. invalid_grant)
 *
 * Node-only.
 */

export interface MockIdentity {
  sub: string
  login: string
  name: string
  email: string | null
  emailVerified: boolean
  avatar: string
  tokenError?: string
}

export const DEFAULT_IDENTITY: MockIdentity = {
  sub: '10001',
  login: 'local-dev',
  name: 'Local Developer',
  email: 'local-dev@example.com',
  emailVerified: true,
  avatar: 'https://avatars.example.com/local-dev.png',
}

/** The identity named by an authorization request's query (defaults for what it leaves out). */
export function identityFromQuery(query: URLSearchParams): MockIdentity {
  const login = query.get('login') ?? DEFAULT_IDENTITY.login
  const identity: MockIdentity = {
    sub: query.get('sub') ?? DEFAULT_IDENTITY.sub,
    login,
    name: query.get('name') ?? (query.has('login') ? login : DEFAULT_IDENTITY.name),
    email: query.has('email') ? query.get('email') || null : DEFAULT_IDENTITY.email,
    emailVerified: query.get('email_verified') !== 'false',
    avatar: query.get('avatar') ?? DEFAULT_IDENTITY.avatar,
  }
  const tokenError = query.get('token_error')
  if (tokenError) identity.tokenError = tokenError
  return identity
}

/** GitHub's `GET /user` (the fields Stratum reads). */
export const githubUser = (i: MockIdentity) => ({
  id: Number.isInteger(Number(i.sub)) ? Number(i.sub) : i.sub,
  login: i.login,
  name: i.name,
  avatar_url: i.avatar,
  // GitHub shows only a public email here; the primary one comes from /user/emails.
  email: null,
})

/** GitHub's `GET /user/emails`. */
export const githubEmails = (i: MockIdentity) =>
  i.email ? [{ email: i.email, primary: true, verified: i.emailVerified, visibility: 'private' }] : []

/** Google's OpenID Connect userinfo (`https://openidconnect.googleapis.com/v1/userinfo`). */
export const googleUserinfo = (i: MockIdentity) => ({
  sub: i.sub,
  name: i.name,
  given_name: i.name.split(' ')[0] ?? i.name,
  picture: i.avatar,
  ...(i.email ? { email: i.email, email_verified: i.emailVerified } : {}),
})
