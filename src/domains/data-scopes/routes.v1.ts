/** `/sys/data-scopes/*` (docs/fba-compatibility.md, "Data scopes"). `/all` is registered before `/{pk}`. */
import type { Context } from 'hono'
import type { AppEnv } from '../../http/context'
import { crudRoutes } from '../../http/crud'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope } from '../../http/openapi'
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

const service = (c: Context<AppEnv>) => new DataScopeService(dataScopeServiceDeps(c))

const scopes = crudRoutes({
  path: '/sys/data-scopes',
  tags: TAGS,
  pk: DataScopePkParamSchema,
  perms: DATA_SCOPE_PERMS,
  service,
})

export function dataScopeRoutes() {
  return createRouter()
    .openapiRoutes([
      scopes.all({ summary: 'Every data scope', data: DataScopeDetailSchema, description: 'Data scopes' }, async (s) =>
        (await s.all()).map(toDataScopeDetail),
      ),
      scopes.detail(
        { summary: 'A data scope', data: DataScopeDetailSchema, description: 'Data scope' },
        async (s, pk) => toDataScopeDetail(await s.detail(pk)),
      ),
      scopes.list(
        {
          summary: 'Data scopes, paged (id order)',
          query: DataScopeListQuerySchema,
          page: PageDataScopeDetailSchema,
          description: 'Page of data scopes',
        },
        (s, query) => s.list(query),
        toDataScopeDetail,
      ),
      scopes.create({
        summary: 'Create a data scope',
        errors: [409],
        body: DataScopeBodySchema,
        description: 'Created',
      }),
      scopes.update({
        summary: 'Update a data scope (applies to every user on their next request)',
        errors: [409],
        body: DataScopeBodySchema,
        description: 'Updated',
      }),
      scopes.remove({
        summary: 'Delete data scopes (and their links to roles and rules)',
        body: DeleteDataScopesBodySchema,
        description: 'Deleted',
      }),
    ])
    .openapi(rules, async (c) => {
      const { scope, rules } = await service(c).withRules(c.req.valid('param').pk)
      return ok(c, toDataScopeWithRules(scope, rules))
    })
    .openapi(updateRules, async (c) => {
      await service(c).updateRules(c.req.valid('param').pk, c.req.valid('json').rules)
      return ok(c, null)
    })
}
