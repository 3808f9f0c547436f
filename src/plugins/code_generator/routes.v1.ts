/**
 * `/code-generation/*` (docs/fba-compatibility.md, "Code generator plugin"): an app plugin's routes under their own
 * prefix, behind the plugin's gate. Reads need a signed-in user; writes need `codegen:business|column:add|edit|del`;
 * the table list and the import need `codegen:table:import` (fba leaves the list public, §14 quirk 7); writing to
 * disk needs `codegen:local:write` and development.
 */
import { z } from '@hono/zod-openapi'
import { crudRoutes } from '../../http/crud'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { databaseTables } from './catalogue'
import { COLUMN_TYPE_NAMES } from './core/column-types'
import {
  BusinessBodySchema,
  BusinessDetailSchema,
  BusinessListQuerySchema,
  BusinessPkParamSchema,
  ColumnBodySchema,
  ColumnDetailSchema,
  ColumnPkParamSchema,
  ColumnTypesSchema,
  DatabaseTableSchema,
  ImportBodySchema,
  PageBusinessDetailSchema,
  PathsSchema,
  PreviewSchema,
  TablesQuerySchema,
  toBusinessDetail,
  toColumnDetail,
  WriteQuerySchema,
} from './dto'
import { GenerationService } from './generation'
import { BUSINESS_PERMS, CODEGEN_PERMS, COLUMN_PERMS } from './perms'
import { BusinessService, ColumnService, codegenServiceDeps } from './service'
import { codegenEnvSettings } from './settings'
import { assertDevelopment, writeThroughLocalWriter } from './writer'

const BUSINESS_TAGS = ['Code generator: businesses']
const COLUMN_TAGS = ['Code generator: model columns']
const GENERATION_TAGS = ['Code generator: generation']

const businesses = crudRoutes({
  path: '/code-generation/businesses',
  tags: BUSINESS_TAGS,
  pk: BusinessPkParamSchema,
  perms: BUSINESS_PERMS,
  service: (c) => new BusinessService(codegenServiceDeps(c)),
})

const columns = crudRoutes({
  path: '/code-generation/columns',
  tags: COLUMN_TAGS,
  pk: ColumnPkParamSchema,
  perms: COLUMN_PERMS,
  service: (c) => new ColumnService(codegenServiceDeps(c)),
})

const businessColumns = defineRoute({
  method: 'get',
  path: '/code-generation/businesses/{pk}/columns',
  tags: BUSINESS_TAGS,
  summary: "A business's model columns (in sort order)",
  access: 'authenticated',
  errors: [404],
  request: { params: BusinessPkParamSchema },
  responses: { 200: jsonEnvelope(z.array(ColumnDetailSchema), 'Model columns') },
})

const columnTypes = defineRoute({
  method: 'get',
  path: '/code-generation/columns/types',
  tags: COLUMN_TAGS,
  summary: 'The column types the generator knows (sorted)',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(ColumnTypesSchema, 'Column type names') },
})

const tables = defineRoute({
  method: 'get',
  path: '/code-generation/generations/tables',
  tags: GENERATION_TAGS,
  summary: "The database's tables (internal and gen_* tables excluded)",
  access: { permission: CODEGEN_PERMS.import },
  request: { query: TablesQuerySchema },
  responses: { 200: jsonEnvelope(z.array(DatabaseTableSchema), 'Tables') },
})

const importTable = defineRoute({
  method: 'post',
  path: '/code-generation/generations/imports',
  tags: GENERATION_TAGS,
  summary: 'Import a table as a business with its columns (development only)',
  access: { permission: CODEGEN_PERMS.import },
  errors: [400, 404, 409],
  request: jsonBody(ImportBodySchema),
  responses: nullEnvelope('Table imported'),
})

const generationParams = { params: BusinessPkParamSchema }

const preview = defineRoute({
  method: 'get',
  path: '/code-generation/generations/{pk}/preview',
  tags: GENERATION_TAGS,
  summary: 'Preview the generated files (path → text)',
  access: 'authenticated',
  errors: [400, 404],
  request: generationParams,
  responses: { 200: jsonEnvelope(PreviewSchema, 'Generated files') },
})

const paths = defineRoute({
  method: 'get',
  path: '/code-generation/generations/{pk}/paths',
  tags: GENERATION_TAGS,
  summary: 'Where the generated files go',
  access: 'authenticated',
  errors: [400, 404],
  request: generationParams,
  responses: { 200: jsonEnvelope(PathsSchema, 'Target paths') },
})

