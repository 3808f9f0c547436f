/** Code generator shapes of the v1 admin API (docs/fba-compatibility.md, "Code generator plugin"; fba's field names). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { nullableText, optionalTextQuery, pkParam } from '../../core/schemas'
import { COLUMN_TYPE_NAMES } from './core/column-types'
import { API_VERSIONS } from './core/spec'
import type { GenBusiness, GenColumn } from './schema'

// ---- businesses ----------------------------------------------------------------------------------------------------

export const BusinessDetailSchema = z
  .object({
    id: z.number().int(),
    app_name: z.string().openapi({ example: 'shop' }),
    table_name: z.string().openapi({ example: 'shop_order' }),
    doc_comment: z.string().openapi({ example: 'Shop orders' }),
    table_comment: z.string().nullable(),
    class_name: z.string().nullable(),
    schema_name: z.string().nullable(),
    filename: z.string().nullable(),
    datetime_mixin: z.boolean(),
    api_version: z.string().openapi({ example: 'v1' }),
    tag: z.string().nullable(),
    gen_path: z.string().nullable(),
    remark: z.string().nullable(),
    created_time: z.string().openapi({ example: '2026-05-16 12:00:00' }),
    updated_time: z.string().nullable(),
  })
  .openapi('GenBusinessDetail')

export type BusinessDetail = z.infer<typeof BusinessDetailSchema>

export const PageBusinessDetailSchema = pageSchema(BusinessDetailSchema).openapi('PageGenBusinessDetail')

export function toBusinessDetail(row: GenBusiness): BusinessDetail {
  return {
    id: row.id,
    app_name: row.appName,
    table_name: row.tableName,
    doc_comment: row.docComment,
    table_comment: row.tableComment,
    class_name: row.className,
    schema_name: row.schemaName,
    filename: row.filename,
    datetime_mixin: row.datetimeMixin,
    api_version: row.apiVersion,
    tag: row.tag,
    gen_path: row.genPath,
    remark: row.remark,
    created_time: formatDateTime(row.createdTime) ?? '',
    updated_time: formatDateTime(row.updatedTime),
  }
}

export const BusinessListQuerySchema = PageQuerySchema.extend({
  table_name: optionalTextQuery(256, 'Table name contains'),
})

export type BusinessListQuery = z.infer<typeof BusinessListQuerySchema>

export const BusinessPkParamSchema = pkParam('Business id')

/**
 * fba's BusinessParam. `app_name` and `table_name` must match `^[a-zA-Z][a-zA-Z_]*$`; the service checks them so a
 * wrong one is fba's 400 (not a 422).
 */
export const BusinessBodySchema = z
  .object({
    app_name: z.string().max(64).openapi({ example: 'shop', pattern: '^[a-zA-Z][a-zA-Z_]*$' }),
    table_name: z.string().max(256).openapi({ example: 'shop_order', pattern: '^[a-zA-Z][a-zA-Z_]*$' }),
    doc_comment: z.string().min(1).max(256).openapi({ example: 'Shop orders' }),
    table_comment: nullableText(256),
    class_name: nullableText(64),
    schema_name: nullableText(64),
    filename: nullableText(64),
    datetime_mixin: z.boolean().default(true),
    api_version: z.enum(API_VERSIONS).default('v1'),
    tag: nullableText(64),
    gen_path: nullableText(256),
    remark: nullableText(),
  })
  .openapi('GenBusinessBody')

export type BusinessBody = z.infer<typeof BusinessBodySchema>

// ---- columns -------------------------------------------------------------------------------------------------------

export const ColumnDetailSchema = z
  .object({
    id: z.number().int(),
    name: z.string().openapi({ example: 'title' }),
    comment: z.string().nullable(),
    type: z.string().openapi({ example: 'VARCHAR' }),
    pd_type: z.string().openapi({ example: 'str' }),
    default: z.string().nullable(),
    sort: z.number().int().nullable(),
    length: z.number().int(),
    is_pk: z.boolean(),
    is_nullable: z.boolean(),
    gen_business_id: z.number().int(),
  })
  .openapi('GenColumnDetail')

export type ColumnDetail = z.infer<typeof ColumnDetailSchema>

export function toColumnDetail(row: GenColumn): ColumnDetail {
  return {
    id: row.id,
    name: row.name,
    comment: row.comment,
    type: row.type,
    pd_type: row.pdType,
    default: row.default,
    sort: row.sort,
    length: row.length,
    is_pk: row.isPk,
    is_nullable: row.isNullable,
    gen_business_id: row.genBusinessId,
  }
}

export const ColumnPkParamSchema = pkParam('Column id')

const COLUMN_TYPE = z
  .string()
  .transform((type) => type.trim().toUpperCase())
  .pipe(z.enum(COLUMN_TYPE_NAMES as [string, ...string[]]))
  .openapi({ type: 'string', enum: [...COLUMN_TYPE_NAMES], example: 'VARCHAR' })

/** fba's ColumnParam; `type` is one of `GET /code-generation/columns/types` (any case). */
export const ColumnBodySchema = z
  .object({
    name: z
      .string()
      .max(64)
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
      .openapi({ example: 'title' }),
    comment: nullableText(256),
    type: COLUMN_TYPE,
    default: nullableText(),
    sort: z.number().int(),
    length: z.number().int().min(0),
    is_pk: z.boolean().default(false),
    is_nullable: z.boolean().default(false),
    gen_business_id: z.number().int().positive(),
  })
  .openapi('GenColumnBody')

export type ColumnBody = z.infer<typeof ColumnBodySchema>

// ---- generation ----------------------------------------------------------------------------------------------------

export const ColumnTypesSchema = z.array(z.string()).openapi({ example: ['BIGINT', 'BOOLEAN', 'VARCHAR'] })

export const TablesQuerySchema = z.object({
  table_schema: optionalTextQuery(64, "Ignored: a libSQL database has one schema (fba's `table_schema`)"),
})

export const DatabaseTableSchema = z
  .object({
    table_name: z.string().openapi({ example: 'shop_order' }),
    table_comment: z.string().nullable().openapi({ description: 'SQLite has no table comments: always null' }),
  })
  .openapi('GenDatabaseTable')

export const ImportBodySchema = z
  .object({
    app: z.string().max(64).openapi({ example: 'shop' }),
    table_schema: z.string().max(64).openapi({ example: 'main', description: 'Ignored (one schema)' }),
    table_name: z.string().max(256).openapi({ example: 'shop_order' }),
  })
  .openapi('GenImportBody')

export type ImportBody = z.infer<typeof ImportBodySchema>

export const PreviewSchema = z
  .record(z.string(), z.string())
  .openapi('GenPreview', { description: 'Repository-relative path → file text' })

export const PathsSchema = z.array(z.string()).openapi({ example: ['src/domains/shop-order/schema.ts'] })

export const WriteQuerySchema = z.object({
  force: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ type: 'boolean', description: 'Overwrite files that exist' }),
})
