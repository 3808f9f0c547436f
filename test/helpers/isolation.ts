/**
 * Per-test-file isolation: every test file (its own isolate) gets a fresh database and Redis namespace on the shared
 * emulators, so files run in parallel without seeing each other's data — and its own channel on the delivery relay as
 * `PUBLIC_URL`, so QStash delivers this file's tasks only to this file (./deliveries.ts pumps them into the app).
 */
import { env } from 'cloudflare:workers'
import { Redis } from '@upstash/redis/cloudflare'

const id = crypto.randomUUID().replaceAll('-', '').slice(0, 12)
const bindings = env as unknown as Record<string, string>

export const FILE_ID = id

export const fileBindings: Record<string, string> = {
  TURSO_DATABASE_URL: `${bindings.TEST_LIBSQL_URL}/t_${id}/`,
  UPSTASH_REDIS_REST_URL: `${bindings.TEST_REDIS_URL}/ns/t_${id}`,
  PUBLIC_URL: `${bindings.DELIVERY_RELAY_URL}/t_${id}`,
}

/** An Upstash client on this file's Redis namespace (to look at or prepare what the app keeps there). */
export function fileRedis(): Redis {
  return new Redis({ url: fileBindings.UPSTASH_REDIS_REST_URL as string, token: bindings.UPSTASH_REDIS_REST_TOKEN })
}
