/**
 * Authentication of a Socket.IO CONNECT, with the rules of HTTP (domains/auth/authenticate.ts): the `auth` payload
 * is fba's `{token, session_uuid}`; the token must pass every check a Bearer token passes (signature, `typ`, expiry,
 * live session, user and department active), and `session_uuid`, when given, must be the token's own session.
 */
import { UnauthorizedError } from '../../core/errors'
import { type Authenticated, authenticateToken, type TokenAuthDeps } from '../auth/authenticate'

export interface ConnectAuth {
  token?: unknown
  session_uuid?: unknown
}

export async function authenticateConnect(deps: TokenAuthDeps, auth: unknown): Promise<Authenticated> {
  const { token, session_uuid: sessionUuid } = (auth ?? {}) as ConnectAuth
  if (typeof token !== 'string' || !token) throw new UnauthorizedError()
  const authenticated = await authenticateToken(deps, token)
  // The token names its session already; a client that names another one holds a token that is not its own.
  if (sessionUuid !== undefined && sessionUuid !== authenticated.session.sid)
    throw new UnauthorizedError('auth.token_invalid')
  return authenticated
}
