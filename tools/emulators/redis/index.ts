/**
 * Upstash Redis REST emulator backed by a real redis-server: `@upstash/redis` and `@upstash/ratelimit` work
 * against it unchanged. See docs/emulators/redis.md.
 *
 * ```ts
 * const redis = await startRedisEmulator({ token: 'test' })
 * const client = new Redis({ url: redis.namespaceUrl('my-test-file'), token: redis.token })
 * ```
 */
import { Redis } from 'ioredis'
import type { RunningEmulator } from '../shared/emulator'
import { listen } from '../shared/http'
import { loadCommandTable, SyncToken } from './command-table'
import { redisOptionsFromUrl, sendRaw } from './connection-pool'
import { createRequestHandler } from './http-handler'
import { ScriptRegistry } from './lua-scripts'
import { DEFAULT_NAMESPACE, isValidNamespaceName, NamespaceRegistry } from './namespaces'
import { DEFAULT_DATABASES, type RunningRedisServer, startRedisServer } from './redis-server'
import { errorMessage } from './reply'
import { Subscriptions } from './subscribe'

export { startRedisServer } from './redis-server'

export interface RedisEmulatorOptions {
  /** Interface for the HTTP server; default 127.0.0.1. */
  host?: string
  /** HTTP port; 0 or absent picks a free one. */
  port?: number
  /** The REST token clients must present (Bearer header or `?_token=`). */
  token: string
  /** Use this Redis (`redis://…`) instead of spawning one. The emulator owns its databases 1…n (see docs). */
  redisUrl?: string
  /** Persist the spawned server's data (AOF) and the namespace mapping in this folder. */
  dataDir?: string
  /** Logical databases of a spawned server, i.e. the namespace limit + 1; default 256. */
  databases?: number
  /** ioredis connections per namespace; default 4. */
  connectionsPerNamespace?: number
  /** Largest request body in bytes; default 32 MiB. */
  maxBodyBytes?: number
}

export interface RunningRedisEmulator extends RunningEmulator {
  token: string
  /** `redis://…` of the server behind the emulator (for direct inspection in tests). */
  redisUrl: string
  /** Base URL of an isolated namespace, for `new Redis({ url: namespaceUrl('x'), token })`. */
  namespaceUrl(name: string): string
}

export async function startRedisEmulator(options: RedisEmulatorOptions): Promise<RunningRedisEmulator> {
  if (!options.token) throw new Error('startRedisEmulator: a token is required')
  const server: RunningRedisServer | undefined = options.redisUrl
    ? undefined
    : await startRedisServer({ dataDir: options.dataDir, databases: options.databases ?? DEFAULT_DATABASES })
  const redisUrl = options.redisUrl ?? server!.url
  let namespaces: NamespaceRegistry | undefined
  try {
    const redis = redisOptionsFromUrl(redisUrl)
    const databases = server?.databases ?? (await probeDatabases(redisUrl))
    namespaces = new NamespaceRegistry({
      redis,
      databases,
      connectionsPerNamespace: options.connectionsPerNamespace ?? 4,
      scripts: new ScriptRegistry(),
      dataDir: options.dataDir,
    })
    // Opening the default namespace proves Redis answers before we accept HTTP traffic.
    const defaultNamespace = await namespaces.get(DEFAULT_NAMESPACE)
    const commandTable = await loadCommandTable(defaultNamespace.pool.acquire())
    const subscriptions = new Subscriptions()
    const http = await listen(
      createRequestHandler({
        token: options.token,
        namespaces,
        commandTable,
        syncToken: new SyncToken(),
        maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
        redis,
        subscriptions,
      }),
      { host: options.host, port: options.port },
    )
    const registry = namespaces
    let closing: Promise<void> | undefined
    return {
      name: 'redis',
      url: http.url,
      port: http.port,
      token: options.token,
      redisUrl,
      namespaceUrl(name: string): string {
        if (!isValidNamespaceName(name)) throw new Error(`invalid namespace name ${JSON.stringify(name)}`)
        return `${http.url}/ns/${name}`
      },
      close() {
        closing ??= (async () => {
          subscriptions.close()
          await http.close()
          await registry.close()
          await server?.close()
        })()
        return closing
      },
    }
  } catch (err) {
    await namespaces?.close()
    await server?.close()
    throw err
  }
}

/** `CONFIG GET databases` of an existing server; 16 (Redis's default) when CONFIG is not allowed. */
async function probeDatabases(redisUrl: string): Promise<number> {
  const connection = new Redis({
    ...redisOptionsFromUrl(redisUrl),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null, // one attempt: a wrong REDIS_URL should fail fast
  })
  connection.on('error', () => undefined)
  try {
    try {
      await connection.connect()
    } catch (err) {
      throw new Error(`cannot reach Redis at ${redisUrl}: ${errorMessage(err)}`)
    }
    const reply = await sendRaw(connection, 'CONFIG', ['GET', 'databases']).catch(() => null)
    const value = Array.isArray(reply) ? Number(String(reply[1])) : Number.NaN
    return Number.isInteger(value) && value > 0 ? value : 16
  } finally {
    connection.disconnect()
  }
}
