/**
 * `sys_role` with its menus (`sys_role_menu`) and data scopes (`sys_role_data_scope`). Reads of several tables go out
 * in one `db.batch`; writes of a role's links are returned as un-executed queries so the service replaces a set — or
 * deletes roles with every row that points at them — in one batch (all or nothing; docs/fba-compatibility.md, D10).
 */
import { and, asc, eq, inArray, ne, type SQL } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { readBatch } from '../../infra/db/read-batch'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { type DataScope, sysDataScope } from '../data-scopes/schema'
import { type Menu, sysMenu } from '../menus/schema'
import { sysUserRole } from '../users/schema'
import { type Role, sysRole, sysRoleDataScope, sysRoleMenu } from './schema'

export interface RoleRelations {
  role: Role
  /** In id order. */
  menus: Menu[]
  /** In id order. */
  scopes: DataScope[]
}

export class RoleRepository extends Repository<typeof sysRole> {
  constructor(db: RepositoryDb) {
    super(db, sysRole, {
      filters: { name: filter.like(sysRole.name), status: filter.eq(sysRole.status) },
      sorts: { id: sysRole.id },
      defaultOrder: [asc(sysRole.id)],
    })
  }

  /** Whether another role (not `exceptId`) has this name. */
  nameTaken(name: string, exceptId?: number): Promise<boolean> {
    return this.exists(and(eq(sysRole.name, name), this.#notId(exceptId)))
  }

  /** One role with its menus and data scopes, in one round trip. */
  async withRelations(id: number): Promise<RoleRelations | undefined> {
    const [roles, menus, scopes] = await readBatch(this.db, [
      this.db.select().from(sysRole).where(eq(sysRole.id, id)),
      this.#menusOf(id),
      this.db
        .select({ scope: sysDataScope })
        .from(sysRoleDataScope)
        .innerJoin(sysDataScope, eq(sysDataScope.id, sysRoleDataScope.dataScopeId))
        .where(eq(sysRoleDataScope.roleId, id))
        .orderBy(asc(sysDataScope.id)),
    ])
    const role = roles[0]
    if (!role) return undefined
    return { role, menus: menus.map((m) => m.menu), scopes: scopes.map((s) => s.scope) }
  }

  /** The role (undefined when missing) and its menus, in one round trip. */
  async withMenus(id: number): Promise<{ role: Role; menus: Menu[] } | undefined> {
    const [roles, menus] = await readBatch(this.db, [
      this.db.select().from(sysRole).where(eq(sysRole.id, id)),
      this.#menusOf(id),
    ])
    const role = roles[0]
    return role ? { role, menus: menus.map((m) => m.menu) } : undefined
  }

  /** The role (undefined when missing) and the ids of its data scopes, in one round trip. */
  async withScopeIds(id: number): Promise<{ role: Role; scopeIds: number[] } | undefined> {
    const [roles, links] = await readBatch(this.db, [
      this.db.select().from(sysRole).where(eq(sysRole.id, id)),
      this.db
        .select({ id: sysRoleDataScope.dataScopeId })
        .from(sysRoleDataScope)
        .where(eq(sysRoleDataScope.roleId, id))
        .orderBy(asc(sysRoleDataScope.dataScopeId)),
    ])
    const role = roles[0]
    return role ? { role, scopeIds: links.map((l) => l.id) } : undefined
  }

  /** Which of these menu ids exist. */
  async existingMenuIds(ids: readonly number[]): Promise<number[]> {
    if (!ids.length) return []
    const rows = await this.db
      .select({ id: sysMenu.id })
      .from(sysMenu)
      .where(inArray(sysMenu.id, [...ids]))
    return rows.map((r) => r.id)
  }

  /** Which of these data-scope ids exist. */
  async existingScopeIds(ids: readonly number[]): Promise<number[]> {
    if (!ids.length) return []
    const rows = await this.db
      .select({ id: sysDataScope.id })
      .from(sysDataScope)
      .where(inArray(sysDataScope.id, [...ids]))
    return rows.map((r) => r.id)
  }

  // ---- builders for db.batch ------------------------------------------------------------------------------------

  /** Replaces the role's menu links (an empty list removes them all). */
  replaceMenusQueries(roleId: number, menuIds: readonly number[]) {
    const clear = this.db.delete(sysRoleMenu).where(eq(sysRoleMenu.roleId, roleId))
    if (!menuIds.length) return [clear] as const
    return [clear, this.db.insert(sysRoleMenu).values(menuIds.map((menuId) => ({ roleId, menuId })))] as const
  }

  /** Replaces the role's data-scope links (an empty list removes them all). */
  replaceScopesQueries(roleId: number, scopeIds: readonly number[]) {
    const clear = this.db.delete(sysRoleDataScope).where(eq(sysRoleDataScope.roleId, roleId))
    if (!scopeIds.length) return [clear] as const
    return [
      clear,
      this.db.insert(sysRoleDataScope).values(scopeIds.map((dataScopeId) => ({ roleId, dataScopeId }))),
    ] as const
  }

  /** The roles and every row that points at them: user, menu and data-scope links. */
  deleteWithLinksQueries(ids: readonly number[]) {
    const roleIds = [...ids]
    return [
      this.db.delete(sysUserRole).where(inArray(sysUserRole.roleId, roleIds)),
      this.db.delete(sysRoleMenu).where(inArray(sysRoleMenu.roleId, roleIds)),
      this.db.delete(sysRoleDataScope).where(inArray(sysRoleDataScope.roleId, roleIds)),
      this.deleteManyQuery(roleIds),
    ] as const
  }

  #menusOf(roleId: number) {
    return this.db
      .select({ menu: sysMenu })
      .from(sysRoleMenu)
      .innerJoin(sysMenu, eq(sysMenu.id, sysRoleMenu.menuId))
      .where(eq(sysRoleMenu.roleId, roleId))
      .orderBy(asc(sysMenu.id))
  }

  #notId(id: number | undefined): SQL | undefined {
    return id === undefined ? undefined : ne(sysRole.id, id)
  }
}
