/**
 * `/sys/roles/*` (docs/fba-compatibility.md, "Roles"). `/sys/roles/all` is registered before `/sys/roles/{pk}` so
 * `all` never reads as an id. Reads need a signed-in user; writes need the role permission codes (and, for
 * non-superusers, staff).
 */

import { toPage } from '../../core/pagination'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { MenuTreeSchema, toMenuTree } from '../menus/dto'
import {
  DeleteRolesBodySchema,
  PageRoleDetailSchema,
  RoleBodySchema,
  RoleDetailSchema,
  RoleListQuerySchema,
  RoleMenusBodySchema,
  RolePkParamSchema,
  RoleScopesBodySchema,
  RoleWithRelationSchema,
  toRoleDetail,
  toRoleWithRelation,
} from './dto'
import { ROLE_PERMS } from './perms'
import { RoleService, roleServiceDeps } from './service'

const TAGS = ['System roles']

const all = defineRoute({
  method: 'get',
  path: '/sys/roles/all',
  tags: TAGS,
  summary: 'Every role (id order)',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(RoleDetailSchema), 'Roles') },
})

const menus = defineRoute({
  method: 'get',
  path: '/sys/roles/{pk}/menus',
  tags: TAGS,
  summary: "The role's menus as a tree",
  access: 'authenticated',
  errors: [404],
  request: { params: RolePkParamSchema },
  responses: { 200: jsonEnvelope(z.array(MenuTreeSchema), 'Menu tree') },
})

const scopes = defineRoute({
  method: 'get',
  path: '/sys/roles/{pk}/scopes',
  tags: TAGS,
  summary: "The ids of the role's data scopes",
  access: 'authenticated',
  errors: [404],
  request: { params: RolePkParamSchema },
  responses: { 200: jsonEnvelope(z.array(z.number().int()), 'Data-scope ids') },
})

const detail = defineRoute({
  method: 'get',
  path: '/sys/roles/{pk}',
  tags: TAGS,
  summary: 'A role with its menus and data scopes',
  access: 'authenticated',
  errors: [404],
  request: { params: RolePkParamSchema },
  responses: { 200: jsonEnvelope(RoleWithRelationSchema, 'Role') },
})

const list = defineRoute({
  method: 'get',
  path: '/sys/roles',
  tags: TAGS,
  summary: 'Roles, paged (id order)',
  access: 'authenticated',
  request: { query: RoleListQuerySchema },
  responses: { 200: jsonEnvelope(PageRoleDetailSchema, 'Page of roles') },
})

const create = defineRoute({
  method: 'post',
  path: '/sys/roles',
  tags: TAGS,
  summary: 'Create a role',
  access: { permission: ROLE_PERMS.add },
  errors: [409],
  request: jsonBody(RoleBodySchema),
  responses: nullEnvelope('Role created'),
})

const update = defineRoute({
  method: 'put',
  path: '/sys/roles/{pk}',
  tags: TAGS,
  summary: 'Update a role; takes effect for its users on their next request',
  access: { permission: ROLE_PERMS.edit },
  errors: [404, 409],
  request: { params: RolePkParamSchema, ...jsonBody(RoleBodySchema) },
  responses: nullEnvelope('Role updated'),
})

const updateMenus = defineRoute({
  method: 'put',
  path: '/sys/roles/{pk}/menus',
  tags: TAGS,
  summary: "Replace the role's menus (an empty list removes them all)",
  access: { permission: ROLE_PERMS.editMenus },
  errors: [404],
  request: { params: RolePkParamSchema, ...jsonBody(RoleMenusBodySchema) },
  responses: nullEnvelope('Menus replaced'),
})

const updateScopes = defineRoute({
  method: 'put',
  path: '/sys/roles/{pk}/scopes',
  tags: TAGS,
  summary: "Replace the role's data scopes (an empty list removes them all)",
  access: { permission: ROLE_PERMS.editScopes },
  errors: [404],
  request: { params: RolePkParamSchema, ...jsonBody(RoleScopesBodySchema) },
  responses: nullEnvelope('Data scopes replaced'),
})

const remove = defineRoute({
  method: 'delete',
  path: '/sys/roles',
  tags: TAGS,
  summary: 'Delete roles with their user, menu and data-scope links (ids already gone are ignored)',
  access: { permission: ROLE_PERMS.delete },
  request: jsonBody(DeleteRolesBodySchema),
  responses: nullEnvelope('Roles deleted'),
})

export function roleRoutes() {
  const service = (c: Parameters<typeof roleServiceDeps>[0]) => new RoleService(roleServiceDeps(c))
  return createRouter()
    .openapi(all, async (c) => ok(c, (await service(c).all()).map(toRoleDetail)))
    .openapi(menus, async (c) => ok(c, toMenuTree(await service(c).menus(c.req.valid('param').pk))))
    .openapi(scopes, async (c) => ok(c, await service(c).scopeIds(c.req.valid('param').pk)))
    .openapi(detail, async (c) => ok(c, toRoleWithRelation(await service(c).detail(c.req.valid('param').pk))))
    .openapi(list, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await service(c).list(query)
      return ok(c, toPage(items.map(toRoleDetail), total, query, c.req.url))
    })
    .openapi(create, async (c) => {
      await service(c).create(c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(update, async (c) => {
      await service(c).update(c.req.valid('param').pk, c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(updateMenus, async (c) => {
      await service(c).updateMenus(c.req.valid('param').pk, c.req.valid('json').menus)
      return ok(c, null)
    })
    .openapi(updateScopes, async (c) => {
      await service(c).updateScopes(c.req.valid('param').pk, c.req.valid('json').scopes)
      return ok(c, null)
    })
    .openapi(remove, async (c) => {
      await service(c).delete(c.req.valid('json').pks)
      return ok(c, null)
    })
}
