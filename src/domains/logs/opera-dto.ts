/** Operation-log shapes of the v1 admin API (docs/fba-compatibility.md, "Logs"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { optionalFlagQuery, optionalTextQuery, pksBody } from '../../core/schemas'
import type { OperaLog } from './schema'

export const OperaLogSchema = z
  .object({
    id: z.number().int(),
    trace_id: z.string(),
    username: z.string().nullable().openapi({ description: 'Null for a request that was not signed in' }),
    method: z.string().openapi({ example: 'POST' }),
    title: z.string().openapi({ description: "The route's summary", example: 'Create a role' }),
    path: z.string().openapi({ example: '/api/v1/sys/roles' }),
    ip: z.string(),
    country: z.string().nullable(),
    region: z.string().nullable(),
    city: z.string().nullable(),
    user_agent: z.string().nullable(),
    os: z.string().nullable(),
    browser: z.string().nullable(),
    device: z.string().nullable(),
    args: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({
        description:
          '`query_params`, `path_params`, `json` (object body), `data` (other body), `form-data` — secrets masked; ' +
          'over 10 240 bytes a `_truncated` preview',
      }),
    status: z.number().int().openapi({ description: '1 success (HTTP status below 400), 0 failure' }),
    code: z.string().openapi({ description: 'The HTTP status of the answer', example: '200' }),
    msg: z.string().nullable(),
    cost_time: z.number().openapi({ description: 'Milliseconds', example: 12.345 }),
    opera_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
    created_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
  })
  .openapi('OperaLog')

export type OperaLogOut = z.infer<typeof OperaLogSchema>

export const PageOperaLogSchema = pageSchema(OperaLogSchema).openapi('PageOperaLog')

export function toOperaLog(row: OperaLog): OperaLogOut {
  return {
    id: row.id,
    trace_id: row.traceId,
    username: row.username,
    method: row.method,
    title: row.title,
    path: row.path,
    ip: row.ip,
    country: row.country,
    region: row.region,
    city: row.city,
    user_agent: row.userAgent,
    os: row.os,
    browser: row.browser,
    device: row.device,
    args: row.args,
    status: row.status,
    code: row.code,
    msg: row.msg,
    cost_time: row.costTime,
    opera_time: formatDateTime(row.operaTime) ?? '',
    created_time: formatDateTime(row.createdTime) ?? '',
  }
}

export const OperaLogListQuerySchema = PageQuerySchema.extend({
  username: optionalTextQuery(64, 'Username contains'),
  status: optionalFlagQuery('1 success, 0 failure'),
  ip: optionalTextQuery(64, 'IP contains'),
})

export const DeleteOperaLogsBodySchema = pksBody('DeleteOperaLogsBody')
