/**
 * Menus placed by name: how modules and plugins add menus and buttons without knowing the seeded menus' ids. Each
 * menu is one `INSERT … SELECT` that looks its parent up by `name` in the same statement (the parent may have been
 * inserted earlier in the same batch). A menu is inserted only when no menu has its `name` yet (`INSERT OR IGNORE`
 * also skips a title clash), so a re-run changes nothing and a menu an administrator edited is never overwritten;
 * a deleted one comes back, like the core seed's rows.
 */
import { sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { RepositoryDb } from '../../infra/db/repository'

/** A menu (or button) row a module or plugin adds to `sys_menu`; `parent` names the parent menu by its `name`. */
export interface MenuByName {
  /** Unique menu `name` (vben route name), e.g. `PluginDict`. */
  name: string
  title: string
  /** Parent menu `name` (e.g. `System`); omitted → top level. */
  parent?: string
  path?: string | null
  component?: string | null
  icon?: string | null
  /** 0 directory, 1 menu, 2 button, 3 embedded, 4 link. */
  type: 0 | 1 | 2 | 3 | 4
  sort?: number
  /** Permission code(s), comma-separated, e.g. `dict:type:add`. */
  perms?: string | null
  display?: 0 | 1
}

/** The insert of one menu (see the module comment). */
export function menuInsert(db: RepositoryDb, menu: MenuByName): BatchItem<'sqlite'> {
  const parent = menu.parent
    ? sql`(select id from sys_menu where name = ${menu.parent} and type != 2 order by id limit 1)`
    : sql`null`
  return db.run(sql`
    insert or ignore into sys_menu
      (title, name, path, sort, icon, type, component, perms, status, display, cache, link, remark, parent_id)
    select ${menu.title}, ${menu.name}, ${menu.path ?? null}, ${menu.sort ?? 0}, ${menu.icon ?? null}, ${menu.type},
      ${menu.component ?? null}, ${menu.perms ?? null}, 1, ${menu.display ?? 1}, 1, null, null, ${parent}
    where not exists (select 1 from sys_menu where name = ${menu.name})`)
}
