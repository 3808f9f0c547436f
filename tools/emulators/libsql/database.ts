/**
 * One hosted database: a single native `libsql` connection, its prepared-statement cache and the lock that
 * serialises streams.
 *
 * Concurrency design: every database has exactly ONE connection, shared by all streams. The native binding is
 * synchronous, so a pipeline runs start to finish without interleaving with other requests. A stream that ends its
 * pipeline inside a transaction keeps the database (`holder`) until its transaction ends (COMMIT/ROLLBACK, `close`,
 * or idle expiry, which rolls back); requests of other streams wait in FIFO order for at most `busyTimeoutMs`, then
 * fail with SQLITE_BUSY. Transactions are therefore serialisable and never see each other's uncommitted rows.
 * Why not one connection per stream: SQLite's busy handler would block Node's only thread while the lock holder's
 * next request sits in the same event loop (a deadlock), and `:memory:` databases cannot be shared between
 * connections of this binding.
 */
import Database from 'libsql'
import { StmtError, toStmtError } from './errors.js'
import { type SqlInfo, SqlInfoCache } from './sql-text.js'

type NativeDatabase = InstanceType<typeof Database>
type NativeStatement = ReturnType<NativeDatabase['prepare']>

export interface PreparedStatement {
  stmt: NativeStatement
  /** Returns rows (SELECT, RETURNING, row-producing PRAGMA): run with `all()`, never `run()`. */
  reader: boolean
  /** Column names and declared types, read once per prepare (schema changes clear the cache). */
  cols: { name: string | null; decltype: string | null }[]
}

/** Whoever holds a database between pipelines: a stream inside a transaction. */
export type LockOwner = object

interface Waiter {
  owner: LockOwner
  resolve: () => void
  reject: (err: unknown) => void
  timer: NodeJS.Timeout
}

const STATEMENT_CACHE_SIZE = 256

export class DatabaseHost {
  /** Private: the binding aborts the process on most calls to a closed connection, so every use is guarded. */
  readonly #conn: NativeDatabase
  #closed = false
  readonly sqlInfo = new SqlInfoCache()
  /** `PRAGMA foreign_keys` as currently set on the connection; streams restore their own value (see streams.ts). */
  foreignKeys = true
  #statements = new Map<string, PreparedStatement>()
  #holder: LockOwner | null = null
  #waiters: Waiter[] = []
  #changesStmt: NativeStatement | null = null
  readonly #file: boolean

  constructor(
    readonly name: string,
    path: string,
  ) {
    this.#conn = new Database(path)
    this.#file = path !== ':memory:'
    // Turso enables foreign keys on every connection; do the same.
    this.#conn.exec('PRAGMA foreign_keys = ON')
    if (this.#file) {
      // One writer connection, no crash-durability needs: WAL + NORMAL keeps commits cheap.
      this.#conn.exec('PRAGMA journal_mode = WAL')
      this.#conn.exec('PRAGMA synchronous = NORMAL')
    }
  }

  get closed(): boolean {
    return this.#closed
  }

  /** The connection, or a StmtError once closed (in-flight requests may outlive `close()`). */
  #open(): NativeDatabase {
    if (this.#closed) throw new StmtError('The database has been closed (emulator shutting down)', 'SQLITE_MISUSE')
    return this.#conn
  }

  get inTransaction(): boolean {
    return !this.#closed && this.#conn.inTransaction
  }

  /** Runs SQL text that may hold several statements (no results). Throws `StmtError`. */
  exec(sql: string): void {
    try {
      this.#open().exec(sql)
    } catch (err) {
      throw toStmtError(err)
    }
  }

  info(sql: string): SqlInfo {
    return this.sqlInfo.get(sql)
  }

  /** Prepares (or reuses) a statement. Throws `StmtError` for SQL errors. */
  prepare(sql: string, info: SqlInfo): PreparedStatement {
    this.#open()
    const hit = this.#statements.get(sql)
    if (hit !== undefined) {
      this.#statements.delete(sql)
      this.#statements.set(sql, hit)
      return hit
    }
    let prepared: PreparedStatement
    try {
      const stmt = this.#open().prepare(sql)
      stmt.safeIntegers(true)
      const reader = stmt.reader
      if (reader) stmt.raw(true)
      const cols = reader ? stmt.columns().map((c) => ({ name: c.name, decltype: c.type ?? null })) : []
      prepared = { stmt, reader, cols }
    } catch (err) {
      throw toStmtError(err)
    }
    // EXPLAIN statements stay "in progress" after all() in this binding; keeping them would block VACUUM.
    if (info.firstKeyword !== 'EXPLAIN') {
      this.#statements.set(sql, prepared)
      if (this.#statements.size > STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next().value
        if (oldest !== undefined) this.#statements.delete(oldest)
      }
    }
    return prepared
  }

