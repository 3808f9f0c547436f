/** `/logs/login*` and `/logs/opera*` (docs/fba-compatibility.md, "Logs"). */
import type { Context } from 'hono'
import { toPage } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { required } from '../../infra/services'
import { DeleteLoginLogsBodySchema, LoginLogListQuerySchema, PageLoginLogSchema, toLoginLog } from './dto'
import { DeleteOperaLogsBodySchema, OperaLogListQuerySchema, PageOperaLogSchema, toOperaLog } from './opera-dto'
import { LOG_PERMS } from './perms'
import { loginLogService, operaLogService } from './service'

const TAGS = ['Logs']

const list = defineRoute({
  method: 'get',
  path: '/logs/login',
  tags: TAGS,
  summary: 'Login logs, paged (newest first)',
  access: { permission: LOG_PERMS.loginList },
  sensitive: true,
  request: { query: LoginLogListQuerySchema },
  responses: { 200: jsonEnvelope(PageLoginLogSchema, 'Page of login logs') },
})

const remove = defineRoute({
  method: 'delete',
  path: '/logs/login',
  tags: TAGS,
  summary: 'Delete login logs by id',
  access: { permission: LOG_PERMS.loginDelete },
  request: { body: { content: { 'application/json': { schema: DeleteLoginLogsBodySchema } }, required: true } },
  responses: { 200: jsonEnvelope(z.null(), 'Deleted') },
})

const clear = defineRoute({
  method: 'delete',
  path: '/logs/login/all',
  tags: TAGS,
  summary: 'Delete every login log',
  access: { permission: LOG_PERMS.loginClear },
  responses: { 200: jsonEnvelope(z.null(), 'Cleared') },
})

const operaList = defineRoute({
  method: 'get',
  path: '/logs/opera',
  tags: TAGS,
  summary: 'Operation logs, paged (newest first)',
  access: { permission: LOG_PERMS.operaList },
  sensitive: true,
  request: { query: OperaLogListQuerySchema },
  responses: { 200: jsonEnvelope(PageOperaLogSchema, 'Page of operation logs') },
})

const operaRemove = defineRoute({
  method: 'delete',
  path: '/logs/opera',
  tags: TAGS,
  summary: 'Delete operation logs by id',
  access: { permission: LOG_PERMS.operaDelete },
  request: { body: { content: { 'application/json': { schema: DeleteOperaLogsBodySchema } }, required: true } },
  responses: { 200: jsonEnvelope(z.null(), 'Deleted') },
})

const operaClear = defineRoute({
  method: 'delete',
  path: '/logs/opera/all',
  tags: TAGS,
  summary: 'Delete every operation log',
  access: { permission: LOG_PERMS.operaClear },
  responses: { 200: jsonEnvelope(z.null(), 'Cleared') },
})

const service = (c: Context<AppEnv>) => loginLogService(required(c.get('services').db, 'database'))
const operaService = (c: Context<AppEnv>) => operaLogService(required(c.get('services').db, 'database'))

export function logRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await service(c).list(query)
      return ok(c, toPage(items.map(toLoginLog), total, query, c.req.url))
    })
    .openapi(remove, async (c) => {
      await service(c).delete(c.req.valid('json').pks)
      return ok(c, null)
    })
    .openapi(clear, async (c) => {
      await service(c).clear()
      return ok(c, null)
    })
    .openapi(operaList, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await operaService(c).list(query)
      return ok(c, toPage(items.map(toOperaLog), total, query, c.req.url))
    })
    .openapi(operaRemove, async (c) => {
      await operaService(c).delete(c.req.valid('json').pks)
      return ok(c, null)
    })
    .openapi(operaClear, async (c) => {
      await operaService(c).clear()
      return ok(c, null)
    })
}
