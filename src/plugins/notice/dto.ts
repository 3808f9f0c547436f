/** Notice shapes of the v1 admin API (docs/fba-compatibility.md, "Notice plugin"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { nameText, optionalFlagQuery, optionalTextQuery, pkParam, pksBody } from '../../core/schemas'
import type { Notice } from './schema'

const TYPE_DESCRIPTION = '0 notice (通知), 1 announcement (公告)'
const STATUS_DESCRIPTION = '1 shown, 0 hidden'

const zeroOrOne = (description: string) =>
  z
    .number()
    .int()
    .pipe(z.literal([0, 1]))
    .openapi({ type: 'integer', enum: [0, 1], description })

// ---- responses -----------------------------------------------------------------------------------------------------

export const NoticeDetailSchema = z
  .object({
    id: z.number().int(),
    title: z.string().openapi({ example: 'Maintenance window' }),
    type: z.number().int().openapi({ description: TYPE_DESCRIPTION, example: 0 }),
    status: z.number().int().openapi({ description: STATUS_DESCRIPTION, example: 1 }),
    content: z.string().openapi({ example: 'The system is read-only on Sunday 02:00–04:00 UTC.' }),
    created_time: z.string().openapi({ example: '2026-05-16 12:00:00' }),
    updated_time: z.string().nullable(),
  })
  .openapi('NoticeDetail')

export type NoticeDetail = z.infer<typeof NoticeDetailSchema>

export const PageNoticeDetailSchema = pageSchema(NoticeDetailSchema).openapi('PageNoticeDetail')

export function toNoticeDetail(row: Notice): NoticeDetail {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    status: row.status,
    content: row.content,
    created_time: formatDateTime(row.createdTime) ?? '',
    updated_time: formatDateTime(row.updatedTime),
  }
}

// ---- requests ------------------------------------------------------------------------------------------------------

export const NoticeListQuerySchema = PageQuerySchema.extend({
  title: optionalTextQuery(64, 'Title contains'),
  type: optionalFlagQuery(TYPE_DESCRIPTION),
  status: optionalFlagQuery(STATUS_DESCRIPTION),
})

export type NoticeListQuery = z.infer<typeof NoticeListQuerySchema>

export const NoticePkParamSchema = pkParam('Notice id')

/** Create and update take the same body; every field is required (fba's `NoticeSchemaBase`). */
export const NoticeBodySchema = z
  .object({
    title: nameText(64).openapi({ example: 'Maintenance window' }),
    type: zeroOrOne(TYPE_DESCRIPTION),
    status: zeroOrOne(STATUS_DESCRIPTION),
    content: z.string().min(1).max(65_535).openapi({ example: 'The system is read-only on Sunday 02:00–04:00 UTC.' }),
  })
  .openapi('NoticeBody')

export type NoticeBody = z.infer<typeof NoticeBodySchema>

export const DeleteNoticesBodySchema = pksBody('DeleteNoticesBody')
