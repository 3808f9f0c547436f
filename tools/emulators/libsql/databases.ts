/**
 * Databases by name (opened lazily on first use) and the per-database request counters behind
 * `GET /_emulator/stats`.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseHost } from './database.js'

/** Database names as they may appear in the URL path (`/<name>/v2/pipeline`). */
export const DATABASE_NAME = /^[A-Za-z0-9_-]{1,64}$/
export const DEFAULT_DATABASE = 'default'

export class DatabaseRegistry {
  readonly #hosts = new Map<string, DatabaseHost>()

  /** `dataDir` null: every database lives in memory and vanishes on close. */
  constructor(private readonly dataDir: string | null) {}

  get(name: string): DatabaseHost {
    let host = this.#hosts.get(name)
    if (host === undefined) {
      let path = ':memory:'
      if (this.dataDir !== null) {
        mkdirSync(this.dataDir, { recursive: true })
        path = join(this.dataDir, `${name}.db`)
      }
      host = new DatabaseHost(name, path)
      this.#hosts.set(name, host)
    }
    return host
  }

  names(): string[] {
    return [...this.#hosts.keys()]
  }

  closeAll(): void {
    for (const host of this.#hosts.values()) host.close()
    this.#hosts.clear()
  }
}

export interface DatabaseStats {
  /** HTTP round trips (pipeline and cursor requests). */
  pipelines: number
  /** Statements that reached SQLite (execute, executed batch steps, statements of a sequence). */
  statements: number
}

export class Stats {
  #byDatabase = new Map<string, DatabaseStats>()

  of(name: string): DatabaseStats {
    let entry = this.#byDatabase.get(name)
    if (entry === undefined) {
      entry = { pipelines: 0, statements: 0 }
      this.#byDatabase.set(name, entry)
    }
    return entry
  }

  snapshot(): { databases: Record<string, DatabaseStats> } {
    const databases: Record<string, DatabaseStats> = {}
    for (const [name, entry] of this.#byDatabase) databases[name] = { ...entry }
    return { databases }
  }

  reset(): void {
    this.#byDatabase.clear()
  }
}
