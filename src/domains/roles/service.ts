/**
 * Role management (docs/fba-compatibility.md, "Roles"): names are unique (409); a role's menus and data scopes
 * are replaced as a set in one batch, `[]` included (D2), and every id must exist (404); deleting roles removes
 * their user, menu and data-scope links in the same batch (D10). Every write bumps the authorization generation, so
 * every user's permission codes, sidebar and role state follow on their next request — no re-login. Every write
 * emits its event (./events.ts) in the same batch as its rows.
 */
import { eq, exists } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Context } from 'hono'
import { ConflictError, NotFoundError } from '../../core/errors'
import type { PageQuery } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import { isUniqueViolation, violatedColumns } from '../../infra/db/errors'
import type { RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { bumpAuthzGeneration } from '../auth/authenticate'
import { aggregateOf, fillEmitted, keepEmittedIf, NEW_ROW_ID, newRowId } from '../events/emitted'
import { type EventSink, eventsOf } from '../events/outbox'
import type { Menu } from '../menus/schema'
import type { RoleBody, RoleListQuery } from './dto'
import { roleCreated, roleDeleted, rolePermissionsChanged, roleUpdated } from './events'
import { type RoleRelations, RoleRepository } from './repository'
import { type NewRole, type Role, sysRole } from './schema'

export interface RoleServiceDeps {
  db: RepositoryDb
  /** Makes every cached permission snapshot stale (see `bumpAuthzGeneration`). */
  bumpAuthz: () => Promise<void>
  /** The request's outbox: events go in the same batch as the rows they describe. */
  events: EventSink
}

export function roleServiceDeps(c: Context<AppEnv>): RoleServiceDeps {
  return {
    db: required(c.get('services').db, 'database'),
    bumpAuthz: () => bumpAuthzGeneration(c),
    events: eventsOf(c),
  }
}

/** The columns a role update writes, by the API's field names (`role.updated`'s `fields`). */
const UPDATABLE = { name: 'name', status: 'status', isFilterScopes: 'is_filter_scopes', remark: 'remark' } as const

const changedFields = (role: Role, values: Required<Pick<NewRole, keyof typeof UPDATABLE>>) =>
  (Object.keys(UPDATABLE) as (keyof typeof UPDATABLE)[])
    .filter((column) => values[column] !== role[column])
    .map((column) => UPDATABLE[column])

const unique = (ids: readonly number[]) => [...new Set(ids)]

export class RoleService {
  readonly roles: RoleRepository

  constructor(private readonly deps: RoleServiceDeps) {
    this.roles = new RoleRepository(deps.db)
  }

  // ---- reads ----------------------------------------------------------------------------------------------------

  all(): Promise<Role[]> {
    return this.roles.all()
  }

  list(query: RoleListQuery & PageQuery): Promise<{ items: Role[]; total: number }> {
    const { page, size, ...filters } = query
    return this.roles.list({ page, size, filters })
  }

  async detail(id: number): Promise<RoleRelations> {
    const found = await this.roles.withRelations(id)
    if (!found) throw new NotFoundError('role.not_found')
    return found
  }

  /** The role's menus (every type, buttons included). */
  async menus(id: number): Promise<Menu[]> {
    const found = await this.roles.withMenus(id)
    if (!found) throw new NotFoundError('role.not_found')
    return found.menus
  }

  async scopeIds(id: number): Promise<number[]> {
    const found = await this.roles.withScopeIds(id)
    if (!found) throw new NotFoundError('role.not_found')
    return found.scopeIds
  }

  // ---- writes ---------------------------------------------------------------------------------------------------

  async create(body: RoleBody): Promise<void> {
    if (await this.roles.nameTaken(body.name)) throw new ConflictError('role.name_exists')
    const { db, events } = this.deps
    const newId = newRowId(sysRole)
    try {
      await db.batch([
        this.roles.insertQuery({
          name: body.name,
          status: body.status,
          isFilterScopes: body.is_filter_scopes ?? true,
          remark: body.remark ?? null,
        }),
        events.emit(db, roleCreated, { role_id: NEW_ROW_ID, name: body.name }),
        fillEmitted(db, { role_id: newId }, aggregateOf('role', newId)),
      ])
    } catch (err) {
      throw conflict(err)
    }
    await this.deps.bumpAuthz()
  }

  async update(id: number, body: RoleBody): Promise<void> {
    const [role, nameTaken] = await Promise.all([this.roles.get(id), this.roles.nameTaken(body.name, id)])
    if (!role) throw new NotFoundError('role.not_found')
    if (nameTaken) throw new ConflictError('role.name_exists')
    const values = {
      name: body.name,
      status: body.status,
      isFilterScopes: body.is_filter_scopes ?? role.isFilterScopes,
      remark: body.remark ?? null,
    }
    const fields = changedFields(role, values)
    const { db, events } = this.deps
    try {
      await db.batch([
        this.roles.updateQuery(id, values),
        // An update that changes nothing is no event.
        ...(fields.length
          ? [events.emit(db, roleUpdated, { role_id: id, name: body.name, fields }, `role:${id}`)]
          : []),
      ])
    } catch (err) {
      throw conflict(err)
    }
    await this.deps.bumpAuthz()
  }

  /** Replaces the role's menus with `menuIds` (all must exist; `[]` removes them all). */
  async updateMenus(id: number, menuIds: readonly number[]): Promise<void> {
    const wanted = unique(menuIds)
    const [found, existing] = await Promise.all([this.roles.exists({ id }), this.roles.existingMenuIds(wanted)])
    if (!found) throw new NotFoundError('role.not_found')
    if (existing.length !== wanted.length) throw new NotFoundError('menu.not_found')
    const { db, events } = this.deps
    await db.batch([
      ...this.roles.replaceMenusQueries(id, wanted),
      events.emit(db, rolePermissionsChanged, { role_id: id, menus: wanted }, `role:${id}`),
    ])
    await this.deps.bumpAuthz()
  }

  /** Replaces the role's data scopes with `scopeIds` (all must exist; `[]` removes them all). */
  async updateScopes(id: number, scopeIds: readonly number[]): Promise<void> {
    const wanted = unique(scopeIds)
    const [found, existing] = await Promise.all([this.roles.exists({ id }), this.roles.existingScopeIds(wanted)])
    if (!found) throw new NotFoundError('role.not_found')
    if (existing.length !== wanted.length) throw new NotFoundError('data_scope.not_found')
    const { db, events } = this.deps
    await db.batch([
      ...this.roles.replaceScopesQueries(id, wanted),
      events.emit(db, rolePermissionsChanged, { role_id: id, data_scopes: wanted }, `role:${id}`),
    ])
    await this.deps.bumpAuthz()
  }

  /**
   * Deletes the roles with their user, menu and data-scope links in one batch. Ids that are already gone are not an
   * error (the end state is what was asked for: docs/fba-compatibility.md, D2).
   */
  async delete(ids: readonly number[]): Promise<void> {
    const { db, events } = this.deps
    const roleIds = unique(ids)
    // One event per role that is there when the batch runs (before the deletes below).
    const emitted = roleIds.flatMap((roleId) => [
      events.emit(db, roleDeleted, { role_id: roleId }, `role:${roleId}`),
      keepEmittedIf(db, exists(db.select({ id: sysRole.id }).from(sysRole).where(eq(sysRole.id, roleId)))),
    ])
    const batch: BatchItem<'sqlite'>[] = [...emitted, ...this.roles.deleteWithLinksQueries(roleIds)]
    await db.batch(batch as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])
    await this.deps.bumpAuthz()
  }
}

/** A name taken by a concurrent write between the check and the write still answers the friendly 409. */
function conflict(err: unknown): unknown {
  if (isUniqueViolation(err) && violatedColumns(err).some((c) => c === 'sys_role.name')) {
    return new ConflictError('role.name_exists')
  }
  return err
}
