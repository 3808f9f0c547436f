/**
 * `GET /ws/socket.io/?EIO=4&transport=websocket`: the Engine.IO endpoint fba's admin UI connects to (path
 * `/ws/socket.io`, websocket transport only). The Worker checks the handshake and hands the upgrade, intact, to the
 * realtime hub (./hub.ts), with the endpoints of this request's data (./endpoints.ts). Refusals are Engine.IO's own
 * `{code, message}` answers: polling gets 400 "Transport unknown" (the UI never polls), a browser page from an origin
 * the API does not serve (neither this one nor `CORS_ALLOWED_ORIGINS`) gets 403 "Forbidden".
 */
import { type Context, Hono } from 'hono'
import { NotImplementedError, ServiceUnavailableError } from '../../core/errors'
import type { AppEnv } from '../../http/context'
import { hubFor, hubNamespace } from '../../infra/realtime'
import { ENDPOINTS_HEADER, endpointsOf } from './endpoints'
import { ENGINE_ERRORS } from './protocol'

export const SOCKET_IO_PATH = '/ws/socket.io'

type EngineError = (typeof ENGINE_ERRORS)[keyof typeof ENGINE_ERRORS]

const refuse = (c: Context<AppEnv>, status: 400 | 403, error: EngineError) => c.json(error, status)

/** Same-origin pages, the configured CORS origins and clients that send no `Origin` (not a browser page) may connect. */
function originAllowed(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin')
  if (origin === undefined) return true
  const config = c.get('config')
  return (
    origin === new URL(c.req.url).origin ||
    config.CORS_ALLOWED_ORIGINS.includes(origin) ||
    (config.PUBLIC_URL !== undefined && origin === new URL(config.PUBLIC_URL).origin)
  )
}

async function upgrade(c: Context<AppEnv>): Promise<Response> {
  const query = new URL(c.req.url).searchParams
  if (query.get('EIO') !== '4') return refuse(c, 400, ENGINE_ERRORS.unsupportedProtocol)
  if (query.get('transport') !== 'websocket') return refuse(c, 400, ENGINE_ERRORS.transportUnknown)
  // A `sid` continues a polling session, which never exists here.
  if (query.has('sid')) return refuse(c, 400, ENGINE_ERRORS.sessionUnknown)
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return refuse(c, 400, ENGINE_ERRORS.badRequest)
  if (!originAllowed(c)) return refuse(c, 403, ENGINE_ERRORS.forbidden)
  const namespace = hubNamespace(c.env)
  if (!namespace) {
    // The Node, Bun and Deno hosts have no Durable Objects: a permanent 501 there (docs/hosts.md), not an outage.
    const host = c.env.STRATUM_HOST
    if (typeof host === 'string')
      throw new NotImplementedError(undefined, {
        params: { feature: 'Realtime (Socket.IO)', host },
        data: { feature: 'realtime', host },
      })
    throw new ServiceUnavailableError(undefined, { data: { service: 'realtime', reason: 'not configured' } })
  }
  const headers = new Headers(c.req.raw.headers)
  headers.set(ENDPOINTS_HEADER, JSON.stringify(endpointsOf(c.env)))
  return hubFor(namespace).fetch(new Request(c.req.url, { method: 'GET', headers }))
}

export function realtimeRoutes() {
  // Both spellings: socket.io-client adds the trailing slash, other clients may not.
  return new Hono<AppEnv>().get(SOCKET_IO_PATH, upgrade).get(`${SOCKET_IO_PATH}/`, upgrade)
}
