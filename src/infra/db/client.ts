/**
 * libSQL (Turso) through Drizzle's web driver — the only libSQL entry that runs on Workers (HTTP, no native code).
 * A client is built per request from config: cheap (no connection is opened until the first query) and it keeps
 * the door open for a database per tenant.
 *
 * Every HTTP request of the client runs under `DB_TIMEOUT_MS` (../deadline.ts): a stalled or unreachable database is
 * a 503, not a hang. The deadline rides on the client's own `fetch` option, so it covers `http(s)://` and `libsql://`
 * URLs; a `ws(s)://` URL (WebSockets, no `fetch`) has none.
 */
import { createClient } from '@libsql/client/web'
import { drizzle } from 'drizzle-orm/libsql/web'
import type { Config } from '../../core/config'
import { Deadline } from '../deadline'
import { lazyInstance } from '../lazy'
import { recordTransport } from './read-batch'

export function createDb(config: Config) {
  if (!config.TURSO_DATABASE_URL) return undefined
  const deadline = new Deadline('database', config.DB_TIMEOUT_MS)
  const fetcher = deadline.fetch()
  const { TURSO_DATABASE_URL: url, TURSO_AUTH_TOKEN: authToken } = config
  const db = drizzle({
    // Built on its first call: a request that only reads through ./read-batch.ts (a list) never needs it.
    client: lazyInstance(() => createClient({ url, authToken, fetch: fetcher })),
    casing: 'snake_case',
  })
  // Lists read through the same URL, token and deadline without the client (./read-batch.ts).
  recordTransport(db, config.TURSO_DATABASE_URL, config.TURSO_AUTH_TOKEN, fetcher)
  return db
}

export type Db = NonNullable<ReturnType<typeof createDb>>
