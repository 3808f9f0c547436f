/**
 * `/sys/configs/*` (docs/fba-compatibility.md, "Config plugin" and D6), injected into the admin API by the `config`
 * plugin. `/all` is registered before `/{pk}`. Reads need `sys:config:list` and answer secret values masked
 * (./secrets.ts); writes need `sys:config:add|edit|del`.
 */
import type { Context } from 'hono'
import { toPage } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import {
  ConfigAllQuerySchema,
  ConfigBodySchema,
  ConfigBulkBodySchema,
  ConfigDetailSchema,
  ConfigListQuerySchema,
  ConfigPkParamSchema,
  DeleteConfigsBodySchema,
  PageConfigDetailSchema,
  toConfigDetail,
} from './dto'
import { CONFIG_PERMS } from './perms'
import { ConfigService, configServiceDeps } from './service'

const TAGS = ['System parameter configs']
const BASE = '/sys/configs'

const all = defineRoute({
  method: 'get',
  path: `${BASE}/all`,
  tags: TAGS,
  summary: 'Every config, or those of one type (cached)',
  access: { permission: CONFIG_PERMS.list },
  sensitive: true,
  request: { query: ConfigAllQuerySchema },
  responses: { 200: jsonEnvelope(z.array(ConfigDetailSchema), 'Configs') },
})

const detail = defineRoute({
  method: 'get',
  path: `${BASE}/{pk}`,
  tags: TAGS,
  summary: 'A config (cached)',
  access: { permission: CONFIG_PERMS.list },
  sensitive: true,
  errors: [404],
  request: { params: ConfigPkParamSchema },
  responses: { 200: jsonEnvelope(ConfigDetailSchema, 'Config') },
})

const list = defineRoute({
  method: 'get',
  path: BASE,
  tags: TAGS,
  summary: 'Configs, paged (newest first)',
  access: { permission: CONFIG_PERMS.list },
  sensitive: true,
  request: { query: ConfigListQuerySchema },
  responses: { 200: jsonEnvelope(PageConfigDetailSchema, 'Page of configs') },
})

const create = defineRoute({
  method: 'post',
  path: BASE,
  tags: TAGS,
  summary: 'Create a config',
  access: { permission: CONFIG_PERMS.add },
  errors: [409],
  request: jsonBody(ConfigBodySchema),
  responses: nullEnvelope('Created'),
})

const bulkUpdate = defineRoute({
  method: 'put',
  path: BASE,
  tags: TAGS,
  summary: 'Update several configs at once (all or nothing; login settings apply on the next request)',
  access: { permission: CONFIG_PERMS.edit },
  errors: [404, 409],
  request: jsonBody(ConfigBulkBodySchema),
  responses: nullEnvelope('Updated'),
})

const update = defineRoute({
  method: 'put',
  path: `${BASE}/{pk}`,
  tags: TAGS,
  summary: 'Update a config (login settings apply on the next request)',
  access: { permission: CONFIG_PERMS.edit },
  errors: [404, 409],
  request: { params: ConfigPkParamSchema, ...jsonBody(ConfigBodySchema) },
  responses: nullEnvelope('Updated'),
})

const remove = defineRoute({
  method: 'delete',
  path: BASE,
  tags: TAGS,
  summary: 'Delete configs (body: a bare array of ids)',
  access: { permission: CONFIG_PERMS.delete },
  request: jsonBody(DeleteConfigsBodySchema),
  responses: nullEnvelope('Deleted'),
})

const service = (c: Context<AppEnv>) => new ConfigService(configServiceDeps(c))

export function configRoutes() {
  return createRouter()
    .openapi(all, async (c) => ok(c, await service(c).all(c.req.valid('query').type)))
    .openapi(detail, async (c) => ok(c, await service(c).detail(c.req.valid('param').pk)))
    .openapi(list, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await service(c).list(query)
      return ok(c, toPage(items.map(toConfigDetail), total, query, c.req.url))
    })
    .openapi(create, async (c) => {
      await service(c).create(c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(bulkUpdate, async (c) => {
      await service(c).bulkUpdate(c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(update, async (c) => {
      await service(c).update(c.req.valid('param').pk, c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(remove, async (c) => {
      await service(c).delete(c.req.valid('json'))
      return ok(c, null)
    })
}
