/**
 * `/sys/menus/*` (docs/fba-compatibility.md, "Menus"). `/sys/menus/sidebar` is registered before `/sys/menus/{pk}` so
 * `sidebar` never reads as an id.
 */

import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
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

const sidebar = defineRoute({
  method: 'get',
  path: '/sys/menus/sidebar',
  tags: TAGS,
  summary: "The caller's sidebar as a vben 5 route tree (no buttons; [] when the caller's roles have no menus)",
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(SidebarRouteSchema), 'Route tree') },
})

const detail = defineRoute({
  method: 'get',
  path: '/sys/menus/{pk}',
  tags: TAGS,
  summary: 'A menu',
  access: 'authenticated',
  errors: [404],
  request: { params: MenuPkParamSchema },
  responses: { 200: jsonEnvelope(MenuDetailSchema, 'Menu') },
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

const create = defineRoute({
  method: 'post',
  path: '/sys/menus',
  tags: TAGS,
  summary: 'Create a menu',
  access: { permission: MENU_PERMS.add },
  errors: [404, 409],
  request: jsonBody(MenuBodySchema),
  responses: nullEnvelope('Menu created'),
})

const update = defineRoute({
  method: 'put',
  path: '/sys/menus/{pk}',
  tags: TAGS,
  summary: 'Update a menu (every field is replaced); its parent may not be itself or one of its descendants',
  access: { permission: MENU_PERMS.edit },
  errors: [404, 409],
  request: { params: MenuPkParamSchema, ...jsonBody(MenuBodySchema) },
  responses: nullEnvelope('Menu updated'),
})

const remove = defineRoute({
  method: 'delete',
  path: '/sys/menus/{pk}',
  tags: TAGS,
  summary: 'Delete a menu without children, and its role links',
  access: { permission: MENU_PERMS.delete },
  errors: [404, 409],
  request: { params: MenuPkParamSchema },
  responses: nullEnvelope('Menu deleted'),
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
    .openapi(detail, async (c) => ok(c, toMenuDetail(await service(c).get(c.req.valid('param').pk))))
    .openapi(tree, async (c) => ok(c, toMenuTree(await service(c).search(c.req.valid('query')))))
    .openapi(create, async (c) => {
      await service(c).create(c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(update, async (c) => {
      await service(c).update(c.req.valid('param').pk, c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(remove, async (c) => {
      await service(c).delete(c.req.valid('param').pk)
      return ok(c, null)
    })
}
