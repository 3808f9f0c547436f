/**
 * The base every domain repository builds on: typed CRUD, paged lists with whitelisted filters and sorts, and
 * un-executed query builders that a service combines into one atomic `db.batch([...])`.
 *
 * The Drizzle handle comes in through the constructor (never a module global), so a repository can be built per
 * request against whichever database serves that request (per-tenant databases later).
 *
 * Reads, updates and deletes take the caller's data-permission condition (`{ permission }`, a `PermissionScope`) and
 * AND it in, so a row outside the caller's data scope is neither read, changed nor deleted — the same as a missing row.
 *
 *   class UserRepository extends Repository<typeof sysUser> {
 *     constructor(db: RepositoryDb) {
 *       super(db, sysUser, {
 *         filters: { username: filter.like(sysUser.username), status: filter.eq(sysUser.status) },
 *         sorts: { id: sysUser.id, username: sysUser.username },
 *         defaultOrder: [desc(sysUser.id)],
 *       })
 *     }
 *   }
 */

import { and, asc, count, desc, eq, getTableColumns, getTableName, inArray, is, isNull, SQL } from 'drizzle-orm'
import type { LibSQLDatabase } from 'drizzle-orm/libsql/driver-core'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { BadRequestError } from '../../core/errors'
import { buildFilters, type FilterSpec } from './filters'
import { type PageBounds, readBatch, readPage } from './read-batch'

/**
 * A Drizzle libSQL database: the Worker's web driver (`drizzle-orm/libsql/web`) and the Node driver
 * (`drizzle-orm/libsql`) both produce one, with or without a schema.
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema (or none) — repositories use the query builder only
export type RepositoryDb = LibSQLDatabase<any>

/** A table with an integer `id` primary key. */
export type TableWithId = SQLiteTable & { id: SQLiteColumn }

export type Row<T extends SQLiteTable> = T['$inferSelect']
export type NewRow<T extends SQLiteTable> = T['$inferInsert']
/** Columns to change; `id` and `created_time` are not meant to change but are not blocked here. */
export type RowUpdate<T extends SQLiteTable> = Partial<T['$inferInsert']>

/** A condition: SQL, or an object of column values compared with `=` (`null` → `IS NULL`). */
export type Where<T extends SQLiteTable> = SQL | undefined | Partial<{ [K in keyof Row<T>]: Row<T>[K] }>

export type OrderTerm = SQL | SQLiteColumn

export interface RepositoryOptions {
  /** Query field → filter (see `filter.*` in ./filters). Only these fields filter `list()`. */
  filters?: Readonly<Record<string, FilterSpec>>
  /** Sort field → column: the only fields `sort` may name. */
  sorts?: Readonly<Record<string, SQLiteColumn>>
  /** Order when no `sort` is given (default: `id` ascending). */
  defaultOrder?: readonly OrderTerm[]
}

/**
 * `sort` names whitelisted fields: `'name'` ascending, `'-name'` descending, several comma-separated or as an array
 * (`'status,-id'`). An unknown field is rejected (400): ignoring it would return a silently wrong order.
 */
export type Sort = string | readonly string[]

/**
 * The caller's data-permission condition (docs/fba-compatibility.md, "Data permissions"), AND-ed into a read, update
 * or delete; undefined = unrestricted. A row outside it is treated exactly like a missing row: not read, not changed,
 * not deleted (so the caller answers 404, as for an unknown id). The repository only applies the condition; the
 * route layer computes it from the signed-in user (`dataPermission(c, table)`, domains/data-rules).
 */
export interface PermissionScope {
  permission?: SQL | undefined
}

export interface ListQuery extends PermissionScope {
  /** Extra condition, AND-ed with everything else. */
  where?: SQL | undefined
  /** Filter values by query field (undeclared fields and blank values are ignored). */
  filters?: Readonly<Record<string, unknown>> | undefined
  sort?: Sort | undefined
  /** 1-based page (default 1). */
  page?: number | undefined
  /** Page size (default 20). */
  size?: number | undefined
}

export interface AllOptions extends PermissionScope {
  sort?: Sort | undefined
}

export interface ListResult<T> {
  items: T[]
  total: number
}

/** What selects one page of a list (see `Repository.pageWindow`). */
export interface PageWindow {
  condition: SQL | undefined
  order: OrderTerm[]
  limit: number
  offset: number
}

/** A page window whose bounds may be placeholders (statements built once, `readPage`). */
export type PageShape = Omit<PageWindow, 'limit' | 'offset'> & PageBounds

/**
 * A key for a window's statements when they can be built once per isolate (`readPage`): only when nothing but the
 * bounds varies between requests — no condition (no filter, no data permission) — keyed by its sort.
 */
export function reusableShape(window: PageWindow, sort: Sort | undefined): string | undefined {
  if (window.condition !== undefined) return undefined
  return typeof sort === 'string' ? sort : (sort ?? []).join(',')
}

export const DEFAULT_PAGE = 1
export const DEFAULT_PAGE_SIZE = 20

