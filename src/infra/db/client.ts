/**
 * libSQL (Turso) through Drizzle's web driver — the only libSQL entry that runs on Workers (HTTP, no native code).
 * A client is built per request from config: cheap (no connection is opened until the first query) and it keeps
 * the door open for a database per tenant.
 */
import { createClient } from '@libsql/client/web'
import { drizzle } from 'drizzle-orm/libsql/web'
import type { Config } from '../../core/config'

export function createDb(config: Config) {
  if (!config.TURSO_DATABASE_URL) return undefined
  const client = createClient({ url: config.TURSO_DATABASE_URL, authToken: config.TURSO_AUTH_TOKEN })
  return drizzle({ client, casing: 'snake_case' })
}

export type Db = NonNullable<ReturnType<typeof createDb>>
