/**
 * `rowMapperOf` (src/infra/db/row-mapper.ts) against Drizzle's own `mapResult` on the same raw rows: every shape a
 * select gives (flat, nested, left/inner joins, an aliased table, SQL with and without decoders), and what it leaves to
 * Drizzle. Pure logic: statements are built, never run.
 */
import { count, eq, sql } from 'drizzle-orm'
import { alias, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { describe, expect, it } from 'vitest'
import { rowMapperOf } from '../../../src/infra/db/row-mapper'
import { fileDb } from '../../helpers/database'

const item = sqliteTable('row_mapper_item', {
  id: integer().primaryKey(),
  name: text(),
  done: integer({ mode: 'boolean' }),
  at: integer({ mode: 'timestamp_ms' }),
  meta: text({ mode: 'json' }).$type<{ n: number }>(),
  ownerId: integer(),
})
const owner = sqliteTable('row_mapper_owner', { id: integer().primaryKey(), name: text() })
const boss = alias(owner, 'boss')

interface Prepared {
  fields?: { path: string[]; field: unknown }[]
  joinsNotNullableMap?: Record<string, boolean>
  mapResult(response: { rows: unknown[][] }, isFromBatch: boolean): unknown
}
const prepare = (query: unknown): Prepared => (query as { _prepare(): Prepared })._prepare()

const db = fileDb()
const AT = 1_767_225_600_000
const shapes = {
  'every column of one table': {
    query: db.select().from(item),
    rows: [
      [1, 'a', 1, AT, '{"n":1}', 7],
      [2, null, 0, null, null, null],
    ],
  },
  'a left join, found and not found': {
    query: db
      .select({ id: item.id, owner: { id: owner.id, name: owner.name } })
      .from(item)
      .leftJoin(owner, eq(owner.id, item.ownerId)),
    rows: [
      [1, 7, 'ann'],
      [2, null, null],
      [3, null, 'first column null decides'],
    ],
  },
  'a whole left-joined table and an aliased one': {
    query: db
      .select({ item, owner, boss: { name: boss.name } })
      .from(item)
      .leftJoin(owner, eq(owner.id, item.ownerId))
      .leftJoin(boss, eq(boss.id, owner.id)),
    rows: [
      [1, 'a', 1, AT, null, 7, 7, 'ann', 'bob'],
      [2, 'b', 0, null, null, null, null, null, null],
    ],
  },
  'an inner join is never set to null': {
    query: db
      .select({ id: item.id, owner: { id: owner.id } })
      .from(item)
      .innerJoin(owner, eq(owner.id, item.ownerId)),
    rows: [[1, null]],
  },
  'a nested object spanning two tables': {
    query: db
      .select({ mix: { ownerName: owner.name, itemName: item.name } })
      .from(item)
      .leftJoin(owner, eq(owner.id, item.ownerId)),
    rows: [
      [null, 'kept'],
      [null, null],
    ],
  },
  'SQL fields, with and without a decoder': {
    query: db
      .select({
        total: count(),
        doubled: sql<number>`${item.id} * 2`.mapWith(Number),
        raw: sql<string>`'x'`,
        nested: { upper: sql<string>`upper(${item.name})` },
      })
      .from(item),
    rows: [[3, '4', 'x', 'A']],
  },
} as const

describe('rowMapperOf', () => {
  it.each(Object.entries(shapes))('maps %s as Drizzle does', (_, { query, rows }) => {
    const prepared = prepare(query)
    const mapper = rowMapperOf(prepared)
    expect(mapper).toBeDefined()
    const expected = prepared.mapResult({ rows: rows.map((r) => [...r]) }, true)
    expect(rows.map((row) => mapper?.(row))).toEqual(expected)
  })

  it('builds one plan per statement, reused by every row and request', () => {
    const prepared = prepare(shapes['every column of one table'].query)
    expect(rowMapperOf(prepared)).toBe(rowMapperOf(prepared))
  })

  it('leaves relational queries and raw statements to Drizzle', () => {
    expect(rowMapperOf({ fields: undefined })).toBeUndefined()
    expect(rowMapperOf({ fields: [], customResultMapper: () => [] })).toBeUndefined()
    expect(rowMapperOf({ fields: [{ path: ['a', 'b', 'c'], field: item.id }] })).toBeUndefined()
  })
})