export class Repository<TTable extends TableWithId> {
  readonly table: TTable
  protected readonly db: RepositoryDb
  readonly filters: Readonly<Record<string, FilterSpec>>
  readonly sorts: Readonly<Record<string, SQLiteColumn>>
  readonly defaultOrder: readonly OrderTerm[]
  /** Property key of the `updated_time` column, when the table has one. */
  readonly #updatedKey: string | undefined
  readonly #columns: Record<string, SQLiteColumn>

  constructor(db: RepositoryDb, table: TTable, options: RepositoryOptions = {}) {
    this.db = db
    this.table = table
    this.filters = options.filters ?? {}
    this.sorts = options.sorts ?? {}
    this.defaultOrder = options.defaultOrder ?? [asc(table.id)]
    this.#columns = getTableColumns(table) as Record<string, SQLiteColumn>
    this.#updatedKey = Object.entries(this.#columns).find(([, c]) => c.name === 'updated_time')?.[0]
  }

  /** Names `sort` accepts (for DTOs: `z.enum(repo.sortFields)`). */
  get sortFields(): string[] {
    return Object.keys(this.sorts)
  }

  // ---- reads ----------------------------------------------------------------------------------------------------

  async get(id: number, scope?: PermissionScope): Promise<Row<TTable> | undefined> {
    return this.getBy(eq(this.table.id, id), scope)
  }

  /** The first row matching `where` (in id order). */
  async getBy(where: Where<TTable>, scope?: PermissionScope): Promise<Row<TTable> | undefined> {
    const rows = await this.#select().where(this.scoped(where, scope)).orderBy(asc(this.table.id)).limit(1)
    return rows[0] as Row<TTable> | undefined
  }

