/** `/sys/data-scopes/*` (docs/fba-compatibility.md, "Data scopes"). `/all` is registered before `/{pk}`. */
import type { Context } from 'hono'
import { toPage } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import {
  DataScopeBodySchema,
  DataScopeDetailSchema,
  DataScopeListQuerySchema,
  DataScopePkParamSchema,
  DataScopeRulesBodySchema,
  DataScopeWithRulesSchema,
  DeleteDataScopesBodySchema,
  PageDataScopeDetailSchema,
  toDataScopeDetail,
  toDataScopeWithRules,
} from './dto'
import { DATA_SCOPE_PERMS } from './perms'
import { DataScopeService, dataScopeServiceDeps } from './service'

const TAGS = ['System data scopes']

const all = defineRoute({
  method: 'get',
  path: '/sys/data-scopes/all',
  tags: TAGS,
  summary: 'Every data scope',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(DataScopeDetailSchema), 'Data scopes') },
})

const detail = defineRoute({
  method: 'get',
  path: '/sys/data-scopes/{pk}',
  tags: TAGS,
  summary: 'A data scope',
  access: 'authenticated',
  errors: [404],
  request: { params: DataScopePkParamSchema },
  responses: { 200: jsonEnvelope(DataScopeDetailSchema, 'Data scope') },
})

const rules = defineRoute({
  method: 'get',
  path: '/sys/data-scopes/{pk}/rules',
  tags: TAGS,
  summary: 'A data scope with its rules',
  access: 'authenticated',
  errors: [404],
  request: { params: DataScopePkParamSchema },
  responses: { 200: jsonEnvelope(DataScopeWithRulesSchema, 'Data scope with rules') },
})

const list = defineRoute({
  method: 'get',
  path: '/sys/data-scopes',
  tags: TAGS,
  summary: 'Data scopes, paged (id order)',
  access: 'authenticated',
  request: { query: DataScopeListQuerySchema },
  responses: { 200: jsonEnvelope(PageDataScopeDetailSchema, 'Page of data scopes') },
})

const create = defineRoute({
  method: 'post',
  path: '/sys/data-scopes',
  tags: TAGS,
  summary: 'Create a data scope',
  access: { permission: DATA_SCOPE_PERMS.add },
  errors: [409],
  request: jsonBody(DataScopeBodySchema),
  responses: nullEnvelope('Created'),
})

const update = defineRoute({
  method: 'put',
  path: '/sys/data-scopes/{pk}',
  tags: TAGS,
  summary: 'Update a data scope (applies to every user on their next request)',
  access: { permission: DATA_SCOPE_PERMS.edit },
  errors: [404, 409],
  request: { params: DataScopePkParamSchema, ...jsonBody(DataScopeBodySchema) },
  responses: nullEnvelope('Updated'),
})

const updateRules = defineRoute({
  method: 'put',
  path: '/sys/data-scopes/{pk}/rules',
  tags: TAGS,
  summary: "Replace a data scope's rules (`[]` removes them all)",
  access: { permission: DATA_SCOPE_PERMS.editRules },
  errors: [404],
  request: { params: DataScopePkParamSchema, ...jsonBody(DataScopeRulesBodySchema) },
  responses: nullEnvelope('Rules replaced'),
})

const remove = defineRoute({
  method: 'delete',
  path: '/sys/data-scopes',
  tags: TAGS,
  summary: 'Delete data scopes (and their links to roles and rules)',
  access: { permission: DATA_SCOPE_PERMS.delete },
  request: jsonBody(DeleteDataScopesBodySchema),
  responses: nullEnvelope('Deleted'),
})

const service = (c: Context<AppEnv>) => new DataScopeService(dataScopeServiceDeps(c))

export function dataScopeRoutes() {
  return createRouter()
    .openapi(all, async (c) => ok(c, (await service(c).all()).map(toDataScopeDetail)))
    .openapi(detail, async (c) => ok(c, toDataScopeDetail(await service(c).detail(c.req.valid('param').pk))))
    .openapi(rules, async (c) => {
      const { scope, rules } = await service(c).withRules(c.req.valid('param').pk)
      return ok(c, toDataScopeWithRules(scope, rules))
    })
    .openapi(list, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await service(c).list(query)
      return ok(c, toPage(items.map(toDataScopeDetail), total, query, c.req.url))
    })
    .openapi(create, async (c) => {
      await service(c).create(c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(update, async (c) => {
      await service(c).update(c.req.valid('param').pk, c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(updateRules, async (c) => {
      await service(c).updateRules(c.req.valid('param').pk, c.req.valid('json').rules)
      return ok(c, null)
    })
    .openapi(remove, async (c) => {
      await service(c).delete(c.req.valid('json').pks)
      return ok(c, null)
    })
}
