/**
 * Menu management (docs/fba-compatibility.md, "Menus"): titles are unique among non-button menus (409), a
 * parent must exist (404) and may be neither the menu itself nor one of its descendants (403), a menu with children
 * can't be deleted (409), and a deleted menu's role links go in the same batch (D10). Every write bumps the
 * authorization generation, so every user's permission codes and sidebar follow on their next request. Every write
 * emits its event (./events.ts) in the same batch as its rows.
 */
import type { Context } from 'hono'
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors'
import type { AppEnv } from '../../http/context'
import { isUniqueViolation, violatedColumns } from '../../infra/db/errors'
import type { RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { type AuthUser, enabledRoles } from '../auth/auth-user'
import { bumpAuthzGeneration } from '../auth/authenticate'
import { aggregateOf, fillEmitted, NEW_ROW_ID, newRowId } from '../events/emitted'
import { type EventSink, eventsOf } from '../events/outbox'
import type { MenuBody, MenuListQuery } from './dto'
import { menuCreated, menuDeleted, menuUpdated } from './events'
import { MenuRepository } from './repository'
import { type Menu, MenuType, type NewMenu, sysMenu } from './schema'
import { wouldCreateCycle } from './tree'

export interface MenuServiceDeps {
  db: RepositoryDb
  /** Makes every cached permission snapshot stale (see `bumpAuthzGeneration`). */
  bumpAuthz: () => Promise<void>
  /** The request's outbox: events go in the same batch as the rows they describe. */
  events: EventSink
}

export function menuServiceDeps(c: Context<AppEnv>): MenuServiceDeps {
  return {
    db: required(c.get('services').db, 'database'),
    bumpAuthz: () => bumpAuthzGeneration(c),
    events: eventsOf(c),
  }
}

/** The API's field names of the columns (`menu.updated`'s `fields`). */
const FIELD_NAMES: Readonly<Record<string, string>> = { parentId: 'parent_id' }

/** The API names of the fields `row` changes in `menu`. */
const changedFields = (menu: Menu, row: Omit<NewMenu, 'id'>) =>
  (Object.keys(row) as (keyof typeof row)[])
    .filter((column) => row[column] !== menu[column])
    .map((column) => FIELD_NAMES[column] ?? column)

function toRow(body: MenuBody): Omit<NewMenu, 'id'> {
  return {
    title: body.title,
    name: body.name,
    path: body.path ?? null,
    parentId: body.parent_id ?? null,
    sort: body.sort,
    icon: body.icon ?? null,
    type: body.type,
    component: body.component ?? null,
    perms: body.perms ?? null,
    status: body.status,
    display: body.display,
    cache: body.cache,
    link: body.link ?? null,
    remark: body.remark ?? null,
  }
}

export class MenuService {
  readonly menus: MenuRepository

  constructor(private readonly deps: MenuServiceDeps) {
    this.menus = new MenuRepository(deps.db)
  }

  // ---- reads ----------------------------------------------------------------------------------------------------

  async get(id: number): Promise<Menu> {
    const menu = await this.menus.get(id)
    if (!menu) throw new NotFoundError('menu.not_found')
    return menu
  }

  /** Menus for the admin tree, filtered (a match whose parent did not match becomes a root of the tree). */
  search(query: MenuListQuery): Promise<Menu[]> {
    return this.menus.search(query)
  }

  /**
   * The sidebar's menus: superusers get every non-button menu; anyone else the menus of their enabled roles — none
   * at all when those roles have no menus (docs/fba-compatibility.md, D8: fba returned everything then).
   */
  sidebar(user: AuthUser): Promise<Menu[]> {
    if (user.isSuperuser) return this.menus.sidebarMenus()
    return this.menus.sidebarMenus(enabledRoles(user).map((role) => role.id))
  }

  // ---- writes ---------------------------------------------------------------------------------------------------

  async create(body: MenuBody): Promise<void> {
    const [titleTaken, parentFound] = await Promise.all([
      body.type === MenuType.button ? false : this.menus.titleTaken(body.title),
      body.parent_id == null ? true : this.menus.exists({ id: body.parent_id }),
    ])
    if (titleTaken) throw new ConflictError('menu.title_exists')
    if (!parentFound) throw new NotFoundError('menu.parent_not_found')
    const row = toRow(body)
    const { db, events } = this.deps
    const newId = newRowId(sysMenu)
    try {
      await db.batch([
        this.menus.insertQuery(row),
        events.emit(db, menuCreated, {
          menu_id: NEW_ROW_ID,
          title: row.title,
          name: row.name,
          type: body.type,
          parent_id: row.parentId ?? null,
          perms: row.perms ?? null,
        }),
        fillEmitted(db, { menu_id: newId }, aggregateOf('menu', newId)),
      ])
    } catch (err) {
      throw conflict(err)
    }
    await this.deps.bumpAuthz()
  }

  /** Replaces every field of the menu (fba's update semantics). */
  async update(id: number, body: MenuBody): Promise<void> {
    const parentId = body.parent_id ?? null
    const [menu, titleTaken, links] = await Promise.all([
      this.menus.get(id),
      body.type === MenuType.button ? false : this.menus.titleTaken(body.title, id),
      parentId === null ? [] : this.menus.links(),
    ])
    if (!menu) throw new NotFoundError('menu.not_found')
    if (titleTaken) throw new ConflictError('menu.title_exists')
    if (parentId === id) throw new ForbiddenError('menu.parent_self')
    if (parentId !== null) {
      if (!links.some((link) => link.id === parentId)) throw new NotFoundError('menu.parent_not_found')
      if (wouldCreateCycle(links, id, parentId)) throw new ForbiddenError('menu.parent_cycle')
    }
    const row = toRow(body)
    const fields = changedFields(menu, row)
    const { db, events } = this.deps
    try {
      await db.batch([
        this.menus.updateQuery(id, row),
        // An update that changes nothing is no event.
        ...(fields.length
          ? [events.emit(db, menuUpdated, { menu_id: id, title: row.title, fields }, `menu:${id}`)]
          : []),
      ])
    } catch (err) {
      throw conflict(err)
    }
    await this.deps.bumpAuthz()
  }

  /** Deletes a childless menu and its role links in one batch. */
  async delete(id: number): Promise<void> {
    const [found, hasChildren] = await Promise.all([this.menus.exists({ id }), this.menus.hasChildren(id)])
    if (!found) throw new NotFoundError('menu.not_found')
    if (hasChildren) throw new ConflictError('menu.has_children')
    const { db, events } = this.deps
    await db.batch([
      ...this.menus.deleteWithLinksQueries(id),
      events.emit(db, menuDeleted, { menu_id: id }, `menu:${id}`),
    ])
    await this.deps.bumpAuthz()
  }
}

/** A title taken by a concurrent write between the check and the insert still answers the friendly 409. */
function conflict(err: unknown): unknown {
  if (isUniqueViolation(err) && violatedColumns(err).some((c) => c === 'sys_menu.title')) {
    return new ConflictError('menu.title_exists')
  }
  return err
}
