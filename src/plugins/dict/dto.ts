/** Dictionary shapes of the v1 admin API (docs/fba-compatibility.md, "Dict plugin"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { blankToUndefined, nameText, nullableText, optionalTextQuery, pkParam, pksBody } from '../../core/schemas'
import type { DictData, DictType } from './schema'

const datetime = z.string().openapi({ example: '2026-05-16 12:00:00' })

export const DictTypeDetailSchema = z
  .object({
    id: z.number().int(),
    name: z.string().openapi({ example: '通用状态' }),
    code: z.string().openapi({ example: 'sys_status' }),
    remark: z.string().nullable(),
    created_time: datetime,
    updated_time: z.string().nullable(),
  })
  .openapi('DictTypeDetail')

export type DictTypeDetail = z.infer<typeof DictTypeDetailSchema>

export const PageDictTypeDetailSchema = pageSchema(DictTypeDetailSchema).openapi('PageDictTypeDetail')

export function toDictTypeDetail(row: DictType): DictTypeDetail {
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    remark: row.remark,
    created_time: formatDateTime(row.createdTime) ?? '',
    updated_time: formatDateTime(row.updatedTime),
  }
}

export const DictDataDetailSchema = z
  .object({
    id: z.number().int(),
    type_id: z.number().int(),
    type_code: z.string().openapi({ example: 'sys_status' }),
    label: z.string().openapi({ example: '正常' }),
    value: z.string().openapi({ example: '1' }),
    color: z.string().nullable().openapi({ example: 'green' }),
    sort: z.number().int(),
    status: z.number().int().openapi({ description: '0 disabled, 1 enabled', example: 1 }),
    remark: z.string().nullable(),
    created_time: datetime,
    updated_time: z.string().nullable(),
  })
  .openapi('DictDataDetail')

export type DictDataDetail = z.infer<typeof DictDataDetailSchema>

export const PageDictDataDetailSchema = pageSchema(DictDataDetailSchema).openapi('PageDictDataDetail')

export function toDictDataDetail(row: DictData): DictDataDetail {
  return {
    id: row.id,
    type_id: row.typeId,
    type_code: row.typeCode,
    label: row.label,
    value: row.value,
    color: row.color,
    sort: row.sort,
    status: row.status,
    remark: row.remark,
    created_time: formatDateTime(row.createdTime) ?? '',
    updated_time: formatDateTime(row.updatedTime),
  }
}

// ---- requests ------------------------------------------------------------------------------------------------------

const optionalInt = (min: number, max: number | undefined, description: string) =>
  z
    .preprocess(
      blankToUndefined,
      (max === undefined ? z.coerce.number().int().min(min) : z.coerce.number().int().min(min).max(max)).optional(),
    )
    .openapi({ type: 'integer', description })

export const DictTypePkParamSchema = pkParam('Dictionary type id')
export const DictDataPkParamSchema = pkParam('Dictionary value id')

export const DictTypeCodeParamSchema = z.object({
  code: z
    .string()
    .min(1)
    .max(32)
    .openapi({ param: { name: 'code', in: 'path' }, example: 'sys_status', description: 'Dictionary type code' }),
})

export const DictTypeListQuerySchema = PageQuerySchema.extend({
  name: optionalTextQuery(32, 'Name contains'),
  code: optionalTextQuery(32, 'Code contains'),
})

export const DictDataListQuerySchema = PageQuerySchema.extend({
  type_code: optionalTextQuery(32, 'Type code (exact)'),
  label: optionalTextQuery(32, 'Label contains'),
  value: optionalTextQuery(32, 'Value contains'),
  status: optionalInt(0, 1, '0 disabled, 1 enabled'),
  type_id: optionalInt(1, undefined, 'Type id'),
})

export const DictTypeBodySchema = z
  .object({
    name: nameText(32).openapi({ example: '通用状态' }),
    code: z.string().trim().min(1).max(32).openapi({ example: 'sys_status' }),
    remark: nullableText().openapi({ type: 'string', example: '系统通用状态：1/0' }),
  })
  .openapi('DictTypeBody')

export type DictTypeBody = z.infer<typeof DictTypeBodySchema>

export const DictDataBodySchema = z
  .object({
    type_id: z.number().int().positive().openapi({ example: 1 }),
    label: nameText(32).openapi({ example: '正常' }),
    value: z.string().max(32).openapi({ example: '1' }),
    color: nullableText(32).openapi({ type: 'string', example: 'green' }),
    sort: z.number().int().openapi({ example: 1 }),
    status: z.number().int().min(0).max(1).openapi({ description: '0 disabled, 1 enabled', example: 1 }),
    remark: nullableText().openapi({ type: 'string', example: '正常状态' }),
  })
  .openapi('DictDataBody')

export type DictDataBody = z.infer<typeof DictDataBodySchema>

export const DeletePksBodySchema = pksBody('DeleteDictBody')