  /** Rows with these ids (any order; missing ids are simply absent). */
  async getMany(ids: readonly number[], scope?: PermissionScope): Promise<Row<TTable>[]> {
    if (!ids.length) return []
    return (await this.#select().where(this.scoped(inArray(this.table.id, [...ids]), scope))) as Row<TTable>[]
  }

  async count(where?: Where<TTable>, scope?: PermissionScope): Promise<number> {
    const [row] = await this.db.select({ total: count() }).from(this.#anyTable).where(this.scoped(where, scope))
    return row?.total ?? 0
  }

  async exists(where: Where<TTable>, scope?: PermissionScope): Promise<boolean> {
    const rows = await this.db
      .select({ id: this.table.id })
      .from(this.#anyTable)
      .where(this.scoped(where, scope))
      .limit(1)
    return rows.length > 0
  }

  /** Every row matching `where` (and the data-permission condition), in sort/default order. */
  async all(where?: Where<TTable>, options: AllOptions = {}): Promise<Row<TTable>[]> {
    return (await this.#select()
      .where(this.scoped(where, options))
      .orderBy(...this.order(options.sort))) as Row<TTable>[]
  }

  /** One page plus the total number of matching rows, read in one round trip (`db.batch`). */
  async list(query: ListQuery = {}): Promise<ListResult<Row<TTable>>> {
    const window = this.pageWindow(query)
    const build = (shape: PageShape) =>
      [
        this.#select()
          .where(shape.condition)
          .orderBy(...shape.order)
          .limit(shape.limit)
          .offset(shape.offset),
        this.totalQuery(shape),
      ] as const
    const key = reusableShape(window, query.sort)
    const [items, totals] =
      key === undefined
        ? await readBatch(this.db, build(window))
        : await readPage(this.db, this.constructor, `list:${key}`, (bounds) => build({ ...window, ...bounds }), window)
    return { items: items as Row<TTable>[], total: totals[0]?.total ?? 0 }
  }

  /**
   * What selects a page of `query` — condition, order, limit, offset — for a subclass that reads the page together
   * with rows related to it in the same `db.batch` (one round trip per list; see `pageIdsQuery`).
   */
  pageWindow(query: ListQuery): PageWindow {
    const page = Math.max(1, Math.trunc(query.page ?? DEFAULT_PAGE))
    const size = Math.max(1, Math.trunc(query.size ?? DEFAULT_PAGE_SIZE))
    return {
      condition: and(query.where, buildFilters(this.filters, query.filters), query.permission),
      order: this.order(query.sort),
      limit: size,
      offset: size * (page - 1),
    }
  }

  /** `SELECT count(*)` of a page window's condition (un-executed, for a batch). */
  totalQuery(window: PageShape) {
    return this.db.select({ total: count() }).from(this.#anyTable).where(window.condition)
  }

  /** The ids of a page window's rows as a subquery (`inArray(child.parentId, repo.pageIdsQuery(window))`). */
  pageIdsQuery(window: PageShape) {
    return this.db
      .select({ id: this.table.id })
      .from(this.#anyTable)
      .where(window.condition)
      .orderBy(...window.order)
      .limit(window.limit)
      .offset(window.offset)
  }

  // ---- single-row writes ----------------------------------------------------------------------------------------

  /** Inserts one row and returns it as stored (defaults filled in). */
  async create(values: NewRow<TTable>): Promise<Row<TTable>> {
    const [row] = await this.insertQuery(values).returning()
    return row as Row<TTable>
  }

  /**
   * Updates one row (setting `updated_time`); returns the row as stored, or undefined when no such id (or the row is
   * outside `scope`).
   */
  async update(id: number, values: RowUpdate<TTable>, scope?: PermissionScope): Promise<Row<TTable> | undefined> {
    const [row] = await this.updateQuery(id, values, scope).returning()
    return row as Row<TTable> | undefined
  }

  /**
   * Deletes one row; returns whether it existed (within `scope`). Association rows go with it (`ON DELETE CASCADE`).
   */
  async delete(id: number, scope?: PermissionScope): Promise<boolean> {
    const result = await this.deleteQuery(id, scope)
    return result.rowsAffected > 0
  }

  /** Deletes the rows with these ids (those within `scope`; others are left alone); returns how many went. */
  async deleteMany(ids: readonly number[], scope?: PermissionScope): Promise<number> {
    if (!ids.length) return 0
    const result = await this.deleteManyQuery(ids, scope)
    return result.rowsAffected
  }

  // ---- builders for db.batch ------------------------------------------------------------------------------------
  // Un-executed queries: `await db.batch([users.updateQuery(…), userRoles.deleteWhereQuery(…), …])` runs them in
  // one implicit transaction — all or nothing. Awaiting one alone runs it on its own.

  insertQuery(values: NewRow<TTable> | readonly NewRow<TTable>[]) {
    const rows = (Array.isArray(values) ? values : [values]) as NewRow<TTable>[]
    return this.db.insert(this.table).values(rows)
  }

  updateQuery(id: number, values: RowUpdate<TTable>, scope?: PermissionScope) {
    return this.updateWhereQuery(eq(this.table.id, id), values, scope)
  }

  /** Updates every row matching `where` (and `scope`), setting `updated_time`. */
  updateWhereQuery(where: Where<TTable>, values: RowUpdate<TTable>, scope?: PermissionScope) {
    return this.db.update(this.table).set(this.#withUpdatedTime(values)).where(this.scoped(where, scope))
  }

  deleteQuery(id: number, scope?: PermissionScope) {
    return this.db.delete(this.table).where(this.scoped(eq(this.table.id, id), scope))
  }

  /** Deletes the rows with these ids (and within `scope`; an empty list deletes nothing). */
  deleteManyQuery(ids: readonly number[], scope?: PermissionScope) {
    return this.db.delete(this.table).where(this.scoped(inArray(this.table.id, [...ids]), scope))
  }

  /** Deletes every row matching `where` (and `scope`) — refuses an empty `where` (that would empty the table). */
  deleteWhereQuery(where: Where<TTable>, scope?: PermissionScope) {
    const condition = this.condition(where)
    if (!condition) throw new Error(`deleteWhereQuery on ${this.#tableName} needs a condition`)
    return this.db.delete(this.table).where(and(condition, scope?.permission))
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  /** Turns a `Where` into SQL: an object becomes `col = value AND …` (`null` → `IS NULL`). */
  condition(where: Where<TTable>): SQL | undefined {
    if (where === undefined || is(where, SQL)) return where
    const conditions: SQL[] = []
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue
      const column = this.#columns[key]
      if (!column) throw new Error(`${this.#tableName} has no column ${key}`)
      conditions.push(value === null ? isNull(column) : eq(column, value))
    }
    return and(...conditions)
  }

  /**
   * `where` AND the scope's data-permission condition: what every read, update and delete here filters by. A
   * subclass's own queries over this table use it too, so a scoped-out row stays invisible there as well.
   */
  scoped(where: Where<TTable>, scope?: PermissionScope): SQL | undefined {
    return and(this.condition(where), scope?.permission)
  }

  /** ORDER BY terms for a sort spec (whitelisted fields), or the default order. */
  order(sort: Sort | undefined): OrderTerm[] {
    const fields = (typeof sort === 'string' ? sort.split(',') : (sort ?? [])).map((f) => f.trim()).filter(Boolean)
    if (!fields.length) return [...this.defaultOrder]
    const terms: OrderTerm[] = []
    let hasId = false
    for (const field of fields) {
      const descending = field.startsWith('-')
      const name = descending || field.startsWith('+') ? field.slice(1) : field
      const column = Object.hasOwn(this.sorts, name) ? this.sorts[name] : undefined
      if (!column) {
        throw new BadRequestError(undefined, { data: { sort: name, allowed: this.sortFields } })
      }
      if (column === this.table.id) hasId = true
      terms.push(descending ? desc(column) : asc(column))
    }
    // A unique tie-breaker keeps pages stable when the sort column has duplicates.
    if (!hasId) terms.push(asc(this.table.id))
    return terms
  }

  #withUpdatedTime(values: RowUpdate<TTable>) {
    const set = { ...values } as Record<string, unknown>
    if (this.#updatedKey && set[this.#updatedKey] === undefined) set[this.#updatedKey] = new Date()
    return set as RowUpdate<TTable>
  }

  #select() {
    return this.db.select().from(this.#anyTable)
  }

  /** The table without its generic parameter, so query-builder types stay shallow (rows are re-typed as `Row`). */
  get #anyTable(): SQLiteTable {
    return this.table
  }

  get #tableName(): string {
    return getTableName(this.table)
  }
}
