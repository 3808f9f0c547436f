/**
 * Role shapes of the v1 admin API (docs/fba-compatibility.md, "Roles"). Users embed `RoleDetail` in their own shapes
 * (users/dto.ts).
 */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { intEnum, nameText, optionalFlagQuery, optionalTextQuery, pkParam, pksBody } from '../../core/schemas'
import { toDataScopeDetail } from '../data-scopes/dto'
import type { DataScope } from '../data-scopes/schema'
import { MenuDetailSchema, toMenuDetail } from '../menus/dto'
import type { RoleRelations } from './repository'
import type { Role } from './schema'

// ---- responses -----------------------------------------------------------------------------------------------------

export const RoleDetailSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    status: z.number().int().openapi({ description: '1 enabled, 0 locked' }),
    is_filter_scopes: z.boolean(),
    remark: z.string().nullable(),
    created_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
    updated_time: z.string().nullable(),
  })
  .openapi('RoleDetail')

export type RoleDetail = z.infer<typeof RoleDetailSchema>

export function toRoleDetail(role: Role): RoleDetail {
  return {
    id: role.id,
    name: role.name,
    status: role.status,
    is_filter_scopes: role.isFilterScopes,
    remark: role.remark,
    created_time: formatDateTime(role.createdTime) ?? '',
    updated_time: formatDateTime(role.updatedTime),
  }
}

/** fba's `DataScopeWithRules` as a role detail shows it: the scope's rules are not joined there, so always `[]`. */
export const RoleDataScopeSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    status: z.number().int().openapi({ description: '1 enabled, 0 disabled' }),
    created_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
    updated_time: z.string().nullable(),
    rules: z.array(z.unknown()).openapi({ description: 'Always empty here; see the data-scope endpoints' }),
  })
  .openapi('RoleDataScope')

export type RoleDataScope = z.infer<typeof RoleDataScopeSchema>

export const RoleWithRelationSchema = RoleDetailSchema.extend({
  menus: z.array(MenuDetailSchema),
  scopes: z.array(RoleDataScopeSchema),
}).openapi('RoleWithRelation')

export type RoleWithRelation = z.infer<typeof RoleWithRelationSchema>

export const PageRoleDetailSchema = pageSchema(RoleDetailSchema).openapi('PageRoleDetail')

export function toRoleDataScope(scope: DataScope): RoleDataScope {
  return { ...toDataScopeDetail(scope), rules: [] }
}

export function toRoleWithRelation({ role, menus, scopes }: RoleRelations): RoleWithRelation {
  return { ...toRoleDetail(role), menus: menus.map(toMenuDetail), scopes: scopes.map(toRoleDataScope) }
}

// ---- requests ------------------------------------------------------------------------------------------------------

export const RoleListQuerySchema = PageQuerySchema.extend({
  name: optionalTextQuery(32, 'Name contains'),
  status: optionalFlagQuery('1 enabled, 0 disabled'),
})

export type RoleListQuery = z.infer<typeof RoleListQuerySchema>

export const RolePkParamSchema = pkParam('Role id')

/**
 * Create and update take the same body. On update `remark` is replaced (left out → null, as in fba: the admin UI
 * drops cleared fields), while a left-out `is_filter_scopes` keeps its value (the admin UI's role form has no such
 * field, so saving a role there must not reset it).
 */
export const RoleBodySchema = z
  .object({
    name: nameText(32).openapi({ example: 'Auditors' }),
    status: intEnum([0, 1], '1 enabled, 0 disabled'),
    is_filter_scopes: z.boolean().optional().openapi({
      description: 'Whether the data scopes filter rows for this role (default true; kept on update when left out)',
    }),
    remark: z.string().max(2048).nullish(),
  })
  .openapi('RoleBody')

export type RoleBody = z.infer<typeof RoleBodySchema>

const ids = (description: string) =>
  z
    .array(z.number().int().positive())
    .max(1000)
    .openapi({ description, example: [1, 2, 3] })

export const RoleMenusBodySchema = z
  .object({ menus: ids('Menu ids: the new set (an empty list removes every menu)') })
  .openapi('RoleMenusBody')

export const RoleScopesBodySchema = z
  .object({ scopes: ids('Data-scope ids: the new set (an empty list removes every scope)') })
  .openapi('RoleScopesBody')

export const DeleteRolesBodySchema = pksBody('DeleteRolesBody')
