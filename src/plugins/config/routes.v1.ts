/**
 * `/sys/configs/*` (docs/fba-compatibility.md, "Config plugin" and D6), injected into the admin API by the `config`
 * plugin. `/all` is registered before `/{pk}`. Reads need `sys:config:list` and answer secret values masked
 * (./secrets.ts); writes need `sys:config:add|edit|del`.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../http/context'
import { crudRoutes } from '../../http/crud'
import { defineRoute, jsonBody, nullEnvelope } from '../../http/openapi'
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

const service = (c: Context<AppEnv>) => new ConfigService(configServiceDeps(c))

/** Reads need `sys:config:list` (sensitive: secret values are masked, ./secrets.ts). */
const configs = crudRoutes({
  path: BASE,
  tags: TAGS,
  pk: ConfigPkParamSchema,
  perms: CONFIG_PERMS,
  sensitive: true,
  service,
})

export function configRoutes() {
  return createRouter()
    .openapiRoutes([
      configs.all(
        {
          summary: 'Every config, or those of one type (cached)',
          query: ConfigAllQuerySchema,
          data: ConfigDetailSchema,
          description: 'Configs',
        },
        (s, query) => s.all(query.type),
      ),
      configs.detail({ summary: 'A config (cached)', data: ConfigDetailSchema, description: 'Config' }, (s, pk) =>
        s.detail(pk),
      ),
      configs.list(
        {
          summary: 'Configs, paged (newest first)',
          query: ConfigListQuerySchema,
          page: PageConfigDetailSchema,
          description: 'Page of configs',
        },
        (s, query) => s.list(query),
        toConfigDetail,
      ),
      configs.create({ summary: 'Create a config', errors: [409], body: ConfigBodySchema, description: 'Created' }),
      configs.update({
        summary: 'Update a config (login settings apply on the next request)',
        errors: [409],
        body: ConfigBodySchema,
        description: 'Updated',
      }),
      configs.remove(
        {
          summary: 'Delete configs (body: a bare array of ids)',
          body: DeleteConfigsBodySchema,
          description: 'Deleted',
        },
        (s, pks) => s.delete(pks),
      ),
    ])
    .openapi(bulkUpdate, async (c) => {
      await service(c).bulkUpdate(c.req.valid('json'))
      return ok(c, null)
    })
}
