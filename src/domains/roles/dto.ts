/**
 * Role shapes of the v1 admin API (contract §2 "RoleDetail", "RoleWithRelation"; §2.3). `RoleDetail` itself is
 * declared with the user shapes (users list their roles) and reused here.
 */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { pkParam, pksBody } from '../../core/schemas'
import type { DataScope } from '../data-scopes/schema'
import { intEnum, MenuDetailSchema, toMenuDetail } from '../menus/dto'
import { RoleDetailSchema, toRoleDetail } from '../users/dto'
import type { RoleRelations } from './repository'

export { RoleDetailSchema, toRoleDetail }

// ---- responses -----------------------------------------------------------------------------------------------------

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
  return {
    id: scope.id,
    name: scope.name,
    status: scope.status,
    created_time: formatDateTime(scope.createdTime) ?? '',
    updated_time: formatDateTime(scope.updatedTime),
    rules: [],
  }
}

export function toRoleWithRelation({ role, menus, scopes }: RoleRelations): RoleWithRelation {
  return { ...toRoleDetail(role), menus: menus.map(toMenuDetail), scopes: scopes.map(toRoleDataScope) }
}

// ---- requests ------------------------------------------------------------------------------------------------------

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v)

export const RoleListQuerySchema = PageQuerySchema.extend({
  name: z
    .preprocess(blankToUndefined, z.string().max(32).optional())
    .openapi({ type: 'string', description: 'Name contains' }),
  status: z
    .preprocess(blankToUndefined, z.coerce.number().int().min(0).max(1).optional())
    .openapi({ type: 'integer', enum: [0, 1], description: '1 enabled, 0 disabled' }),
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
    name: z.string().trim().min(1).max(32).openapi({ example: 'Auditors' }),
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
