/** Upstash Redis over REST (`@upstash/redis/cloudflare`): the same client in dev, tests and production. */
import { Redis } from '@upstash/redis/cloudflare'
import type { Config } from '../core/config'

export function createRedis(config: Config): Redis | undefined {
  if (!config.UPSTASH_REDIS_REST_URL || !config.UPSTASH_REDIS_REST_TOKEN) return undefined
  return new Redis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN })
}

export type { Redis }