  /** Forgets prepared statements: after DDL or a rollback their column lists may be stale. */
  invalidateStatements(): void {
    this.#statements.clear()
  }

  /** `changes()` and `last_insert_rowid()` as exact integers (the binding's `run()` returns the rowid as a lossy number). */
  changes(): { changes: number; lastInsertRowid: bigint } {
    if (this.#changesStmt === null) {
      this.#changesStmt = this.#open().prepare('SELECT changes(), last_insert_rowid()')
      this.#changesStmt.safeIntegers(true)
      this.#changesStmt.raw(true)
    }
    this.#open()
    const row = this.#changesStmt.all([])[0] as [bigint, bigint]
    return { changes: Number(row[0]), lastInsertRowid: row[1] }
  }

  /** Sets `PRAGMA foreign_keys` if it differs from the connection's current value. */
  setForeignKeys(on: boolean): void {
    if (this.foreignKeys === on) return
    this.#open().exec(`PRAGMA foreign_keys = ${on ? 'ON' : 'OFF'}`)
    this.foreignKeys = on
  }

  /** Re-reads `PRAGMA foreign_keys` after a stream may have changed it. */
  readForeignKeys(): boolean {
    const stmt = this.#open().prepare('PRAGMA foreign_keys')
    stmt.raw(true)
    const row = stmt.all([])[0] as unknown[] | undefined
    this.foreignKeys = row !== undefined && Number(row[0]) === 1
    return this.foreignKeys
  }

  /**
   * Takes the database for `owner`. Returns `null` when it was free (or already held by `owner`), else a promise
   * that resolves when `owner` is handed the database, or rejects with SQLITE_BUSY after `timeoutMs`.
   */
  acquire(owner: LockOwner, timeoutMs: number): Promise<void> | null {
    if (this.#closed) return Promise.reject(new StmtError('The database has been closed', 'SQLITE_MISUSE'))
    if (this.#holder === null) {
      this.#holder = owner
      return null
    }
    if (this.#holder === owner) return null
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.#waiters.indexOf(waiter)
          if (index !== -1) this.#waiters.splice(index, 1)
          reject(new StmtError('database is locked (another stream holds an open transaction)', 'SQLITE_BUSY'))
        }, timeoutMs),
      }
      this.#waiters.push(waiter)
    })
  }

  /** Called after every pipeline of `owner`: keeps the database while a transaction is open, else hands it on. */
  release(owner: LockOwner): void {
    if (this.#holder !== owner) return
    if (this.inTransaction) return
    this.#holder = null
    const next = this.#waiters.shift()
    if (next !== undefined) {
      clearTimeout(next.timer)
      // Hand over directly so no newcomer can slip in before the waiter's continuation runs.
      this.#holder = next.owner
      next.resolve()
    }
  }

  isHeldBy(owner: LockOwner): boolean {
    return this.#holder === owner
  }

  /** Rolls back an open transaction (abandoned or closed stream). */
  rollback(): void {
    if (!this.inTransaction) return
    try {
      this.#conn.exec('ROLLBACK')
    } catch {
      // Nothing sensible to do: the connection is not in a transaction any more or is broken.
    }
    this.invalidateStatements()
  }

  close(): void {
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(new StmtError('the emulator is shutting down', 'SQLITE_BUSY'))
    }
    this.rollback()
    this.#statements.clear()
    this.#changesStmt = null
    if (!this.#closed) {
      // The binding may keep the native database alive until GC, so the WAL is not folded back on close: do it
      // here, so the `.db` file alone holds everything once the emulator has stopped.
      if (this.#file) {
        try {
          this.#conn.exec('PRAGMA wal_checkpoint(TRUNCATE)')
        } catch {
          // Best effort: the WAL is replayed on the next open anyway.
        }
      }
      this.#conn.close()
    }
    this.#closed = true
  }
}
