/** Data-scope shapes of the v1 admin API (docs/fba-compatibility.md, "Data scopes"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { nameText, optionalFlagQuery, optionalTextQuery, pkParam, pksBody } from '../../core/schemas'
import { DataRuleDetailSchema, toDataRuleDetail } from '../data-rules/dto'
import type { DataRule } from '../data-rules/schema'
import type { DataScope } from './schema'

const status = z.number().int().min(0).max(1).openapi({ description: '1 enabled, 0 disabled' })

export const DataScopeDetailSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    status,
    created_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
    updated_time: z.string().nullable(),
  })
  .openapi('DataScopeDetail')

export type DataScopeDetail = z.infer<typeof DataScopeDetailSchema>

export const DataScopeWithRulesSchema = DataScopeDetailSchema.extend({
  rules: z.array(DataRuleDetailSchema),
}).openapi('DataScopeWithRules')

export type DataScopeWithRules = z.infer<typeof DataScopeWithRulesSchema>

export const PageDataScopeDetailSchema = pageSchema(DataScopeDetailSchema).openapi('PageDataScopeDetail')

export function toDataScopeDetail(scope: DataScope): DataScopeDetail {
  return {
    id: scope.id,
    name: scope.name,
    status: scope.status,
    created_time: formatDateTime(scope.createdTime) ?? '',
    updated_time: formatDateTime(scope.updatedTime),
  }
}

export function toDataScopeWithRules(scope: DataScope, rules: readonly DataRule[]): DataScopeWithRules {
  return { ...toDataScopeDetail(scope), rules: rules.map(toDataRuleDetail) }
}

// ---- requests ------------------------------------------------------------------------------------------------------

export const DataScopeListQuerySchema = PageQuerySchema.extend({
  name: optionalTextQuery(64, 'Name contains'),
  status: optionalFlagQuery('1 enabled, 0 disabled'),
})

export const DataScopePkParamSchema = pkParam('Data scope id')

export const DataScopeBodySchema = z
  .object({
    name: nameText(64).openapi({ example: 'Own department' }),
    status,
  })
  .openapi('DataScopeBody')

export type DataScopeBody = z.infer<typeof DataScopeBodySchema>

export const DataScopeRulesBodySchema = z
  .object({
    rules: z
      .array(z.number().int().positive())
      .max(1000)
      .openapi({ description: 'The complete set of rule ids (`[]` removes every rule)', example: [1, 2] }),
  })
  .openapi('DataScopeRulesBody')

export const DeleteDataScopesBodySchema = pksBody('DeleteDataScopesBody')
