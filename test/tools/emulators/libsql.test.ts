/**
 * libSQL emulator through the official clients: `@libsql/client` (Node, HTTP URL) and `@libsql/client/web`.
 * Protocol-level and garbage input: libsql-protocol.test.ts. drizzle: libsql-drizzle.test.ts.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Client, createClient, LibsqlError } from '@libsql/client'
import { createClient as createWebClient } from '@libsql/client/web'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningLibsqlEmulator, startLibsqlEmulator } from '../../../tools/emulators/libsql/index.js'

let emu: RunningLibsqlEmulator
const clients: Client[] = []

function client(db: string, intMode: 'number' | 'bigint' | 'string' = 'number'): Client {
  const c = createClient({ url: emu.databaseUrl(db), intMode })
  clients.push(c)
  return c
}

async function errorOf(promise: Promise<unknown>): Promise<LibsqlError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(LibsqlError)
    return err as LibsqlError
  }
  throw new Error('expected the promise to reject')
}

beforeAll(async () => {
  emu = await startLibsqlEmulator({ port: 0, memory: true })
})

afterAll(async () => {
  for (const c of clients) c.close()
  await emu.close()
})

describe('values', () => {
  it('round-trips positional args: text, blobs, floats, nulls, with column decltypes', async () => {
    const db = client('values')
    await db.execute('CREATE TABLE v (id INTEGER PRIMARY KEY, t TEXT, b BLOB, f REAL, n INTEGER)')
    const blob = new Uint8Array([0, 1, 2, 250, 255])
    const ins = await db.execute({
      sql: 'INSERT INTO v (t, b, f, n) VALUES (?, ?, ?, ?)',
      args: ['héllo 🌍', blob, -0.25, null],
    })
    expect(ins.rowsAffected).toBe(1)
    expect(ins.lastInsertRowid).toBe(1n)
    const rs = await db.execute('SELECT id, t, b, f, n FROM v')
    expect(rs.columns).toEqual(['id', 't', 'b', 'f', 'n'])
    expect(rs.columnTypes).toEqual(['INTEGER', 'TEXT', 'BLOB', 'REAL', 'INTEGER'])
    const row = rs.rows[0]!
    expect(row.id).toBe(1)
    expect(row.t).toBe('héllo 🌍')
    expect(new Uint8Array(row.b as ArrayBuffer)).toEqual(blob)
    expect(row.f).toBe(-0.25)
    expect(row.n).toBeNull()
    expect(rs.rowsAffected).toBe(0)
  })

  it('binds named args with every prefix, with or without the prefix in the key', async () => {
    const db = client('values')
    const rs = await db.execute({
      sql: 'SELECT :a AS a, @b AS b, $c AS c, :a AS again',
      args: { a: 1, b: 'two', c: null },
    })
    expect(rs.rows[0]).toMatchObject({ a: 1, b: 'two', c: null, again: 1 })
    const prefixed = await db.execute({ sql: 'SELECT :x AS x', args: { ':x': 'kept' } })
    expect(prefixed.rows[0]!.x).toBe('kept')
    // An anonymous parameter next to named ones stays NULL (and must not take the process down).
    const mixed = await db.execute({ sql: 'SELECT ? AS anon, :n AS n', args: { n: 5 } })
    expect(mixed.rows[0]).toMatchObject({ anon: null, n: 5 })
  })

  it('keeps 64-bit integers exact in intMode bigint and string', async () => {
    const db = client('ints', 'bigint')
    await db.execute('CREATE TABLE big (id INTEGER PRIMARY KEY, v INTEGER)')
    const values = [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 0n, -1n]
    for (const v of values) await db.execute({ sql: 'INSERT INTO big (v) VALUES (?)', args: [v] })
    const rs = await db.execute('SELECT v FROM big ORDER BY id')
    expect(rs.rows.map((r) => r.v)).toEqual(values)
    const asString = await client('ints', 'string').execute('SELECT v FROM big WHERE v > 9007199254740992')
    expect(asString.rows.map((r) => r.v)).toEqual(['9007199254740993', '9223372036854775807'])
    // lastInsertRowid above 2^53 (the native binding reports rowids as lossy JS numbers).
    await db.execute({ sql: 'INSERT INTO big (id, v) VALUES (?, 0)', args: [2n ** 53n + 1n] })
    const next = await db.execute('INSERT INTO big (v) VALUES (1)')
    expect(next.lastInsertRowid).toBe(2n ** 53n + 2n)
  })

  it('keeps floats floats (also integral ones) and transports Infinity', async () => {
    const db = client('floats')
    const rs = await db.execute({
      sql: 'SELECT typeof(?) AS t, ? AS v, 1e308 * 10 AS inf, -1e308 * 10 AS ninf',
      args: [3, 1e300],
    })
    expect(rs.rows[0]).toMatchObject({ t: 'real', v: 1e300, inf: Number.POSITIVE_INFINITY, ninf: -Infinity })
    const ints = await db.execute({ sql: 'SELECT typeof(?) AS t', args: [7n] })
    expect(ints.rows[0]!.t).toBe('integer')
  })
})

describe('batches and transactions', () => {
  it('rolls a batch back as a whole when a step violates a constraint, with the error code', async () => {
    const db = client('batch')
    await db.execute('CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE)')
    await db.execute("INSERT INTO u (email) VALUES ('taken@x')")
    const err = await errorOf(
      db.batch(
        [
          { sql: 'INSERT INTO u (email) VALUES (?)', args: ['new@x'] },
          { sql: 'INSERT INTO u (email) VALUES (?)', args: ['taken@x'] },
        ],
        'write',
      ),
    )
    expect(err.code).toBe('SQLITE_CONSTRAINT')
    expect(err.message).toContain('UNIQUE constraint failed: u.email')
    const rs = await db.execute('SELECT email FROM u')
    expect(rs.rows.map((r) => r.email)).toEqual(['taken@x'])

    const ok = await db.batch([
      'INSERT INTO u (email) VALUES (1)',
      'INSERT INTO u (email) VALUES (2)',
      'SELECT count(*) AS n FROM u',
    ])
    expect(ok[2]!.rows[0]!.n).toBe(3)
  })

  it('reports NOT NULL, PRIMARY KEY and FOREIGN KEY (foreign keys are on) violations', async () => {
    const db = client('constraints')
    await db.executeMultiple(`
      CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER NOT NULL REFERENCES p(id));
      INSERT INTO p VALUES (1, 'one');
    `)
    const violations = {
      'NOT NULL constraint failed: p.name': 'INSERT INTO p VALUES (2, NULL)',
      'UNIQUE constraint failed: p.id': "INSERT INTO p VALUES (1, 'dup')",
      'FOREIGN KEY constraint failed': 'INSERT INTO c VALUES (1, 99)',
    }
    for (const [message, sql] of Object.entries(violations)) {
      const err = await errorOf(db.execute(sql))
      // Like Turso: the primary code; Hrana has no field for the extended one, so the client leaves it undefined.
      expect(err.code).toBe('SQLITE_CONSTRAINT')
      expect(err.extendedCode).toBeUndefined()
      expect(err.message).toContain(message)
    }
    const syntax = await errorOf(db.execute('SELEC 1'))
    expect(syntax.code).toBe('SQLITE_ERROR')
    expect(syntax.message).toContain('syntax error')
  })

  it('reports the same primary code as a local file: database, whose client alone adds the extended code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'libsql-codes-'))
    const local = createClient({ url: `file:${join(dir, 'local.db')}` })
    const remote = client('codes')
    try {
      for (const db of [local, remote]) {
        await db.execute('CREATE TABLE k (id INTEGER PRIMARY KEY, name TEXT UNIQUE)')
        await db.execute("INSERT INTO k VALUES (1, 'a')")
      }
      for (const [sql, extended] of [
        ["INSERT INTO k VALUES (2, 'a')", 'SQLITE_CONSTRAINT_UNIQUE'],
        ["INSERT INTO k VALUES (1, 'b')", 'SQLITE_CONSTRAINT_PRIMARYKEY'],
      ] as const) {
        const [fromFile, fromEmulator] = [await errorOf(local.execute(sql)), await errorOf(remote.execute(sql))]
        expect(fromFile.code).toBe('SQLITE_CONSTRAINT')
        expect(fromFile.extendedCode).toBe(extended)
        expect(fromEmulator.code).toBe(fromFile.code)
        expect(fromEmulator.message).toContain(fromFile.message.replace(/^SQLITE_CONSTRAINT[A-Z_]*: /, ''))
      }
    } finally {
      local.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('commits and rolls back interactive transactions', async () => {
    const db = client('tx')
    await db.execute('CREATE TABLE t (v TEXT)')
    const tx = await db.transaction('write')
    await tx.execute("INSERT INTO t VALUES ('committed')")
    expect((await tx.execute('SELECT count(*) AS n FROM t')).rows[0]!.n).toBe(1)
    await tx.commit()
    const rb = await db.transaction('write')
    await rb.execute("INSERT INTO t VALUES ('rolled back')")
    await rb.batch(["INSERT INTO t VALUES ('also rolled back')"])
    await rb.rollback()
    const rs = await db.execute('SELECT v FROM t')
    expect(rs.rows.map((r) => r.v)).toEqual(['committed'])
    const ro = await db.transaction('read')
    expect((await ro.execute('SELECT count(*) AS n FROM t')).rows[0]!.n).toBe(1)
    await ro.commit()
  })

  it('runs executeMultiple, trigger bodies included', async () => {
    const db = client('multi')
    await db.executeMultiple(`
      CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE log (msg TEXT);
      CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
        INSERT INTO log VALUES ('added ' || new.name);
        INSERT INTO log VALUES ('twice');
      END;
      INSERT INTO items (name) VALUES ('a; not a separator');
    `)
    const rs = await db.execute('SELECT msg FROM log')
    expect(rs.rows.map((r) => r.msg)).toEqual(['added a; not a separator', 'twice'])
    const err = await errorOf(db.executeMultiple('INSERT INTO log VALUES (1); INSERT INTO nope VALUES (2);'))
    expect(err.code).toBe('SQLITE_ERROR')
  })

  it('rejects a statement string holding several statements (execute takes exactly one)', async () => {
    const err = await errorOf(client('multi').execute('SELECT 1; SELECT 2'))
    expect(err.code).toBe('SQL_MANY_STATEMENTS')
  })
})

describe('concurrency', () => {
  it('serialises concurrent clients writing to one database', async () => {
    const setup = client('conc')
    await setup.execute('CREATE TABLE w (client INTEGER, i INTEGER)')
    await setup.execute('CREATE TABLE counter (v INTEGER)')
    await setup.execute('INSERT INTO counter VALUES (0)')
    const writers = Array.from({ length: 8 }, () => client('conc'))
    await Promise.all(
      writers.map(async (db, c) => {
        for (let i = 0; i < 25; i++) await db.execute({ sql: 'INSERT INTO w VALUES (?, ?)', args: [c, i] })
        await db.batch([{ sql: 'INSERT INTO w VALUES (?, ?)', args: [c, 100] }], 'write')
      }),
    )
    // Read-modify-write in interactive transactions: lost updates would show as a smaller total.
    await Promise.all(
      writers.map(async (db) => {
        const tx = await db.transaction('write')
        const v = Number((await tx.execute('SELECT v FROM counter')).rows[0]!.v)
        await tx.execute({ sql: 'UPDATE counter SET v = ?', args: [v + 1] })
        await tx.commit()
      }),
    )
    expect((await setup.execute('SELECT count(*) AS n FROM w')).rows[0]!.n).toBe(8 * 26)
    expect((await setup.execute('SELECT v FROM counter')).rows[0]!.v).toBe(8)
  })

  it('isolates databases by URL path (and the root URL is the default database)', async () => {
    await client('iso_a').execute('CREATE TABLE only_in_a (x)')
    const err = await errorOf(client('iso_b').execute('SELECT * FROM only_in_a'))
    expect(err.message).toContain('no such table')
    const root = createClient({ url: emu.databaseUrl() })
    clients.push(root)
    await root.execute('CREATE TABLE IF NOT EXISTS in_default (x)')
    expect(
      (await client('default').execute("SELECT count(*) AS n FROM sqlite_master WHERE name = 'in_default'")).rows[0]!.n,
    ).toBe(1)
  })
})

describe('web client', () => {
  it('works with @libsql/client/web (the Worker build)', async () => {
    const db = createWebClient({ url: emu.databaseUrl('web') })
    try {
      await db.execute('CREATE TABLE k (k TEXT PRIMARY KEY, v BLOB)')
      await db.batch([{ sql: 'INSERT INTO k VALUES (?, ?)', args: ['a', new Uint8Array([9])] }], 'write')
      const rs = await db.execute({ sql: 'SELECT v FROM k WHERE k = ?', args: ['a'] })
      expect(new Uint8Array(rs.rows[0]!.v as ArrayBuffer)).toEqual(new Uint8Array([9]))
      const tx = await db.transaction('write')
      await tx.execute("INSERT INTO k VALUES ('b', NULL)")
      await tx.commit()
      expect((await db.execute('SELECT count(*) AS n FROM k')).rows[0]!.n).toBe(2)
    } finally {
      db.close()
    }
  })
})

describe('stats', () => {
  it('counts pipelines (round trips) and statements per database', async () => {
    const db = client('stats')
    await db.execute('SELECT 1')
    await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' })
    await db.execute('SELECT 1')
    await db.batch(['SELECT 1', 'SELECT 2', 'SELECT 3']) // BEGIN + 3 + COMMIT; the ROLLBACK step is skipped
    const stats = (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as {
      databases: Record<string, { pipelines: number; statements: number }>
    }
    expect(stats.databases.stats).toEqual({ pipelines: 2, statements: 6 })
  })
})

describe('separate emulator instances', () => {
  it('persists files under dataDir across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'libsql-emu-'))
    try {
      const first = await startLibsqlEmulator({ dataDir: dir })
      const a = createClient({ url: first.databaseUrl('persist') })
      await a.execute('CREATE TABLE p (v TEXT)')
      await a.execute("INSERT INTO p VALUES ('kept')")
      a.close()
      await first.close()
      expect((await stat(join(dir, 'persist.db'))).isFile()).toBe(true)

      const second = await startLibsqlEmulator({ dataDir: dir })
      const b = createClient({ url: second.databaseUrl('persist') })
      expect((await b.execute('SELECT v FROM p')).rows.map((r) => r.v)).toEqual(['kept'])
      b.close()
      await second.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('requires the auth token when one is set', async () => {
    const secured = await startLibsqlEmulator({ memory: true, authToken: 's3cret' })
    try {
      const anonymous = createClient({ url: secured.databaseUrl('auth') })
      const err = await errorOf(anonymous.execute('SELECT 1'))
      expect(err.code).toBe('UNAUTHORIZED')
      const wrong = createClient({ url: secured.databaseUrl('auth'), authToken: 'nope' })
      expect((await errorOf(wrong.execute('SELECT 1'))).code).toBe('UNAUTHORIZED')
      const good = createClient({ url: secured.databaseUrl('auth'), authToken: 's3cret' })
      expect((await good.execute('SELECT 1 AS one')).rows[0]!.one).toBe(1)
      const viaUrl = createClient({ url: `${secured.databaseUrl('auth')}?authToken=s3cret` })
      expect((await viaUrl.execute('SELECT 2 AS two')).rows[0]!.two).toBe(2)
      for (const c of [anonymous, wrong, good, viaUrl]) c.close()
    } finally {
      await secured.close()
    }
  })

  it('expires an idle stream, rolls its transaction back and releases the database', async () => {
    const short = await startLibsqlEmulator({ memory: true, streamIdleMs: 300, busyTimeoutMs: 5_000 })
    const a = createClient({ url: short.databaseUrl('idle') })
    const b = createClient({ url: short.databaseUrl('idle') })
    try {
      await a.execute('CREATE TABLE t (v TEXT)')
      const abandoned = await a.transaction('write')
      await abandoned.execute("INSERT INTO t VALUES ('never committed')")
      const started = Date.now()
      await b.execute("INSERT INTO t VALUES ('after expiry')") // waits for the lock until the idle expiry
      expect(Date.now() - started).toBeGreaterThanOrEqual(200)
      expect((await b.execute('SELECT v FROM t')).rows.map((r) => r.v)).toEqual(['after expiry'])
      const err = await errorOf(abandoned.execute('SELECT 1'))
      expect(err.code).toBe('STREAM_EXPIRED')
    } finally {
      a.close()
      b.close()
      await short.close()
    }
  })

  it('answers SQLITE_BUSY when a transaction holds the database past busyTimeoutMs', async () => {
    const busy = await startLibsqlEmulator({ memory: true, streamIdleMs: 10_000, busyTimeoutMs: 150 })
    const a = createClient({ url: busy.databaseUrl('busy') })
    const b = createClient({ url: busy.databaseUrl('busy') })
    try {
      await a.execute('CREATE TABLE t (v INTEGER)')
      const tx = await a.transaction('write')
      await tx.execute('INSERT INTO t VALUES (1)')
      expect((await errorOf(b.execute('INSERT INTO t VALUES (2)'))).code).toBe('SQLITE_BUSY')
      await tx.commit()
      await b.execute('INSERT INTO t VALUES (2)')
      expect((await b.execute('SELECT count(*) AS n FROM t')).rows[0]!.n).toBe(2)
    } finally {
      a.close()
      b.close()
      await busy.close()
    }
  })
})
