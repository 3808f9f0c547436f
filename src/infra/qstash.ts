/** QStash client for async tasks and events; signed deliveries come back through verified consumer routes. */
import { Client } from '@upstash/qstash'
import type { Config } from '../core/config'

export function createQstash(config: Config): Client | undefined {
  if (!config.QSTASH_TOKEN) return undefined
  return new Client({ token: config.QSTASH_TOKEN, baseUrl: config.QSTASH_URL, retry: false })
}

export type { Client as Qstash }