const write = defineRoute({
  method: 'post',
  path: '/code-generation/generations/{pk}',
  tags: GENERATION_TAGS,
  summary: 'Write the generated files into the checkout (development only, through `npm run dev`)',
  access: { permission: CODEGEN_PERMS.write },
  errors: [400, 404, 409, 503],
  request: { ...generationParams, query: WriteQuerySchema },
  responses: nullEnvelope('Files written'),
})

const download = defineRoute({
  method: 'get',
  path: '/code-generation/generations/{pk}',
  tags: GENERATION_TAGS,
  summary: 'Download the generated files as a ZIP',
  access: 'authenticated',
  errors: [400, 404],
  request: generationParams,
  responses: {
    200: {
      description:
        'ZIP archive (`Content-Disposition: attachment; filename=<CODE_GENERATOR_DOWNLOAD_ZIP_FILENAME>.zip`)',
      content: { 'application/x-zip-compressed': { schema: z.string().openapi({ format: 'binary' }) } },
    },
  },
})

type Ctx = Parameters<typeof codegenServiceDeps>[0]
const generation = (c: Ctx) => new GenerationService(codegenServiceDeps(c).db)

export function codeGeneratorRoutes() {
  return createRouter()
    .openapiRoutes([
      businesses.all({ summary: 'Every business', data: BusinessDetailSchema, description: 'Businesses' }, async (s) =>
        (await s.all()).map(toBusinessDetail),
      ),
      businesses.detail({ summary: 'A business', data: BusinessDetailSchema, description: 'Business' }, async (s, pk) =>
        toBusinessDetail(await s.get(pk)),
      ),
      businesses.list(
        {
          summary: 'Businesses, paged (newest first)',
          query: BusinessListQuerySchema,
          page: PageBusinessDetailSchema,
          description: 'Page of businesses',
        },
        (s, query) => s.list(query),
        toBusinessDetail,
      ),
      businesses.create(
        { summary: 'Create a business', body: BusinessBodySchema, description: 'Business created', errors: [400, 409] },
        (s, body) => s.create(body),
      ),
      businesses.update(
        { summary: 'Update a business', body: BusinessBodySchema, description: 'Business updated', errors: [400, 409] },
        (s, pk, body) => s.update(pk, body),
      ),
      businesses.removeOne({ summary: 'Delete a business and its columns', description: 'Business deleted' }, (s, pk) =>
        s.delete(pk),
      ),
    ])
    .openapi(businessColumns, async (c) => {
      const rows = await new BusinessService(codegenServiceDeps(c)).columnsOf(c.req.valid('param').pk)
      return ok(c, rows.map(toColumnDetail))
    })
    .openapi(columnTypes, (c) => ok(c, [...COLUMN_TYPE_NAMES]))
    .openapiRoutes([
      columns.detail(
        { summary: 'A model column', data: ColumnDetailSchema, description: 'Model column' },
        async (s, pk) => toColumnDetail(await s.get(pk)),
      ),
      columns.create(
        { summary: 'Create a model column', body: ColumnBodySchema, description: 'Column created', errors: [409] },
        (s, body) => s.create(body),
      ),
      columns.update(
        { summary: 'Update a model column', body: ColumnBodySchema, description: 'Column updated', errors: [409] },
        (s, pk, body) => s.update(pk, body),
      ),
      columns.removeOne({ summary: 'Delete a model column', description: 'Column deleted' }, (s, pk) => s.delete(pk)),
    ])
    .openapi(tables, async (c) => ok(c, await databaseTables(codegenServiceDeps(c).db)))
    .openapi(importTable, async (c) => {
      assertDevelopment(c.get('config').ENVIRONMENT)
      await generation(c).importTable(c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(preview, async (c) => ok(c, (await generation(c).generate(c.req.valid('param').pk)).files))
    .openapi(paths, async (c) => {
      const { model, files } = await generation(c).generate(c.req.valid('param').pk)
      return ok(c, GenerationService.targetPaths(model.spec, files))
    })
    .openapi(write, async (c) => {
      assertDevelopment(c.get('config').ENVIRONMENT)
      const { model, files, registration } = await generation(c).generate(c.req.valid('param').pk)
      await writeThroughLocalWriter(codegenEnvSettings(c.env), {
        files,
        registration,
        table: model.spec.table_name,
        force: c.req.valid('query').force,
      })
      return ok(c, null)
    })
    .openapi(download, async (c) => {
      const { files } = await generation(c).generate(c.req.valid('param').pk)
      const name = codegenEnvSettings(c.env).CODE_GENERATOR_DOWNLOAD_ZIP_FILENAME
      return c.body((await GenerationService.zip(files)) as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'application/x-zip-compressed',
        'Content-Disposition': `attachment; filename=${name}.zip`,
      })
    })
}
