/**
 * `/sys/data-rules/*` (docs/fba-compatibility.md, "Data rules"). The fixed paths (`/models`,
 * `/value-template-variables`, `/all`) are registered before `/{pk}`.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../http/context'
import { crudRoutes } from '../../http/crud'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
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

/** `app.tables`: the tables rules may target (every domain table the app lists). */
export function dataRuleRoutes(app: { tables: Readonly<Record<string, unknown>> }) {
  const catalogue = new ModelCatalogue(app.tables)
  const service = (c: Context<AppEnv>) => new DataRuleService(dataRuleServiceDeps(c, catalogue))
  const rules = crudRoutes({
    path: '/sys/data-rules',
    tags: TAGS,
    pk: DataRulePkParamSchema,
    perms: DATA_RULE_PERMS,
    service,
  })
  return createRouter()
    .openapi(models, (c) => ok(c, catalogue.models()))
    .openapi(columns, (c) => ok(c, service(c).columns(c.req.valid('param').model)))
    .openapi(valueTemplates, (c) => ok(c, valueTemplateVariables(c.get('lang'))))
    .openapiRoutes([
      rules.all({ summary: 'Every data rule', data: DataRuleDetailSchema, description: 'Data rules' }, async (s) =>
        (await s.all()).map(toDataRuleDetail),
      ),
      rules.detail({ summary: 'A data rule', data: DataRuleDetailSchema, description: 'Data rule' }, async (s, pk) =>
        toDataRuleDetail(await s.detail(pk)),
      ),
      rules.list(
        {
          summary: 'Data rules, paged (id order)',
          query: DataRuleListQuerySchema,
          page: PageDataRuleDetailSchema,
          description: 'Page of data rules',
        },
        (s, query) => s.list(query),
        toDataRuleDetail,
      ),
      rules.create({ summary: 'Create a data rule', errors: [409], body: DataRuleBodySchema, description: 'Created' }),
      rules.update({
        summary: 'Update a data rule (applies to every user on their next request)',
        errors: [409],
        body: DataRuleBodySchema,
        description: 'Updated',
      }),
      rules.remove({
        summary: 'Delete data rules (and their links to data scopes)',
        body: DeleteDataRulesBodySchema,
        description: 'Deleted',
      }),
    ])
}
