/** Upstash Redis over REST (`@upstash/redis/cloudflare`): the same client in dev, tests and production. */
import { Redis } from '@upstash/redis/cloudflare'
import type { Config } from '../core/config'

export function createRedis(config: Config): Redis | undefined {
  if (!config.UPSTASH_REDIS_REST_URL || !config.UPSTASH_REDIS_REST_TOKEN) return undefined
  return new Redis({
    url: config.UPSTASH_REDIS_REST_URL,
    token: config.UPSTASH_REDIS_REST_TOKEN,
    // The SDK default (5 retries, exponential) can hold a request for seconds; on a request path, fail fast.
    retry: { retries: 2, backoff: (attempt) => Math.min(50 * 2 ** attempt, 200) },
    // Plain JSON replies: every value Stratum stores is JSON text, so base64 (the SDK default, for binary values)
    // only costs a decode per string — byte by byte, with a new TextDecoder each — on every read.
    responseEncoding: false,
  })
}

export type { Redis }
