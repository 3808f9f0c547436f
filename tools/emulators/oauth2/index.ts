/**
 * Local OAuth2/OIDC stand-in (docs/oauth2.md): `oauth2-mock-server` (authorization code with PKCE, signed tokens,
 * discovery), taught to answer as GitHub (`/user`, `/user/emails`) and as Google (`/userinfo` in Google's shape).
 * Both providers point at it in dev and tests through the `OAUTH2_*_URL` settings:
 *
 *   GET  /authorize     redirects straight back with a code (no login page); see ./identity.ts for who signs in
 *   POST /token         exchanges the code (checks the PKCE verifier)
 *   GET  /user, /user/emails   GitHub's API shapes      GET /userinfo   Google's
 *
 * Node-only.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Events, OAuth2Server } from 'oauth2-mock-server'
import type { RunningEmulator } from '../shared/emulator'
import { githubEmails, githubUser, googleUserinfo, identityFromQuery, type MockIdentity } from './identity'

export interface OAuth2EmulatorOptions {
  host?: string
  /** 0 or omitted: a free port. */
  port?: number
}

/** Codes and access tokens are remembered for this many (a local stand-in; the oldest go first). */
const REMEMBERED = 1000

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value)
  if (map.size > REMEMBERED) map.delete(map.keys().next().value as string)
}

const bearer = (req: IncomingMessage) => /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

export async function startOAuth2Emulator(options: OAuth2EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1'
  const server = new OAuth2Server()
  await server.issuer.keys.generate('RS256')
  const byCode = new Map<string, MockIdentity>()
  const byToken = new Map<string, MockIdentity>()
  const { service } = server

  service.on(Events.BeforeAuthorizeRedirect, (redirect: { url: URL }, req: IncomingMessage) => {
    const query = new URL(req.url ?? '/', 'http://local').searchParams
    const error = query.get('error')
    if (error) {
      // What a provider sends when the user refuses (or it cannot serve the request): no code.
      redirect.url.searchParams.delete('code')
      redirect.url.searchParams.set('error', error)
      return
    }
    const code = redirect.url.searchParams.get('code')
    if (code) remember(byCode, code, identityFromQuery(query))
  })

  // Two tokens issued within one second would otherwise be the same string (same claims): each gets its own id.
  service.on(Events.BeforeTokenSigning, (token: { payload: Record<string, unknown> }) => {
    token.payload.jti = randomUUID()
  })

  // The token response carries the access token; remember whose it is (or fail the exchange when asked to).
  service.on(
    Events.BeforeResponse,
    (
      response: { statusCode: number; body: Record<string, unknown> | '' },
      req: IncomingMessage & { body?: { code?: string } },
    ) => {
      const code = req.body?.code
      const identity = code ? byCode.get(code) : undefined
      if (code) byCode.delete(code)
      if (!identity) {
        response.statusCode = 400
        response.body = { error: 'invalid_grant', error_description: 'unknown or used authorization code' }
        return
      }
      if (identity.tokenError) {
        response.statusCode = 400
        response.body = { error: identity.tokenError, error_description: 'refused by the local provider' }
        return
      }
      if (response.body && typeof response.body.access_token === 'string') {
        remember(byToken, response.body.access_token, identity)
      }
    },
  )

  const signedIn = (req: IncomingMessage) => {
    const token = bearer(req)
    return token ? byToken.get(token) : undefined
  }
  service.on(Events.BeforeUserinfo, (response: { statusCode: number; body: unknown }, req: IncomingMessage) => {
    const identity = signedIn(req)
    if (!identity) {
      response.statusCode = 401
      response.body = { error: 'invalid_token' }
      return
    }
    response.body = googleUserinfo(identity)
  })
  service.addRoute('GET', '/user', (req, res) => {
    const identity = signedIn(req)
    if (!identity) return json(res, 401, { message: 'Bad credentials' })
    json(res, 200, githubUser(identity))
  })
  service.addRoute('GET', '/user/emails', (req, res) => {
    const identity = signedIn(req)
    if (!identity) return json(res, 401, { message: 'Bad credentials' })
    json(res, 200, githubEmails(identity))
  })

  await server.start(options.port ?? 0, host)
  const { port } = server.address()
  return { name: 'oauth2', url: `http://${host}:${port}`, port, close: () => server.stop() }
}
