/** Data-rule shapes of the v1 admin API (docs/fba-compatibility.md, "Data rules"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { nameText, optionalTextQuery, pkParam, pksBody } from '../../core/schemas'
import { type DataRule, RuleVariable } from './schema'

const operator = z.number().int().min(0).max(1).openapi({ description: '0 AND, 1 OR', example: 0 })
const expression = z
  .number()
  .int()
  .min(0)
  .max(7)
  .openapi({ description: '0 `==`, 1 `!=`, 2 `>`, 3 `>=`, 4 `<`, 5 `<=`, 6 `in`, 7 `not in`', example: 0 })

export const DataRuleDetailSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    model: z.string().openapi({ example: 'Dept' }),
    column: z.string().openapi({ example: '__dept_id__' }),
    operator,
    expression,
    value: z.string().openapi({ example: RuleVariable.deptId }),
    created_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
    updated_time: z.string().nullable(),
  })
  .openapi('DataRuleDetail')

export type DataRuleDetail = z.infer<typeof DataRuleDetailSchema>

export const PageDataRuleDetailSchema = pageSchema(DataRuleDetailSchema).openapi('PageDataRuleDetail')

export function toDataRuleDetail(rule: DataRule): DataRuleDetail {
  return {
    id: rule.id,
    name: rule.name,
    model: rule.model,
    column: rule.column,
    operator: rule.operator,
    expression: rule.expression,
    value: rule.value,
    created_time: formatDateTime(rule.createdTime) ?? '',
    updated_time: formatDateTime(rule.updatedTime),
  }
}

/** A model column or template variable offered to the rule editor. */
export const TemplateVariableSchema = z
  .object({
    key: z.string().openapi({ example: '__dept_id__' }),
    comment: z.string().openapi({ example: 'Department ID' }),
  })
  .openapi('DataRuleTemplateVariable')

// ---- requests ------------------------------------------------------------------------------------------------------

export const DataRuleListQuerySchema = PageQuerySchema.extend({
  name: optionalTextQuery(512, 'Name contains'),
})

export const DataRulePkParamSchema = pkParam('Data rule id')

export const DataRuleModelParamSchema = z.object({
  model: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'model', in: 'path' }, example: 'Dept', description: 'Model name or `__ALL__`' }),
})

export const DataRuleBodySchema = z
  .object({
    name: nameText(512).openapi({ example: 'Own department only' }),
    model: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .openapi({ description: 'From GET /sys/data-rules/models', example: 'Dept' }),
    column: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .openapi({ description: 'From GET /sys/data-rules/models/{model}/columns', example: '__dept_id__' }),
    operator,
    expression,
    value: z.string().max(256).openapi({
      description: 'Comma-separated for in / not in; may be a template variable',
      example: RuleVariable.deptId,
    }),
  })
  .openapi('DataRuleBody')

export type DataRuleBody = z.infer<typeof DataRuleBodySchema>

export const DeleteDataRulesBodySchema = pksBody('DeleteDataRulesBody')
