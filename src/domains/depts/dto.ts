/** Department shapes of the v1 admin API (docs/fba-compatibility.md, "Departments"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { emptyToNull, nameText, optionalFlagQuery, optionalTextQuery, pkParam, safeText } from '../../core/schemas'
import type { Dept } from './schema'

export const DeptDetailSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    parent_id: z.number().int().nullable(),
    sort: z.number().int(),
    leader: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    status: z.number().int().openapi({ description: '1 enabled, 0 locked' }),
    del_flag: z.boolean(),
    created_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
    updated_time: z.string().nullable(),
  })
  .openapi('DeptDetail')

export type DeptDetail = z.infer<typeof DeptDetailSchema>

export type DeptTree = DeptDetail & { children: DeptTree[] | null }

export const DeptTreeSchema: z.ZodType<DeptTree> = DeptDetailSchema.extend({
  children: z
    .lazy(() => z.array(DeptTreeSchema))
    .nullable()
    .openapi({ description: 'Sub-departments; null for a leaf' }),
}).openapi('DeptTree')

export function toDeptDetail(dept: Dept): DeptDetail {
  return {
    id: dept.id,
    name: dept.name,
    parent_id: dept.parentId,
    sort: dept.sort,
    leader: dept.leader,
    phone: dept.phone,
    email: dept.email,
    status: dept.status,
    del_flag: dept.delFlag,
    created_time: formatDateTime(dept.createdTime) ?? '',
    updated_time: formatDateTime(dept.updatedTime),
  }
}

/** A tree node: the detail plus its children (`null` for leaves, as in fba). */
export function toDeptTree(dept: Dept, children: DeptTree[]): DeptTree {
  return { ...toDeptDetail(dept), children: children.length ? children : null }
}

// ---- requests ------------------------------------------------------------------------------------------------------

export const DeptTreeQuerySchema = z.object({
  name: optionalTextQuery(64, 'Name contains'),
  leader: optionalTextQuery(32, 'Leader contains'),
  phone: optionalTextQuery(11, 'Phone starts with'),
  status: optionalFlagQuery('1 enabled, 0 locked'),
})

export const DeptPkParamSchema = pkParam('Department id')

/** fba's `DeptSchemaBase`: phone is a `CustomPhoneNumber`, email a `CustomEmailStr` (empty → none). */
export const DeptBodySchema = z
  .object({
    name: nameText(64).openapi({ example: 'Engineering' }),
    parent_id: z.number().int().positive().nullish().openapi({ description: 'Parent department; none for a root' }),
    sort: z.number().int().min(0).default(0),
    leader: z.preprocess(emptyToNull, z.string().trim().max(32).check(safeText).nullish()).openapi({ type: 'string' }),
    phone: z
      .preprocess(
        emptyToNull,
        z
          .string()
          .regex(/^1[3-9]\d{9}$/)
          .nullish(),
      )
      .openapi({ type: 'string', example: '13800138000' }),
    email: z
      .preprocess(emptyToNull, z.email().max(64).nullish())
      .openapi({ type: 'string', format: 'email', example: 'dept@example.com' }),
    status: z.number().int().min(0).max(1).openapi({ description: '1 enabled, 0 locked' }),
  })
  .openapi('DeptBody')

export type DeptBody = z.infer<typeof DeptBodySchema>
