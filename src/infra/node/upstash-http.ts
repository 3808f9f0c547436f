/**
 * Node only (never imported by the Worker entry): the undici transport of the Redis client (infra/redis.ts) — a
 * keep-alive `Pool` instead of `fetch`; requester, deadline, retries, commands and errors stay the same.
 *
 * Why: in Node, WHATWG `fetch` costs ~0.4 ms of CPU per call on the 2-core dev machine — most of a warm
 * authenticated request — where undici's `request()` costs ~0.09 ms (`node:http`: ~0.15). Workers use `fetch`
 * (native there). Same REST protocol and emulators, so only the transport differs. Used by Node hosts of the app (the
 * in-process benchmark today; a Node entry later) through `createApp({ services: nodeServices() })`.
 */
import { Pool } from 'undici'
import type { Config } from '../../core/config'
import { Deadline } from '../deadline'
import { type Redis, redisOver, UpstashRequester, type UpstashTransport } from '../redis'
import type { ServiceFactories } from '../services'
import { nodeServerProbe } from './server-probe'
import { nodeSmtpTransport } from './smtp-email'

/** The undici transport for one Upstash REST endpoint (a keep-alive pool per origin). */
export function nodeTransport(url: string): UpstashTransport {
  const base = new URL(url.endsWith('/') ? url : `${url}/`)
  const pool = poolFor(base)
  return async (path, headers, body, signal) => {
    const res = await pool.request({
      method: 'POST',
      path: `${base.pathname}${path.join('/')}`,
      headers,
      body,
      signal,
    })
    const token = res.headers['upstash-sync-token']
    return {
      status: res.statusCode,
      body: await res.body.text(),
      syncToken: typeof token === 'string' ? token : undefined,
    }
  }
}

/** A `Requester` for one Upstash REST endpoint (url + token) over undici; the deadline defaults to config's default. */
export class NodeUpstashRequester extends UpstashRequester {
  constructor(url: string, token: string, deadline = new Deadline('redis', 1000)) {
    super(token, nodeTransport(url), deadline)
  }
}

// One keep-alive pool per origin, shared by every request's client in the process (sockets, not state).
const pools = new Map<string, Pool>()

function poolFor(url: URL): Pool {
  let pool = pools.get(url.origin)
  if (!pool) {
    pool = new Pool(url.origin, { connections: 16 })
    pools.set(url.origin, pool)
  }
  return pool
}

/** The Redis client for `config` over the Node transport (undefined when Redis is not configured). */
export function nodeRedis(config: Config): Redis | undefined {
  return redisOver(config, nodeTransport)
}

/**
 * Service factories for a Node host: everything as in Workers, except Redis's transport, the server probe and SMTP.
 */
export function nodeServices(): ServiceFactories {
  // The server monitor reads this machine (./server-probe.ts) instead of reporting what a Worker can; mail leaves
  // over `node:net`/`node:tls` (./smtp-email.ts), as there are no `cloudflare:sockets` here.
  return { redisTransport: nodeTransport, serverProbe: nodeServerProbe, smtpTransport: nodeSmtpTransport }
}
