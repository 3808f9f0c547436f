/**
 * `readBatch` (src/infra/db/read-batch.ts): read-only batches over the Hrana wire without `@libsql/client`'s row
 * objects must give exactly what `db.batch` gives — every column type Drizzle maps, nulls, joins, counts — and fail
 * the way it fails, against the real emulator.
 */
import { count, eq, sql } from 'drizzle-orm'
import { blob, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/core/config'
import { createDb, type Db } from '../../../src/infra/db/client'
import { type PageBounds, readBatch, readPage } from '../../../src/infra/db/read-batch'
import { fileClient, fileDb } from '../../helpers/database'
import { fileBindings } from '../../helpers/isolation'

const probe = sqliteTable('read_batch_probe', {
  id: integer().primaryKey(),
  amount: integer(),
  ratio: real(),
  label: text(),
  payload: blob({ mode: 'buffer' }),
  flag: integer({ mode: 'boolean' }),
  at: integer({ mode: 'timestamp' }),
  meta: text({ mode: 'json' }).$type<{ tags: string[] }>(),
})
const tag = sqliteTable('read_batch_tag', { id: integer().primaryKey(), probeId: integer(), name: text() })

let db: Db

beforeAll(async () => {
  const client = fileClient()
  await client.batch(
    [
      'CREATE TABLE read_batch_probe (id integer primary key, amount integer, ratio real, label text, payload blob, flag integer, at integer, meta text)',
      'CREATE TABLE read_batch_tag (id integer primary key, probe_id integer, name text)',
    ],
    'write',
  )
  client.close()
  await fileDb()
    .insert(probe)
    .values([
      {
        id: 1,
        amount: 9_007_199_254_740_991,
        ratio: 0.5,
        label: 'héllo "quoted" 字',
        payload: Buffer.from([0, 1, 254, 255]),
        flag: true,
        at: new Date('2026-01-02T03:04:05Z'),
        meta: { tags: ['a', 'b'] },
      },
      { id: 2, amount: -3, ratio: 1e-9, label: '', payload: null, flag: false, at: null, meta: null },
      { id: 3 },
    ])
  await fileDb()
    .insert(tag)
    .values([
      { id: 1, probeId: 1, name: 'x' },
      { id: 2, probeId: 3, name: 'y' },
    ])
  db = createDb(loadConfig({ TURSO_DATABASE_URL: fileBindings.TURSO_DATABASE_URL })) as Db
})

const queries = () =>
  [
    db.select().from(probe).orderBy(probe.id),
    db.select({ total: count() }).from(probe).where(sql`${probe.amount} > ${-10}`),
    db
      .select({ probe: { id: probe.id, label: probe.label }, tag: tag })
      .from(probe)
      .leftJoin(tag, eq(tag.probeId, probe.id))
      .where(eq(probe.flag, false))
      .limit(5)
      .offset(0),
    db.select({ id: probe.id }).from(probe).where(eq(probe.label, 'no such label')),
  ] as const

describe('readBatch', () => {
  it('gives what db.batch gives, type by type', async () => {
    const lean = await readBatch(db, queries())
    expect(lean).toEqual(await db.batch(queries()))
    const [rows] = lean
    expect(rows[0]).toMatchObject({ amount: 9_007_199_254_740_991, flag: true, meta: { tags: ['a', 'b'] } })
    expect(rows[0]?.at?.toISOString()).toBe('2026-01-02T03:04:05.000Z')
    expect([...(rows[0]?.payload ?? [])]).toEqual([0, 1, 254, 255])
    expect(rows[2]).toMatchObject({ amount: null, label: null, flag: null, at: null })
  })

  it('falls back to db.batch for a handle it cannot reach over HTTP', async () => {
    expect(await readBatch(fileDb(), queries())).toEqual(await db.batch(queries()))
  })

  it('fails as SQLite reports it (code and message), not with an empty result', async () => {
    const missing = sqliteTable('read_batch_missing', { id: integer().primaryKey() })
    const err = await readBatch(db, [db.select().from(probe), db.select().from(missing)]).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('no such table') })
  })
})

describe('readPage', () => {
  /** The probe ids of a page, and the total, built through `build` (which counts how often it is called). */
  const pageOf = (handle: Db, key: string, limit: number, offset: number, counter: { built: number }) =>
    readPage(
      handle,
      probe,
      key,
      (bounds: PageBounds) => {
        counter.built++
        return [
          handle.select({ id: probe.id }).from(probe).orderBy(probe.id).limit(bounds.limit).offset(bounds.offset),
          handle.select({ total: count() }).from(probe),
        ] as const
      },
      { limit, offset },
    )

  it('builds a shape once per isolate and runs it with each page’s bounds', async () => {
    const counter = { built: 0 }
    expect(await pageOf(db, 'by-id', 2, 0, counter)).toEqual([[{ id: 1 }, { id: 2 }], [{ total: 3 }]])
    expect(await pageOf(db, 'by-id', 2, 2, counter)).toEqual([[{ id: 3 }], [{ total: 3 }]])
    // Another request's handle (a database per tenant reads through its own) reuses the statements too.
    const other = createDb(loadConfig({ TURSO_DATABASE_URL: fileBindings.TURSO_DATABASE_URL })) as Db
    expect(await pageOf(other, 'by-id', 1, 1, counter)).toEqual([[{ id: 2 }], [{ total: 3 }]])
    expect(counter.built).toBe(1)
    await pageOf(db, 'another shape', 1, 0, counter)
    expect(counter.built).toBe(2)
  })

  it('builds with the numbers every time for a handle it cannot reach over HTTP', async () => {
    const counter = { built: 0 }
    expect(await pageOf(fileDb() as unknown as Db, 'file', 1, 2, counter)).toEqual([[{ id: 3 }], [{ total: 3 }]])
    await pageOf(fileDb() as unknown as Db, 'file', 1, 2, counter)
    expect(counter.built).toBe(2)
  })
})
