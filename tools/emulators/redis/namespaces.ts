/**
 * Namespaces: isolated Upstash "databases" on one redis-server, so parallel test files never see each other's
 * keys. `/ns/<name>/…` maps to its own Redis logical database (SELECT n), allocated on first use; the default
 * namespace (`/`, also reachable as `/ns/default`) is database 0. A database gives real isolation for KEYS,
 * SCAN, FLUSHDB and DBSIZE, which key prefixes could not.
 *
 * With a data directory the name → database mapping is kept in `namespaces.json` so a restarted dev emulator
 * finds its data again; otherwise a namespace's database is emptied when it is first allocated (it may hold
 * leftovers from an earlier run against the same server).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RedisOptions } from 'ioredis'
import type { NamespaceScripts } from './command-policy'
import { ConnectionPool, sendRaw } from './connection-pool'
import type { ScriptRegistry } from './lua-scripts'

export const DEFAULT_NAMESPACE = 'default'
const NAME_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/

export interface NamespaceStats {
  /** HTTP requests addressed to the namespace (authenticated ones). */
  requests: number
  /** Redis commands in those requests (a pipeline of 10 counts 10). */
  commands: number
}

export interface Namespace {
  name: string
  db: number
  pool: ConnectionPool
  scripts: NamespaceScripts
  stats: NamespaceStats
}

/** No logical database left for a new namespace. */
export class NamespaceLimitError extends Error {
  override name = 'NamespaceLimitError'
}

export interface NamespaceRegistryOptions {
  redis: RedisOptions
  /** Logical databases the server has (`--databases`). */
  databases: number
  connectionsPerNamespace: number
  scripts: ScriptRegistry
  /** Folder for `namespaces.json`; without it the mapping lives in memory. */
  dataDir?: string
}

export function isValidNamespaceName(name: string): boolean {
  return NAME_PATTERN.test(name)
}

export class NamespaceRegistry {
  readonly #options: NamespaceRegistryOptions
  readonly #namespaces = new Map<string, Promise<Namespace>>()
  readonly #ready = new Map<string, Namespace>()
  /** name → database index, persisted when there is a data directory. */
  readonly #mapping: Map<string, number>
  readonly #mappingFile: string | undefined
  #closed = false

  constructor(options: NamespaceRegistryOptions) {
    this.#options = options
    this.#mappingFile = options.dataDir ? join(options.dataDir, 'namespaces.json') : undefined
    this.#mapping = readMapping(this.#mappingFile)
    this.#mapping.set(DEFAULT_NAMESPACE, 0)
  }

  /** The namespace, created (database allocated, connections open) on first use. */
  get(name: string): Promise<Namespace> {
    if (this.#closed) return Promise.reject(new Error('the emulator is closed'))
    let namespace = this.#namespaces.get(name)
    if (!namespace) {
      namespace = this.#open(name)
      this.#namespaces.set(name, namespace)
      // A failed allocation (no free database, Redis down) must not stick: the next request retries.
      namespace.catch(() => this.#namespaces.delete(name))
    }
    return namespace
  }

  stats(): Record<string, NamespaceStats> {
    const stats: Record<string, NamespaceStats> = {}
    for (const [name, namespace] of this.#ready) stats[name] = { ...namespace.stats }
    return stats
  }

  resetStats(): void {
    for (const namespace of this.#ready.values()) {
      namespace.stats.requests = 0
      namespace.stats.commands = 0
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    const namespaces = await Promise.allSettled(this.#namespaces.values())
    for (const result of namespaces) if (result.status === 'fulfilled') result.value.pool.close()
  }

  async #open(name: string): Promise<Namespace> {
    const known = this.#mapping.get(name)
    const db = known ?? this.#allocate(name)
    const pool = new ConnectionPool(this.#options.redis, db, this.#options.connectionsPerNamespace)
    try {
      await pool.connect()
      const fresh = name !== DEFAULT_NAMESPACE && (known === undefined || this.#mappingFile === undefined)
      if (fresh) await sendRaw(pool.acquire(), 'FLUSHDB', [])
    } catch (err) {
      pool.close()
      throw err
    }
    const namespace: Namespace = {
      name,
      db,
      pool,
      scripts: { registry: this.#options.scripts, loaded: new Set() },
      stats: { requests: 0, commands: 0 },
    }
    this.#ready.set(name, namespace)
    return namespace
  }

  #allocate(name: string): number {
    const used = new Set(this.#mapping.values())
    for (let db = 1; db < this.#options.databases; db++) {
      if (used.has(db)) continue
      this.#mapping.set(name, db)
      this.#saveMapping()
      return db
    }
    throw new NamespaceLimitError(
      `ERR no free Redis logical database for namespace '${name}': all ${this.#options.databases - 1} are in use ` +
        `(${used.size - 1} namespaces). Reuse namespace names, restart the emulator, or run redis-server with a ` +
        `larger --databases (the emulator spawns it with 256).`,
    )
  }

  #saveMapping(): void {
    if (!this.#mappingFile) return
    const entries = [...this.#mapping].filter(([name]) => name !== DEFAULT_NAMESPACE)
    writeFileSync(this.#mappingFile, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`)
  }
}

function readMapping(file: string | undefined): Map<string, number> {
  const mapping = new Map<string, number>()
  if (!file) return mapping
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return mapping // first run, or unreadable: start over
  }
  if (parsed && typeof parsed === 'object') {
    for (const [name, db] of Object.entries(parsed)) {
      if (typeof db === 'number' && Number.isInteger(db) && db > 0 && isValidNamespaceName(name)) mapping.set(name, db)
    }
  }
  return mapping
}
