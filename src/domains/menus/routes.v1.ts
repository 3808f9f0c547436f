/**
 * `/sys/menus/*` (docs/fba-compatibility.md, "Menus"). `/sys/menus/sidebar` is registered before `/sys/menus/{pk}` so
 * `sidebar` never reads as an id.
 */

import { crudRoutes } from '../../http/crud'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { type AuthUser, enabledRoles } from '../auth/auth-user'
import {
  MenuBodySchema,
  MenuDetailSchema,
  MenuListQuerySchema,
  MenuPkParamSchema,
  MenuTreeSchema,
  SidebarRouteSchema,
  toMenuDetail,
  toMenuTree,
  toSidebar,
} from './dto'
import { MENU_PERMS } from './perms'
import { MenuService, menuServiceDeps } from './service'

const TAGS = ['System menus']

const menus = crudRoutes({
  path: '/sys/menus',
  tags: TAGS,
  pk: MenuPkParamSchema,
  perms: MENU_PERMS,
  service: (c) => new MenuService(menuServiceDeps(c)),
})

const sidebar = defineRoute({
  method: 'get',
  path: '/sys/menus/sidebar',
  tags: TAGS,
  summary: "The caller's sidebar as a vben 5 route tree (no buttons; [] when the caller's roles have no menus)",
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(SidebarRouteSchema), 'Route tree') },
})

const tree = defineRoute({
  method: 'get',
  path: '/sys/menus',
  tags: TAGS,
  summary: 'Every menu as a tree, optionally filtered (a match whose parent does not match becomes a root)',
  access: 'authenticated',
  request: { query: MenuListQuerySchema },
  responses: { 200: jsonEnvelope(z.array(MenuTreeSchema), 'Menu tree') },
})

/** Set by the access middleware on every non-public route. */
const currentUser = (user: AuthUser | undefined): AuthUser => {
  if (!user) throw new Error('access middleware did not authenticate the request')
  return user
}

export function menuRoutes() {
  const service = (c: Parameters<typeof menuServiceDeps>[0]) => new MenuService(menuServiceDeps(c))
  return createRouter()
    .openapi(sidebar, async (c) => {
      const user = currentUser(c.get('user'))
      const load = async () => toSidebar(await service(c).sidebar(user))
      // The tree depends only on the menus (the authorization generation) and the caller's enabled roles, so users
      // with the same roles share one cached tree; any menu or role change bumps the generation.
      const key = `${user.generation}:${
        user.isSuperuser
          ? 'superuser'
          : enabledRoles(user)
              .map((r) => r.id)
              .join(',')
      }`
      const cache = c.get('services').cache
      return ok(c, cache ? await cache.getOrLoad('sidebar', key, load) : await load())
    })
    .openapi(tree, async (c) => ok(c, toMenuTree(await service(c).search(c.req.valid('query')))))
    .openapiRoutes([
      menus.detail({ summary: 'A menu', data: MenuDetailSchema, description: 'Menu' }, async (s, pk) =>
        toMenuDetail(await s.get(pk)),
      ),
      menus.create({ summary: 'Create a menu', errors: [404, 409], body: MenuBodySchema, description: 'Menu created' }),
      menus.update({
        summary: 'Update a menu (every field is replaced); its parent may not be itself or one of its descendants',
        errors: [409],
        body: MenuBodySchema,
        description: 'Menu updated',
      }),
      menus.removeOne({
        summary: 'Delete a menu without children, and its role links',
        errors: [409],
        description: 'Menu deleted',
      }),
    ])
}
