/**
 * Menu shapes of the v1 admin API (docs/fba-compatibility.md, "Menus"): the admin list is a tree of
 * `MenuDetail` nodes with `children: null` on leaves; the sidebar is vben 5's route tree.
 */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { intEnum, nameText, optionalFlagQuery, optionalTextQuery, pkParam } from '../../core/schemas'
import { type Menu, MenuType } from './schema'
import { buildTree } from './tree'

const flag = (description: string) => intEnum([0, 1], description)

const MENU_TYPE_VALUES = [MenuType.directory, MenuType.menu, MenuType.button, MenuType.embedded, MenuType.link] as const

const MENU_TYPE_DESCRIPTION = '0 directory, 1 menu, 2 button, 3 embedded page (iframe), 4 external link'

// ---- responses -----------------------------------------------------------------------------------------------------

export const MenuDetailSchema = z
  .object({
    id: z.number().int(),
    title: z.string().openapi({ example: 'page.menu.sysUser' }),
    name: z.string().openapi({ example: 'SysUser' }),
    path: z.string().nullable().openapi({ example: '/system/user' }),
    parent_id: z.number().int().nullable(),
    sort: z.number().int(),
    icon: z.string().nullable().openapi({ example: 'ant-design:user-outlined' }),
    type: z
      .number()
      .int()
      .openapi({ enum: [...MENU_TYPE_VALUES], description: MENU_TYPE_DESCRIPTION }),
    component: z.string().nullable().openapi({ example: '/system/user/index' }),
    perms: z.string().nullable().openapi({ description: 'Permission codes, comma-separated', example: 'sys:user:del' }),
    status: z.number().int().openapi({ description: '1 enabled, 0 disabled' }),
    display: z.number().int().openapi({ description: '1 shown in the menu, 0 hidden' }),
    cache: z.number().int().openapi({ description: '1 keep-alive, 0 not cached' }),
    link: z.string().nullable().openapi({ description: 'URL of an embedded page or external link' }),
    remark: z.string().nullable(),
    created_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
    updated_time: z.string().nullable(),
  })
  .openapi('MenuDetail')

export type MenuDetail = z.infer<typeof MenuDetailSchema>

export interface MenuTree extends MenuDetail {
  /** `null` for a leaf (fba's `GetMenuTree.children` default). */
  children: MenuTree[] | null
}

export const MenuTreeSchema: z.ZodType<MenuTree> = MenuDetailSchema.extend({
  get children() {
    return z.array(MenuTreeSchema).nullable().openapi({ description: 'null for a leaf' })
  },
}).openapi('MenuTree')

export const SidebarMetaSchema = z
  .object({
    title: z.string().openapi({ description: "The menu's title (an admin-UI i18n key or plain text)" }),
    icon: z.string().nullable(),
    iframeSrc: z.string().openapi({ description: 'The link of an embedded page (type 3), else empty' }),
    link: z.string().openapi({ description: 'The link of an external link (type 4), else empty' }),
    keepAlive: z.number().int().openapi({ description: "The menu's `cache` flag (1/0)" }),
    hideInMenu: z.boolean().openapi({ description: 'Not `display`' }),
    menuVisibleWithForbidden: z.boolean().openapi({ description: 'Not `status`: shown, but its page is forbidden' }),
  })
  .openapi('SidebarMeta')

export type SidebarMeta = z.infer<typeof SidebarMetaSchema>

export interface SidebarRoute {
  id: number
  name: string
  path: string | null
  sort: number
  type: number
  component: string | null
  perms: string | null
  remark: string | null
  parent_id: number | null
  created_time: string
  updated_time: string | null
  meta: SidebarMeta
  /** Present only when the node has children. */
  children?: SidebarRoute[]
}

export const SidebarRouteSchema: z.ZodType<SidebarRoute> = z
  .object({
    id: z.number().int(),
    name: z.string(),
    path: z.string().nullable(),
    sort: z.number().int(),
    type: z
      .number()
      .int()
      .openapi({ enum: [0, 1, 3, 4], description: MENU_TYPE_DESCRIPTION }),
    component: z.string().nullable(),
    perms: z.string().nullable(),
    remark: z.string().nullable(),
    parent_id: z.number().int().nullable(),
    created_time: z.string(),
    updated_time: z.string().nullable(),
    meta: SidebarMetaSchema,
    get children() {
      return z.array(SidebarRouteSchema).optional().openapi({ description: 'Present only when not empty' })
    },
  })
  .openapi('SidebarRoute')

