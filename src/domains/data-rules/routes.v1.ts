/**
 * `/sys/data-rules/*` (docs/fba-compatibility.md, "Data rules"). The fixed paths (`/models`,
 * `/value-template-variables`, `/all`) are registered before `/{pk}`.
 */
import type { Context } from 'hono'
import { toPage } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { ModelCatalogue, valueTemplateVariables } from './catalogue'
import {
  DataRuleBodySchema,
  DataRuleDetailSchema,
  DataRuleListQuerySchema,
  DataRuleModelParamSchema,
  DataRulePkParamSchema,
  DeleteDataRulesBodySchema,
  PageDataRuleDetailSchema,
  TemplateVariableSchema,
  toDataRuleDetail,
} from './dto'
import { DATA_RULE_PERMS } from './perms'
import { DataRuleService, dataRuleServiceDeps } from './service'

const TAGS = ['System data rules']

const models = defineRoute({
  method: 'get',
  path: '/sys/data-rules/models',
  tags: TAGS,
  summary: 'Models a rule may target: `__ALL__` and every model name',
  access: 'authenticated',
  responses: {
    200: jsonEnvelope(z.array(z.string()).openapi({ example: ['__ALL__', 'Dept', 'User'] }), 'Model names'),
  },
})

const columns = defineRoute({
  method: 'get',
  path: '/sys/data-rules/models/{model}/columns',
  tags: TAGS,
  summary: "A model's columns a rule may name, plus the column templates",
  access: 'authenticated',
  errors: [404],
  request: { params: DataRuleModelParamSchema },
  responses: { 200: jsonEnvelope(z.array(TemplateVariableSchema), 'Columns') },
})

const valueTemplates = defineRoute({
  method: 'get',
  path: '/sys/data-rules/value-template-variables',
  tags: TAGS,
  summary: 'Variables a rule value may use',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(TemplateVariableSchema), 'Value template variables') },
})

const all = defineRoute({
  method: 'get',
  path: '/sys/data-rules/all',
  tags: TAGS,
  summary: 'Every data rule',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(DataRuleDetailSchema), 'Data rules') },
})

const detail = defineRoute({
  method: 'get',
  path: '/sys/data-rules/{pk}',
  tags: TAGS,
  summary: 'A data rule',
  access: 'authenticated',
  errors: [404],
  request: { params: DataRulePkParamSchema },
  responses: { 200: jsonEnvelope(DataRuleDetailSchema, 'Data rule') },
})

const list = defineRoute({
  method: 'get',
  path: '/sys/data-rules',
  tags: TAGS,
  summary: 'Data rules, paged (id order)',
  access: 'authenticated',
  request: { query: DataRuleListQuerySchema },
  responses: { 200: jsonEnvelope(PageDataRuleDetailSchema, 'Page of data rules') },
})

const create = defineRoute({
  method: 'post',
  path: '/sys/data-rules',
  tags: TAGS,
  summary: 'Create a data rule',
  access: { permission: DATA_RULE_PERMS.add },
  errors: [409],
  request: jsonBody(DataRuleBodySchema),
  responses: nullEnvelope('Created'),
})

const update = defineRoute({
  method: 'put',
  path: '/sys/data-rules/{pk}',
  tags: TAGS,
  summary: 'Update a data rule (applies to every user on their next request)',
  access: { permission: DATA_RULE_PERMS.edit },
  errors: [404, 409],
  request: { params: DataRulePkParamSchema, ...jsonBody(DataRuleBodySchema) },
  responses: nullEnvelope('Updated'),
})

const remove = defineRoute({
  method: 'delete',
  path: '/sys/data-rules',
  tags: TAGS,
  summary: 'Delete data rules (and their links to data scopes)',
  access: { permission: DATA_RULE_PERMS.delete },
  request: jsonBody(DeleteDataRulesBodySchema),
  responses: nullEnvelope('Deleted'),
})

/** `app.tables`: the tables rules may target (every domain table the app lists). */
export function dataRuleRoutes(app: { tables: Readonly<Record<string, unknown>> }) {
  const catalogue = new ModelCatalogue(app.tables)
  const service = (c: Context<AppEnv>) => new DataRuleService(dataRuleServiceDeps(c, catalogue))
  return createRouter()
    .openapi(models, (c) => ok(c, catalogue.models()))
    .openapi(columns, (c) => ok(c, service(c).columns(c.req.valid('param').model)))
    .openapi(valueTemplates, (c) => ok(c, valueTemplateVariables(c.get('lang'))))
    .openapi(all, async (c) => ok(c, (await service(c).all()).map(toDataRuleDetail)))
    .openapi(detail, async (c) => ok(c, toDataRuleDetail(await service(c).detail(c.req.valid('param').pk))))
    .openapi(list, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await service(c).list(query)
      return ok(c, toPage(items.map(toDataRuleDetail), total, query, c.req.url))
    })
    .openapi(create, async (c) => {
      await service(c).create(c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(update, async (c) => {
      await service(c).update(c.req.valid('param').pk, c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(remove, async (c) => {
      await service(c).delete(c.req.valid('json').pks)
      return ok(c, null)
    })
}
