/**
 * `sys_menu` reads for the admin tree, the sidebar and the uniqueness/parent checks; deletes come with their
 * `sys_role_menu` rows as un-executed queries for one `db.batch` (docs/fba-compatibility.md, D10).
 */
import { and, asc, eq, inArray, ne, type SQL } from 'drizzle-orm'
import { buildFilters, filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { sysRoleMenu } from '../roles/schema'
import { type Menu, MenuType, sysMenu } from './schema'

/** Menu types that are routes in the sidebar (everything but buttons). */
export const SIDEBAR_MENU_TYPES: readonly number[] = [
  MenuType.directory,
  MenuType.menu,
  MenuType.embedded,
  MenuType.link,
]

export class MenuRepository extends Repository<typeof sysMenu> {
  constructor(db: RepositoryDb) {
    super(db, sysMenu, {
      filters: { title: filter.like(sysMenu.title), status: filter.eq(sysMenu.status) },
      sorts: { id: sysMenu.id, sort: sysMenu.sort },
      defaultOrder: [asc(sysMenu.sort), asc(sysMenu.id)],
    })
  }

  /** Every menu matching the admin list's filters (`title` contains, `status`). */
  search(filters: { title?: string | undefined; status?: number | undefined }): Promise<Menu[]> {
    return this.all(buildFilters(this.filters, filters))
  }

  /**
   * The sidebar's menus: every non-button menu, or — with `roleIds` — those linked to one of these roles. Disabled
   * menus are included (vben shows them as forbidden).
   */
  sidebarMenus(roleIds?: readonly number[]): Promise<Menu[]> {
    const types = inArray(sysMenu.type, [...SIDEBAR_MENU_TYPES])
    if (roleIds === undefined) return this.all(types)
    if (!roleIds.length) return Promise.resolve([])
    const linked = this.db
      .select({ id: sysRoleMenu.menuId })
      .from(sysRoleMenu)
      .where(inArray(sysRoleMenu.roleId, [...roleIds]))
    return this.all(and(types, inArray(sysMenu.id, linked)))
  }

  /** Whether another non-button menu (not `exceptId`) has this title (fba: titles are unique except for buttons). */
  titleTaken(title: string, exceptId?: number): Promise<boolean> {
    return this.exists(and(eq(sysMenu.title, title), ne(sysMenu.type, MenuType.button), this.#notId(exceptId)))
  }

  hasChildren(id: number): Promise<boolean> {
    return this.exists(eq(sysMenu.parentId, id))
  }

  /** `id` and `parentId` of every menu, for walking the tree (cycle checks). */
  links(): Promise<{ id: number; parentId: number | null }[]> {
    return this.db.select({ id: sysMenu.id, parentId: sysMenu.parentId }).from(sysMenu)
  }

  // ---- builders for db.batch ------------------------------------------------------------------------------------

  /** The menu and its role links. */
  deleteWithLinksQueries(id: number) {
    return [this.db.delete(sysRoleMenu).where(eq(sysRoleMenu.menuId, id)), this.deleteQuery(id)] as const
  }

  #notId(id: number | undefined): SQL | undefined {
    return id === undefined ? undefined : ne(sysMenu.id, id)
  }
}
