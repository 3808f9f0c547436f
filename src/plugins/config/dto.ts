/** Parameter-config shapes of the v1 admin API (`ConfigDetail`; docs/fba-compatibility.md, "Config plugin"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { nameText, nullableText, optionalTextQuery, pkParam } from '../../core/schemas'
import type { ConfigRow } from './schema'
import { shownValue } from './secrets'

export const ConfigDetailSchema = z
  .object({
    id: z.number().int(),
    name: z.string().openapi({ example: '验证码开关' }),
    type: z.string().nullable().openapi({ example: 'LOGIN' }),
    key: z.string().openapi({ example: 'LOGIN_CAPTCHA_ENABLED' }),
    value: z.string().openapi({ example: 'true' }),
    is_frontend: z.boolean(),
    remark: z.string().nullable(),
    created_time: z.string().openapi({ example: '2026-05-16 12:00:00' }),
    updated_time: z.string().nullable(),
  })
  .openapi('ConfigDetail')

export type ConfigDetail = z.infer<typeof ConfigDetailSchema>

export const PageConfigDetailSchema = pageSchema(ConfigDetailSchema).openapi('PageConfigDetail')

/** A row as the API answers it: a secret's value masked (./secrets.ts). */
export function toConfigDetail(row: ConfigRow): ConfigDetail {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    key: row.key,
    value: shownValue(row.key, row.value),
    is_frontend: row.isFrontend,
    remark: row.remark,
    created_time: formatDateTime(row.createdTime) ?? '',
    updated_time: formatDateTime(row.updatedTime),
  }
}

// ---- requests ------------------------------------------------------------------------------------------------------

export const ConfigAllQuerySchema = z.object({
  type: optionalTextQuery(32, 'Only this type (exact), e.g. `LOGIN`; every config when left out'),
})

export const ConfigListQuerySchema = PageQuerySchema.extend({
  name: optionalTextQuery(32, 'Name contains'),
  type: optionalTextQuery(32, 'Type contains'),
})

export const ConfigPkParamSchema = pkParam('Config id')

const configFields = {
  name: nameText(32).openapi({ example: '验证码开关' }),
  type: z
    .string()
    .trim()
    .max(32)
    .nullish()
    .transform((v) => (v ? v : null))
    .openapi({ type: 'string', example: 'LOGIN' }),
  key: z.string().trim().min(1).max(64).openapi({ example: 'LOGIN_CAPTCHA_ENABLED' }),
  value: z.string().max(65_535).openapi({ example: 'true' }),
  is_frontend: z.boolean(),
  remark: nullableText().openapi({ type: 'string' }),
}

/** Create and update (`PUT /{pk}`) take the same body. */
export const ConfigBodySchema = z.object(configFields).openapi('ConfigBody')

export type ConfigBody = z.infer<typeof ConfigBodySchema>

export const ConfigBulkItemSchema = z
  .object({ id: z.number().int().positive().openapi({ example: 17 }), ...configFields })
  .openapi('ConfigBulkItem')

export type ConfigBulkItem = z.infer<typeof ConfigBulkItemSchema>

export const ConfigBulkBodySchema = z.array(ConfigBulkItemSchema).max(1000).openapi('ConfigBulkBody')

/** `DELETE /sys/configs` takes a bare JSON array of ids (fba's shape), not `{pks}`. */
export const DeleteConfigsBodySchema = z
  .array(z.number().int().positive())
  .min(1)
  .max(1000)
  .openapi('DeleteConfigsBody', { example: [1, 2] })
