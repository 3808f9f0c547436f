/**
 * Where a socket's logins live. The hub is one Durable Object for the whole deployment, but the database and Redis a
 * login is checked against belong to the request that opened the socket: the Worker route forwards them with the
 * upgrade, and the hub keeps them in the socket's attachment for its CONNECT. In a deployment they equal the hub's own
 * bindings; they differ where a request's bindings are chosen per request — each Worker test file has its own
 * database and Redis namespace, and a tenant would have its own.
 *
 * Only locations cross (URLs and the key prefix), never credentials: tokens and secrets stay the hub's own. The header
 * is set by the route from its bindings (a client's copy is replaced), and the hub has no public address.
 */
import type { HubEndpoints } from './connections'

export const ENDPOINTS_HEADER = 'x-stratum-hub-endpoints'

/** The binding keys that say where a request's data lives. */
export const ENDPOINT_KEYS = ['TURSO_DATABASE_URL', 'UPSTASH_REDIS_REST_URL', 'REDIS_KEY_PREFIX'] as const

function pick(source: Record<string, unknown>): HubEndpoints {
  const endpoints: Record<string, string> = {}
  for (const key of ENDPOINT_KEYS) {
    const value = source[key]
    if (typeof value === 'string') endpoints[key] = value
  }
  return endpoints
}

/** The endpoints of a request's bindings (`c.env`), as the route forwards them. */
export function endpointsOf(bindings: object | undefined): HubEndpoints {
  return pick((bindings ?? {}) as Record<string, unknown>)
}

/** The endpoints the route forwarded; anything else in the header is ignored. */
export function readEndpoints(header: string | null): HubEndpoints {
  if (!header) return {}
  try {
    const parsed: unknown = JSON.parse(header)
    return parsed && typeof parsed === 'object' ? pick(parsed as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