export function toMenuDetail(menu: Menu): MenuDetail {
  return {
    id: menu.id,
    title: menu.title,
    name: menu.name,
    path: menu.path,
    parent_id: menu.parentId,
    sort: menu.sort,
    icon: menu.icon,
    type: menu.type,
    component: menu.component,
    perms: menu.perms,
    status: menu.status,
    display: menu.display,
    cache: menu.cache,
    link: menu.link,
    remark: menu.remark,
    created_time: formatDateTime(menu.createdTime) ?? '',
    updated_time: formatDateTime(menu.updatedTime),
  }
}

/** The admin tree (`GET /sys/menus`, `GET /sys/roles/{pk}/menus`): `MenuDetail` nodes, `children: null` on leaves. */
export function toMenuTree(menus: readonly Menu[]): MenuTree[] {
  return buildTree<Menu, MenuTree>(menus, (menu, children) => ({
    ...toMenuDetail(menu),
    children: children.length ? children : null,
  }))
}

/** One vben route: the menu's columns minus title/icon/link/cache/display/status, which move into `meta`. */
export function toSidebarRoute(menu: Menu, children: SidebarRoute[] = []): SidebarRoute {
  const route: SidebarRoute = {
    id: menu.id,
    name: menu.name,
    path: menu.path,
    sort: menu.sort,
    type: menu.type,
    component: menu.component,
    perms: menu.perms,
    remark: menu.remark,
    parent_id: menu.parentId,
    created_time: formatDateTime(menu.createdTime) ?? '',
    updated_time: formatDateTime(menu.updatedTime),
    meta: {
      title: menu.title,
      icon: menu.icon,
      iframeSrc: menu.type === MenuType.embedded ? (menu.link ?? '') : '',
      link: menu.type === MenuType.link ? (menu.link ?? '') : '',
      keepAlive: menu.cache,
      hideInMenu: !menu.display,
      menuVisibleWithForbidden: !menu.status,
    },
  }
  if (children.length) route.children = children
  return route
}

/** The sidebar (`GET /sys/menus/sidebar`): vben's route tree. */
export function toSidebar(menus: readonly Menu[]): SidebarRoute[] {
  return buildTree<Menu, SidebarRoute>(menus, toSidebarRoute)
}

// ---- requests ------------------------------------------------------------------------------------------------------

export const MenuListQuerySchema = z.object({
  title: optionalTextQuery(64, 'Title contains'),
  status: optionalFlagQuery('1 enabled, 0 disabled'),
})

export type MenuListQuery = z.infer<typeof MenuListQuerySchema>

export const MenuPkParamSchema = pkParam('Menu id')

/**
 * Create and update take the same body (fba's `CreateMenuParam`/`UpdateMenuParam`). An update replaces every field:
 * an optional field left out is stored as null, as in fba (the admin UI drops cleared fields from its JSON).
 */
export const MenuBodySchema = z
  .object({
    title: nameText(64).openapi({ example: 'page.menu.sysUser' }),
    name: nameText(64).openapi({ example: 'SysUser' }),
    path: z.string().max(200).nullish().openapi({ example: '/system/user' }),
    parent_id: z.number().int().positive().nullish().openapi({ description: 'Parent menu id; null for a root' }),
    sort: z.number().int().min(0).default(0),
    icon: z.string().max(128).nullish(),
    type: intEnum(MENU_TYPE_VALUES, MENU_TYPE_DESCRIPTION),
    component: z.string().max(256).nullish().openapi({ example: '/system/user/index' }),
    perms: z.string().max(128).nullish().openapi({ description: 'Permission codes, comma-separated' }),
    status: flag('1 enabled, 0 disabled'),
    display: flag('1 shown in the menu, 0 hidden'),
    cache: flag('1 keep-alive, 0 not cached'),
    link: z
      .string()
      .max(2048)
      .nullish()
      .openapi({ description: 'URL of an embedded page (type 3) or external link (type 4)' }),
    remark: z.string().max(2048).nullish(),
  })
  .openapi('MenuBody')

export type MenuBody = z.infer<typeof MenuBodySchema>
