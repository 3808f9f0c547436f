/**
 * libSQL emulator: a Hrana-over-HTTP server (the protocol of Turso / sqld) on the embedded `libsql` package, so
 * `@libsql/client` (Node and `/web` inside workerd), `drizzle-orm/libsql` and `drizzle-kit migrate` work locally,
 * offline. See docs/emulators/libsql.md.
 */

import type { RunningEmulator } from '../shared/emulator.js'
import { listen } from '../shared/http.js'
import { DATABASE_NAME, DatabaseRegistry, DEFAULT_DATABASE, Stats } from './databases.js'
import { createHandler } from './server.js'
import { StreamRegistry } from './streams.js'

export interface LibsqlEmulatorOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string
  /** Port (default 0 = any free port). */
  port?: number
  /** Persist database files here as `<name>.db` (default `.data/libsql`, relative to the working directory). */
  dataDir?: string
  /** Keep all databases in memory (ignores `dataDir`). */
  memory?: boolean
  /** If set, pipeline requests need `Authorization: Bearer <authToken>`. */
  authToken?: string
  /** Streams idle this long are closed and their open transaction rolled back (default 10 000 ms). */
  streamIdleMs?: number
  /** How long a request waits while another stream's transaction holds the database (default 5 000 ms). */
  busyTimeoutMs?: number
}

export interface RunningLibsqlEmulator extends RunningEmulator {
  /** Client URL of a database: `http://host:port/<name>/` (trailing slash kept), or the root URL for `default`. */
  databaseUrl(name?: string): string
}

export const DEFAULT_DATA_DIR = '.data/libsql'

export async function startLibsqlEmulator(options: LibsqlEmulatorOptions = {}): Promise<RunningLibsqlEmulator> {
  const databases = new DatabaseRegistry(options.memory ? null : (options.dataDir ?? DEFAULT_DATA_DIR))
  const streams = new StreamRegistry(options.streamIdleMs ?? 10_000)
  const stats = new Stats()
  const handler = createHandler({
    databases,
    streams,
    stats,
    busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
    authToken: options.authToken ?? null,
  })
  const server = await listen(handler, { host: options.host, port: options.port })
  let closing: Promise<void> | null = null
  return {
    name: 'libsql',
    url: server.url,
    port: server.port,
    databaseUrl(name?: string): string {
      if (name === undefined || name === DEFAULT_DATABASE) return server.url
      if (!DATABASE_NAME.test(name)) throw new Error(`invalid database name ${JSON.stringify(name)}`)
      return `${server.url}/${name}/`
    },
    close(): Promise<void> {
      closing ??= (async () => {
        await server.close()
        // Roll back abandoned transactions before closing the files, so nothing half-done is persisted.
        streams.closeAll()
        databases.closeAll()
      })()
      return closing
    },
  }
}
