/**
 * Role management (docs/fba-compatibility.md, "Roles"): names are unique (409); a role's menus and data scopes
 * are replaced as a set in one batch, `[]` included (D2), and every id must exist (404); deleting roles removes
 * their user, menu and data-scope links in the same batch (D10). Every write bumps the authorization generation, so
 * every user's permission codes, sidebar and role state follow on their next request — no re-login.
 */
import type { Context } from 'hono'
import { ConflictError, NotFoundError } from '../../core/errors'
import type { PageQuery } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import { isUniqueViolation, violatedColumns } from '../../infra/db/errors'
import type { RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { bumpAuthzGeneration } from '../auth/authenticate'
import type { Menu } from '../menus/schema'
import type { RoleBody, RoleListQuery } from './dto'
import { type RoleRelations, RoleRepository } from './repository'
import type { Role } from './schema'

export interface RoleServiceDeps {
  db: RepositoryDb
  /** Makes every cached permission snapshot stale (see `bumpAuthzGeneration`). */
  bumpAuthz: () => Promise<void>
}

export function roleServiceDeps(c: Context<AppEnv>): RoleServiceDeps {
  return { db: required(c.get('services').db, 'database'), bumpAuthz: () => bumpAuthzGeneration(c) }
}

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
    try {
      await this.roles.create({
        name: body.name,
        status: body.status,
        isFilterScopes: body.is_filter_scopes ?? true,
        remark: body.remark ?? null,
      })
    } catch (err) {
      throw conflict(err)
    }
    await this.deps.bumpAuthz()
  }

  async update(id: number, body: RoleBody): Promise<void> {
    const [role, nameTaken] = await Promise.all([this.roles.get(id), this.roles.nameTaken(body.name, id)])
    if (!role) throw new NotFoundError('role.not_found')
    if (nameTaken) throw new ConflictError('role.name_exists')
    try {
      await this.roles.update(id, {
        name: body.name,
        status: body.status,
        isFilterScopes: body.is_filter_scopes ?? role.isFilterScopes,
        remark: body.remark ?? null,
      })
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
    await this.deps.db.batch([...this.roles.replaceMenusQueries(id, wanted)])
    await this.deps.bumpAuthz()
  }

  /** Replaces the role's data scopes with `scopeIds` (all must exist; `[]` removes them all). */
  async updateScopes(id: number, scopeIds: readonly number[]): Promise<void> {
    const wanted = unique(scopeIds)
    const [found, existing] = await Promise.all([this.roles.exists({ id }), this.roles.existingScopeIds(wanted)])
    if (!found) throw new NotFoundError('role.not_found')
    if (existing.length !== wanted.length) throw new NotFoundError('data_scope.not_found')
    await this.deps.db.batch([...this.roles.replaceScopesQueries(id, wanted)])
    await this.deps.bumpAuthz()
  }

  /**
   * Deletes the roles with their user, menu and data-scope links in one batch. Ids that are already gone are not an
   * error (the end state is what was asked for: docs/fba-compatibility.md, D2).
   */
  async delete(ids: readonly number[]): Promise<void> {
    await this.deps.db.batch([...this.roles.deleteWithLinksQueries(unique(ids))])
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
