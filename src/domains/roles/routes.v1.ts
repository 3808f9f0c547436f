/**
 * `/sys/roles/*` (docs/fba-compatibility.md, "Roles"). `/sys/roles/all` is registered before `/sys/roles/{pk}` so
 * `all` never reads as an id. Reads need a signed-in user; writes need the role permission codes (and, for
 * non-superusers, staff).
 */

import { crudRoutes } from '../../http/crud'
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

const roles = crudRoutes({
  path: '/sys/roles',
  tags: TAGS,
  pk: RolePkParamSchema,
  perms: ROLE_PERMS,
  service: (c) => new RoleService(roleServiceDeps(c)),
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

export function roleRoutes() {
  const service = (c: Parameters<typeof roleServiceDeps>[0]) => new RoleService(roleServiceDeps(c))
  return createRouter()
    .openapiRoutes([
      roles.all({ summary: 'Every role (id order)', data: RoleDetailSchema, description: 'Roles' }, async (s) =>
        (await s.all()).map(toRoleDetail),
      ),
      roles.detail(
        { summary: 'A role with its menus and data scopes', data: RoleWithRelationSchema, description: 'Role' },
        async (s, pk) => toRoleWithRelation(await s.detail(pk)),
      ),
      roles.list(
        {
          summary: 'Roles, paged (id order)',
          query: RoleListQuerySchema,
          page: PageRoleDetailSchema,
          description: 'Page of roles',
        },
        (s, query) => s.list(query),
        toRoleDetail,
      ),
      roles.create({ summary: 'Create a role', errors: [409], body: RoleBodySchema, description: 'Role created' }),
      roles.update({
        summary: 'Update a role; takes effect for its users on their next request',
        errors: [409],
        body: RoleBodySchema,
        description: 'Role updated',
      }),
      roles.remove({
        summary: 'Delete roles with their user, menu and data-scope links (ids already gone are ignored)',
        body: DeleteRolesBodySchema,
        description: 'Roles deleted',
      }),
    ])
    .openapi(menus, async (c) => ok(c, toMenuTree(await service(c).menus(c.req.valid('param').pk))))
    .openapi(scopes, async (c) => ok(c, await service(c).scopeIds(c.req.valid('param').pk)))
    .openapi(updateMenus, async (c) => {
      await service(c).updateMenus(c.req.valid('param').pk, c.req.valid('json').menus)
      return ok(c, null)
    })
    .openapi(updateScopes, async (c) => {
      await service(c).updateScopes(c.req.valid('param').pk, c.req.valid('json').scopes)
      return ok(c, null)
    })
}
