/**
 * The database's own tables, from libSQL's catalogue (`sqlite_master`, `pragma_table_info`): what
 * `GET /code-generation/generations/tables` lists and `POST /code-generation/generations/imports` reads. Internal
 * tables are never offered: SQLite's and libSQL's own, drizzle's migration journal, Cloudflare's `_cf_*`, Litestream's,
 * and the generator's `gen_*`.
 */
import { sql } from 'drizzle-orm'
import type { RepositoryDb } from '../../infra/db/repository'
import { importedType } from './core/column-types'
import type { GenColumnSpec } from './core/spec'

const INTERNAL = sql`(name like 'sqlite\\_%' escape '\\' or name like 'libsql\\_%' escape '\\'
  or name like '\\_cf\\_%' escape '\\' or name like '\\_litestream%' escape '\\'
  or name like '\\_\\_drizzle%' escape '\\' or name like 'gen\\_%' escape '\\')`

export interface DatabaseTable {
  table_name: string
  /** SQLite keeps no table comments. */
  table_comment: null
}

/** The user tables, by name. */
export async function databaseTables(db: RepositoryDb): Promise<DatabaseTable[]> {
  const rows = await db.all<{ name: string }>(
    sql`select name from sqlite_master where type = 'table' and not ${INTERNAL} order by name`,
  )
  return rows.map((row) => ({ table_name: row.name, table_comment: null }))
}

interface TableInfoRow {
  cid: number
  name: string
  type: string
  notnull: number
  dflt_value: string | null
  pk: number
}

/** The columns of a user table as generator columns (in table order), or undefined for an unknown/internal table. */
export async function tableColumns(db: RepositoryDb, table: string): Promise<GenColumnSpec[] | undefined> {
  const [found] = await db.all<{ name: string }>(
    sql`select name from sqlite_master where type = 'table' and name = ${table} and not ${INTERNAL}`,
  )
  if (!found) return undefined
  const rows = await db.all<TableInfoRow>(sql`select * from pragma_table_info(${table}) order by cid`)
  return rows.map((row, index) => {
    const { type, length } = importedType(row.type)
    return {
      name: row.name,
      comment: null,
      type,
      default: row.dflt_value,
      sort: index + 1,
      length,
      is_pk: row.pk > 0,
      // A primary key is never null (SQLite lets an INTEGER PRIMARY KEY be declared without NOT NULL).
      is_nullable: row.notnull === 0 && row.pk === 0,
    }
  })
}
