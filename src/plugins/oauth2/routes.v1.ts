/**
 * `/oauth2/*` (docs/fba-compatibility.md, "OAuth2 plugin"): the authorization URLs (sign-in: public; binding: the
 * signed-in user), the providers' callbacks (public, rate limited like the login), and the caller's bindings.
 * A callback answers with a redirect to the front end: after a sign-in with `?access_token=…&session_uuid=…` and the
 * refresh cookie a password login sets; after a binding to the binding page. Errors are the usual JSON envelopes
 * (403 bad or replayed state, 400 refused by the provider or a binding conflict).
 */
import type { Context } from 'hono'
import { BadRequestError } from '../../core/errors'
import { authDeps } from '../../domains/auth/deps'
import { setRefreshCookie } from '../../domains/auth/routes.v1'
import { AuthService } from '../../domains/auth/service'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { Deadline } from '../../infra/deadline'
import { required } from '../../infra/services'
import { githubProvider, googleProvider, type Provider } from './providers'
import { SOCIAL_SOURCES, type SocialSource } from './schema'
import { OAuth2Service } from './service'
import { oauth2EnvSettings } from './settings'
import { beginAuthorization, type Intent, takeAuthorization } from './state'

const TAGS = ['OAuth2']

const SourceQuerySchema = z.object({
  source: z.enum(SOCIAL_SOURCES).openapi({ description: '`Github` or `Google`' }),
})

const CallbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(256).optional(),
  /** Sent instead of `code` when the user refused or the provider could not serve the request. */
  error: z.string().max(256).optional(),
})

const redirectResponse = { 302: { description: 'Redirect to the front end' } }

function provider(c: Context<AppEnv>, source: SocialSource): Provider {
  const settings = oauth2EnvSettings(c.env)
  const slug = source === 'Github' ? 'github' : 'google'
  const origin = c.get('config').PUBLIC_URL ?? new URL(c.req.url).origin
  const configured = source === 'Github' ? settings.OAUTH2_GITHUB_REDIRECT_URI : settings.OAUTH2_GOOGLE_REDIRECT_URI
  const redirectUri = configured ?? `${origin}/api/v1/oauth2/${slug}/callback`
  return source === 'Github' ? githubProvider(settings, redirectUri) : googleProvider(settings, redirectUri)
}

async function authorizationUrl(c: Context<AppEnv>, source: SocialSource, intent: Intent): Promise<string> {
  const p = provider(c, source)
  const ttl = oauth2EnvSettings(c.env).OAUTH2_STATE_EXPIRE_SECONDS
  const redis = required(c.get('services').redis, 'redis')
  const { state, verifier } = await beginAuthorization(redis, c.get('config'), source, intent, ttl)
  return p.authorizationUrl(state, verifier).toString()
}

async function callback(c: Context<AppEnv>, source: SocialSource, query: z.infer<typeof CallbackQuerySchema>) {
  const settings = oauth2EnvSettings(c.env)
  const redis = required(c.get('services').redis, 'redis')
  // Taken first, whatever the outcome: a state is good for one callback.
  const pending = await takeAuthorization(redis, c.get('config'), source, query.state)
  if (query.error || !query.code) {
    const error = query.error ?? 'missing_code'
    throw new BadRequestError('oauth2.provider_denied', { params: { source, error }, data: { source, error } })
  }
  const deadline = new Deadline('oauth2', settings.OAUTH2_TIMEOUT_MS)
  const profile = await provider(c, source).profile(query.code, pending.verifier, deadline)
  const service = new OAuth2Service(required(c.get('services').db, 'database'))
  if (pending.type === 'binding') {
    await service.bind(pending.user_id, source, profile)
    return c.redirect(settings.OAUTH2_FRONTEND_BINDING_REDIRECT_URI, 302)
  }
  const user = await service.userFor(source, profile)
  const tokens = await new AuthService(authDeps(c)).signInVerified(user, 'oauth2.login_success')
  setRefreshCookie(c, tokens)
  const target = new URL(settings.OAUTH2_FRONTEND_LOGIN_REDIRECT_URI)
  target.searchParams.set('access_token', tokens.accessToken)
  target.searchParams.set('session_uuid', tokens.session.sid)
  return c.redirect(target.toString(), 302)
}

const authorizeRoute = (slug: 'github' | 'google', name: string) =>
  defineRoute({
    method: 'get',
    path: `/oauth2/${slug}`,
    tags: TAGS,
    summary: `The ${name} authorization URL to send the browser to (sign-in)`,
    access: 'public',
    errors: [503],
    responses: { 200: jsonEnvelope(z.string(), 'Authorization URL') },
  })

const callbackRoute = (slug: 'github' | 'google', name: string) =>
  defineRoute({
    method: 'get',
    path: `/oauth2/${slug}/callback`,
    tags: TAGS,
    summary: `Where ${name} returns the browser: signs in or binds, then redirects to the front end`,
    access: 'public',
    // fba: 5 per minute per client, as the password login.
    rateLimit: { name: 'oauth2.callback', rates: 'RATE_LIMIT_LOGIN', failClosed: true },
    errors: [400, 403, 404, 503],
    request: { query: CallbackQuerySchema },
    responses: redirectResponse,
  })

const githubAuthorize = authorizeRoute('github', 'GitHub')
const googleAuthorize = authorizeRoute('google', 'Google')
const githubCallback = callbackRoute('github', 'GitHub')
const googleCallback = callbackRoute('google', 'Google')

const bindings = defineRoute({
  method: 'get',
  path: '/oauth2/me/bindings',
  tags: TAGS,
  summary: 'The providers the current user has bound',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(z.enum(SOCIAL_SOURCES)), 'Bound providers') },
})

const binding = defineRoute({
  method: 'get',
  path: '/oauth2/me/binding',
  tags: TAGS,
  summary: 'The authorization URL that binds a provider account to the current user',
  access: 'authenticated',
  errors: [503],
  request: { query: SourceQuerySchema },
  responses: { 200: jsonEnvelope(z.string(), 'Authorization URL') },
})

const unbinding = defineRoute({
  method: 'delete',
  path: '/oauth2/me/unbinding',
  tags: TAGS,
  summary: "Remove the current user's binding to a provider",
  access: 'authenticated',
  errors: [404],
  request: { query: SourceQuerySchema },
  responses: nullEnvelope('Unbound'),
})

/** Set by the access middleware on every non-public route. */
const userId = (c: Context<AppEnv>): number => {
  const user = c.get('user')
  if (!user) throw new Error('access middleware did not authenticate the request')
  return user.id
}

const db = (c: Context<AppEnv>) => new OAuth2Service(required(c.get('services').db, 'database'))

export function oauth2Routes() {
  return createRouter()
    .openapi(bindings, async (c) => ok(c, await db(c).bindings(userId(c))))
    .openapi(binding, async (c) => {
      const { source } = c.req.valid('query')
      return ok(c, await authorizationUrl(c, source, { type: 'binding', user_id: userId(c) }))
    })
    .openapi(unbinding, async (c) => {
      await db(c).unbind(userId(c), c.req.valid('query').source)
      return ok(c, null)
    })
    .openapi(githubAuthorize, async (c) => ok(c, await authorizationUrl(c, 'Github', { type: 'login' })))
    .openapi(googleAuthorize, async (c) => ok(c, await authorizationUrl(c, 'Google', { type: 'login' })))
    .openapi(githubCallback, (c) => callback(c, 'Github', c.req.valid('query')))
    .openapi(googleCallback, (c) => callback(c, 'Google', c.req.valid('query')))
}
