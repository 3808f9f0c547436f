/**
 * Departments (docs/fba-compatibility.md, "Departments"): the tree (filtered by the caller's data permission), details
 * and writes. A write bumps the authorization generation, so every cached auth snapshot (which holds its department's
 * state) is reloaded on its next request — fba only saw dept changes once its user cache expired. Every write emits
 * its event (./events.ts) in the same batch as its row.
 */
import type { SQL } from 'drizzle-orm'
import type { Context } from 'hono'
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors'
import type { AppEnv } from '../../http/context'
import { isUniqueViolation } from '../../infra/db/errors'
import type { PermissionScope, RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { bumpAuthzGeneration } from '../auth/authenticate'
import { aggregateOf, fillEmitted, NEW_ROW_ID, newRowId } from '../events/emitted'
import { type EventSink, eventsOf } from '../events/outbox'
import { buildTree, wouldCreateCycle } from '../menus/tree'
import { type DeptBody, type DeptTree, toDeptTree } from './dto'
import { deptCreated, deptDeleted, deptUpdated } from './events'
import { DeptRepository, type DeptTreeFilters } from './repository'
import { type Dept, type NewDept, sysDept } from './schema'

export interface DeptServiceDeps {
  db: RepositoryDb
  /** Makes every cached auth snapshot stale (see `bumpAuthzGeneration`). */
  bumpAuthz: () => Promise<void>
  /** The request's outbox: events go in the same batch as the rows they describe. */
  events: EventSink
}

export const deptServiceDeps = (c: Context<AppEnv>): DeptServiceDeps => ({
  db: required(c.get('services').db, 'database'),
  bumpAuthz: () => bumpAuthzGeneration(c),
  events: eventsOf(c),
})

/** The API's field names of the columns (`dept.updated`'s `fields`). */
const FIELD_NAMES: Readonly<Record<string, string>> = { parentId: 'parent_id' }

/** The API names of the fields `values` changes in `dept`. */
const changedFields = (dept: Dept, values: NewDept) =>
  (Object.keys(values) as (keyof NewDept)[])
    .filter((column) => values[column] !== dept[column])
    .map((column) => FIELD_NAMES[column] ?? column)

export class DeptService {
  readonly depts: DeptRepository

  constructor(private readonly deps: DeptServiceDeps) {
    this.depts = new DeptRepository(deps.db)
  }

  /** Live departments matching the filters and `permission`, as a forest (an orphaned match becomes a root). */
  async tree(filters: DeptTreeFilters, permission: SQL | undefined): Promise<DeptTree[]> {
    return buildTree(await this.depts.listLive(filters, permission), toDeptTree)
  }

  async detail(id: number): Promise<Dept> {
    const dept = await this.depts.getLive(id)
    if (!dept) throw new NotFoundError('dept.not_found')
    return dept
  }

  /**
   * `scope`: the caller's data permission on departments — a parent outside it is unknown (404), as everywhere else
   * (routes.v1.ts); the name stays unique among all departments.
   */
  async create(body: DeptBody, scope?: PermissionScope): Promise<void> {
    const parentId = body.parent_id ?? null
    const [taken, parent] = await Promise.all([
      this.depts.nameTaken(body.name),
      parentId === null ? undefined : this.depts.getLive(parentId, scope),
    ])
    if (taken) throw new ConflictError('dept.name_exists')
    if (parentId !== null && !parent) throw new NotFoundError('dept.parent_not_found')
    const { db, events } = this.deps
    const newId = newRowId(sysDept)
    await this.#write(() =>
      db.batch([
        this.depts.insertQuery(this.#values(body)),
        events.emit(db, deptCreated, { dept_id: NEW_ROW_ID, name: body.name, parent_id: parentId }),
        fillEmitted(db, { dept_id: newId }, aggregateOf('dept', newId)),
      ]),
    )
    await this.deps.bumpAuthz()
  }

  /**
   * `scope` as for `create`, for a *new* parent only: keeping the current one is always allowed (a user who sees
   * their own department but not its parent can still edit it). The cycle check reads the whole tree.
   */
  async update(id: number, body: DeptBody, scope?: PermissionScope): Promise<void> {
    const parentId = body.parent_id ?? null
    const [dept, taken, links] = await Promise.all([
      this.depts.getLive(id),
      this.depts.nameTaken(body.name, id),
      this.depts.liveLinks(),
    ])
    if (!dept) throw new NotFoundError('dept.not_found')
    if (taken) throw new ConflictError('dept.name_exists')
    if (parentId === id) throw new ForbiddenError('dept.parent_self')
    if (parentId !== null) {
      if (!links.some((link) => link.id === parentId)) throw new NotFoundError('dept.parent_not_found')
      if (parentId !== dept.parentId && scope?.permission && !(await this.depts.getLive(parentId, scope))) {
        throw new NotFoundError('dept.parent_not_found')
      }
      if (wouldCreateCycle(links, id, parentId)) throw new ForbiddenError('dept.parent_cycle')
    }
    const values = this.#values(body)
    const fields = changedFields(dept, values)
    const { db, events } = this.deps
    await this.#write(() =>
      db.batch([
        this.depts.updateQuery(id, values),
        // An update that changes nothing is no event.
        ...(fields.length
          ? [events.emit(db, deptUpdated, { dept_id: id, name: body.name, fields }, `dept:${id}`)]
          : []),
      ]),
    )
    await this.deps.bumpAuthz()
  }

  /** Logical delete; refused while users belong to the department or it has live sub-departments. */
  async delete(id: number): Promise<void> {
    const [dept, { hasUsers, hasChildren }] = await Promise.all([this.depts.getLive(id), this.depts.dependants(id)])
    if (!dept) throw new NotFoundError('dept.not_found')
    if (hasUsers) throw new ConflictError('dept.has_users')
    if (hasChildren) throw new ConflictError('dept.has_children')
    const { db, events } = this.deps
    await db.batch([
      this.depts.updateQuery(id, { delFlag: true }),
      events.emit(db, deptDeleted, { dept_id: id, name: dept.name }, `dept:${id}`),
    ])
    await this.deps.bumpAuthz()
  }

  #values(body: DeptBody): NewDept {
    return {
      name: body.name,
      parentId: body.parent_id ?? null,
      sort: body.sort,
      leader: body.leader ?? null,
      phone: body.phone ?? null,
      email: body.email ?? null,
      status: body.status,
    }
  }

  /** Runs a write; a lost race on the unique name is the same 409 as the check before it. */
  async #write<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('dept.name_exists')
      throw err
    }
  }
}
