/** Login-log shapes of the v1 admin API (docs/fba-compatibility.md, "Logs"). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { PageQuerySchema, pageSchema } from '../../core/pagination'
import { optionalFlagQuery, optionalTextQuery, pksBody } from '../../core/schemas'
import type { LoginLog } from './schema'

export const LoginLogSchema = z
  .object({
    id: z.number().int(),
    user_uuid: z.string(),
    username: z.string(),
    status: z.number().int().openapi({ description: '1 success, 0 failure' }),
    ip: z.string(),
    country: z.string().nullable(),
    region: z.string().nullable(),
    city: z.string().nullable(),
    user_agent: z.string().nullable(),
    browser: z.string().nullable(),
    os: z.string().nullable(),
    device: z.string().nullable(),
    msg: z.string(),
    login_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
    created_time: z.string().openapi({ example: '2026-11-22 02:00:00' }),
  })
  .openapi('LoginLog')

export type LoginLogOut = z.infer<typeof LoginLogSchema>

export const PageLoginLogSchema = pageSchema(LoginLogSchema).openapi('PageLoginLog')

export function toLoginLog(row: LoginLog): LoginLogOut {
  return {
    id: row.id,
    user_uuid: row.userUuid,
    username: row.username,
    status: row.status,
    ip: row.ip,
    country: row.country,
    region: row.region,
    city: row.city,
    user_agent: row.userAgent,
    browser: row.browser,
    os: row.os,
    device: row.device,
    msg: row.msg,
    login_time: formatDateTime(row.loginTime) ?? '',
    created_time: formatDateTime(row.createdTime) ?? '',
  }
}

export const LoginLogListQuerySchema = PageQuerySchema.extend({
  username: optionalTextQuery(64, 'Username contains'),
  status: optionalFlagQuery('1 success, 0 failure'),
  ip: optionalTextQuery(64, 'IP contains'),
})

export const DeleteLoginLogsBodySchema = pksBody('DeleteLoginLogsBody')
