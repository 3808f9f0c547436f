/**
 * GitHub and Google sign-in through `arctic`'s OAuth2 client (authorization code + PKCE), with every URL from the
 * settings so both can point at the local stand-in. A provider turns the callback's code into the account's profile:
 * its id, names, avatar and — only when the provider says it is verified — its email.
 */
import { CodeChallengeMethod, OAuth2Client, OAuth2RequestError, UnexpectedErrorResponseBodyError } from 'arctic'
import { BadRequestError, ServiceUnavailableError } from '../../core/errors'
import type { Deadline } from '../../infra/deadline'
import type { SocialSource } from './schema'
import type { OAuth2Settings } from './settings'

/** What a sign-in needs from the provider's account (fba's field mapping, docs/oauth2.md). */
export interface SocialProfile {
  sid: string
  username: string
  nickname: string
  avatar: string | null
  /** A verified address, or null. */
  email: string | null
}

export interface Provider {
  source: SocialSource
  /** The path segment of its routes: `/oauth2/github`. */
  slug: 'github' | 'google'
  authorizationUrl(state: string, verifier: string): URL
  /** Code → profile; a refusal by the provider is a 400, a provider that cannot be reached a 503. */
  profile(code: string, verifier: string, deadline: Deadline): Promise<SocialProfile>
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null)

/** The provider refused the exchange (bad or used code, wrong client): the caller's problem, a 400. */
const isRefusal = (err: unknown) => err instanceof OAuth2RequestError || err instanceof UnexpectedErrorResponseBodyError

async function exchange(
  client: OAuth2Client,
  tokenUrl: string,
  source: SocialSource,
  code: string,
  verifier: string,
  deadline: Deadline,
): Promise<string> {
  try {
    const tokens = await deadline.run(() => client.validateAuthorizationCode(tokenUrl, code, verifier), isRefusal)
    return tokens.accessToken()
  } catch (err) {
    if (!isRefusal(err)) throw err
    const error = err instanceof OAuth2RequestError ? err.code : 'invalid_response'
    throw new BadRequestError('oauth2.provider_error', { params: { source }, data: { source, error }, cause: err })
  }
}

/** GET a provider API as the signed-in account: JSON, or a 400 (refused token) / 503 (provider failing). */
async function getJson(url: string, accessToken: string, source: SocialSource, deadline: Deadline): Promise<unknown> {
  const res = await deadline.fetch()(url, {
    headers: {
      Authorization: `Bearer ${accessToken}`,
      Accept: 'application/json',
      // GitHub refuses API calls without one.
      'User-Agent': 'Stratum',
    },
  })
  if (res.status >= 500) throw deadline.failing(res.status)
  if (!res.ok) {
    throw new BadRequestError('oauth2.provider_error', {
      params: { source },
      data: { source, error: `profile_${res.status}` },
    })
  }
  return res.json()
}

function client(id: string, secret: string, redirectUri: string, source: SocialSource): OAuth2Client {
  if (!id) {
    throw new ServiceUnavailableError('oauth2.not_configured', {
      params: { source },
      data: { service: 'oauth2', source },
    })
  }
  return new OAuth2Client(id, secret, redirectUri)
}

export function githubProvider(s: OAuth2Settings, redirectUri: string): Provider {
  const source = 'Github'
  const oauth = () => client(s.OAUTH2_GITHUB_CLIENT_ID, s.OAUTH2_GITHUB_CLIENT_SECRET, redirectUri, source)
  const api = s.OAUTH2_GITHUB_API_URL.replace(/\/+$/, '')
  return {
    source,
    slug: 'github',
    authorizationUrl: (state, verifier) =>
      oauth().createAuthorizationURLWithPKCE(s.OAUTH2_GITHUB_AUTHORIZE_URL, state, CodeChallengeMethod.S256, verifier, [
        'read:user',
        'user:email',
      ]),
    async profile(code, verifier, deadline) {
      const token = await exchange(oauth(), s.OAUTH2_GITHUB_TOKEN_URL, source, code, verifier, deadline)
      const user = (await getJson(`${api}/user`, token, source, deadline)) as Record<string, unknown>
      const emails = (await getJson(`${api}/user/emails`, token, source, deadline)) as unknown
      const primary = Array.isArray(emails)
        ? (emails as Record<string, unknown>[]).find((e) => e.primary === true && e.verified === true)
        : undefined
      const sid = str(user.id)
      const login = str(user.login)
      if (!sid || !login)
        throw new BadRequestError('oauth2.provider_error', {
          params: { source },
          data: { source, error: 'profile_shape' },
        })
      return {
        sid,
        username: login,
        nickname: str(user.name) ?? login,
        avatar: str(user.avatar_url),
        email: str(primary?.email),
      }
    },
  }
}

export function googleProvider(s: OAuth2Settings, redirectUri: string): Provider {
  const source = 'Google'
  const oauth = () => client(s.OAUTH2_GOOGLE_CLIENT_ID, s.OAUTH2_GOOGLE_CLIENT_SECRET, redirectUri, source)
  return {
    source,
    slug: 'google',
    authorizationUrl: (state, verifier) =>
      oauth().createAuthorizationURLWithPKCE(s.OAUTH2_GOOGLE_AUTHORIZE_URL, state, CodeChallengeMethod.S256, verifier, [
        'openid',
        'profile',
        'email',
      ]),
    async profile(code, verifier, deadline) {
      const token = await exchange(oauth(), s.OAUTH2_GOOGLE_TOKEN_URL, source, code, verifier, deadline)
      const info = (await getJson(s.OAUTH2_GOOGLE_USERINFO_URL, token, source, deadline)) as Record<string, unknown>
      // OpenID Connect userinfo says `sub`/`email_verified`; Google's older v2 endpoint `id`/`verified_email`.
      const sid = str(info.sub) ?? str(info.id)
      const name = str(info.name)
      if (!sid)
        throw new BadRequestError('oauth2.provider_error', {
          params: { source },
          data: { source, error: 'profile_shape' },
        })
      const verified = info.email_verified === true || info.verified_email === true
      return {
        sid,
        username: name ?? sid,
        nickname: str(info.given_name) ?? name ?? sid,
        avatar: str(info.picture),
        email: verified ? str(info.email) : null,
      }
    },
  }
}
