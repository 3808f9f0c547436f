/**
 * `/sys/dict-types/*` and `/sys/dict-datas/*` (docs/fba-compatibility.md, "Dict plugin"), injected into the admin API
 * by the `dict` plugin. Fixed paths (`/all`, `/type-codes/{code}`) are registered before `/{pk}`. Reads need a
 * signed-in user; writes need the `dict:type:*` / `dict:data:*` permissions.
 */
import type { Context } from 'hono'
import { toPage } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import {
  DeletePksBodySchema,
  DictDataBodySchema,
  DictDataDetailSchema,
  DictDataListQuerySchema,
  DictDataPkParamSchema,
  DictTypeBodySchema,
  DictTypeCodeParamSchema,
  DictTypeDetailSchema,
  DictTypeListQuerySchema,
  DictTypePkParamSchema,
  PageDictDataDetailSchema,
  PageDictTypeDetailSchema,
  toDictDataDetail,
  toDictTypeDetail,
} from './dto'
import { DICT_PERMS } from './perms'
import { DictService, dictServiceDeps } from './service'

const TYPE_TAGS = ['System dictionary types']
const DATA_TAGS = ['System dictionary values']
const TYPES = '/sys/dict-types'
const DATAS = '/sys/dict-datas'

// ---- types ---------------------------------------------------------------------------------------------------------

const allTypes = defineRoute({
  method: 'get',
  path: `${TYPES}/all`,
  tags: TYPE_TAGS,
  summary: 'Every dictionary type',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(DictTypeDetailSchema), 'Dictionary types') },
})

const typeDetail = defineRoute({
  method: 'get',
  path: `${TYPES}/{pk}`,
  tags: TYPE_TAGS,
  summary: 'A dictionary type',
  access: 'authenticated',
  errors: [404],
  request: { params: DictTypePkParamSchema },
  responses: { 200: jsonEnvelope(DictTypeDetailSchema, 'Dictionary type') },
})

const listTypes = defineRoute({
  method: 'get',
  path: TYPES,
  tags: TYPE_TAGS,
  summary: 'Dictionary types, paged (newest first)',
  access: 'authenticated',
  request: { query: DictTypeListQuerySchema },
  responses: { 200: jsonEnvelope(PageDictTypeDetailSchema, 'Page of dictionary types') },
})

const createType = defineRoute({
  method: 'post',
  path: TYPES,
  tags: TYPE_TAGS,
  summary: 'Create a dictionary type',
  access: { permission: DICT_PERMS.typeAdd },
  errors: [409],
  request: jsonBody(DictTypeBodySchema),
  responses: nullEnvelope('Created'),
})

const updateType = defineRoute({
  method: 'put',
  path: `${TYPES}/{pk}`,
  tags: TYPE_TAGS,
  summary: "Update a dictionary type (a new code is carried over to the type's values)",
  access: { permission: DICT_PERMS.typeEdit },
  errors: [404, 409],
  request: { params: DictTypePkParamSchema, ...jsonBody(DictTypeBodySchema) },
  responses: nullEnvelope('Updated'),
})

const deleteTypes = defineRoute({
  method: 'delete',
  path: TYPES,
  tags: TYPE_TAGS,
  summary: 'Delete dictionary types and their values',
  access: { permission: DICT_PERMS.typeDelete },
  request: jsonBody(DeletePksBodySchema),
  responses: nullEnvelope('Deleted'),
})

// ---- values --------------------------------------------------------------------------------------------------------

const allDatas = defineRoute({
  method: 'get',
  path: `${DATAS}/all`,
  tags: DATA_TAGS,
  summary: 'Every dictionary value',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(DictDataDetailSchema), 'Dictionary values') },
})

const datasByTypeCode = defineRoute({
  method: 'get',
  path: `${DATAS}/type-codes/{code}`,
  tags: DATA_TAGS,
  summary: 'The enabled values of a dictionary type, highest sort first (cached)',
  access: 'authenticated',
  errors: [404],
  request: { params: DictTypeCodeParamSchema },
  responses: { 200: jsonEnvelope(z.array(DictDataDetailSchema), 'Dictionary values') },
})

const dataDetail = defineRoute({
  method: 'get',
  path: `${DATAS}/{pk}`,
  tags: DATA_TAGS,
  summary: 'A dictionary value (cached)',
  access: 'authenticated',
  errors: [404],
  request: { params: DictDataPkParamSchema },
  responses: { 200: jsonEnvelope(DictDataDetailSchema, 'Dictionary value') },
})

const listDatas = defineRoute({
  method: 'get',
  path: DATAS,
  tags: DATA_TAGS,
  summary: 'Dictionary values, paged (sort order)',
  access: 'authenticated',
  request: { query: DictDataListQuerySchema },
  responses: { 200: jsonEnvelope(PageDictDataDetailSchema, 'Page of dictionary values') },
})

const createData = defineRoute({
  method: 'post',
  path: DATAS,
  tags: DATA_TAGS,
  summary: 'Create a dictionary value',
  access: { permission: DICT_PERMS.dataAdd },
  errors: [404, 409],
  request: jsonBody(DictDataBodySchema),
  responses: nullEnvelope('Created'),
})

const updateData = defineRoute({
  method: 'put',
  path: `${DATAS}/{pk}`,
  tags: DATA_TAGS,
  summary: 'Update a dictionary value',
  access: { permission: DICT_PERMS.dataEdit },
  errors: [404, 409],
  request: { params: DictDataPkParamSchema, ...jsonBody(DictDataBodySchema) },
  responses: nullEnvelope('Updated'),
})

const deleteDatas = defineRoute({
  method: 'delete',
  path: DATAS,
  tags: DATA_TAGS,
  summary: 'Delete dictionary values',
  access: { permission: DICT_PERMS.dataDelete },
  request: jsonBody(DeletePksBodySchema),
  responses: nullEnvelope('Deleted'),
})

const service = (c: Context<AppEnv>) => new DictService(dictServiceDeps(c))

export function dictRoutes() {
  return createRouter()
    .openapi(allTypes, async (c) => ok(c, (await service(c).allTypes()).map(toDictTypeDetail)))
    .openapi(typeDetail, async (c) => ok(c, toDictTypeDetail(await service(c).type(c.req.valid('param').pk))))
    .openapi(listTypes, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await service(c).listTypes(query)
      return ok(c, toPage(items.map(toDictTypeDetail), total, query, c.req.url))
    })
    .openapi(createType, async (c) => {
      await service(c).createType(c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(updateType, async (c) => {
      await service(c).updateType(c.req.valid('param').pk, c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(deleteTypes, async (c) => {
      await service(c).deleteTypes(c.req.valid('json').pks)
      return ok(c, null)
    })
    .openapi(allDatas, async (c) => ok(c, (await service(c).allDatas()).map(toDictDataDetail)))
    .openapi(datasByTypeCode, async (c) => ok(c, await service(c).datasByTypeCode(c.req.valid('param').code)))
    .openapi(dataDetail, async (c) => ok(c, await service(c).data(c.req.valid('param').pk)))
    .openapi(listDatas, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await service(c).listDatas(query)
      return ok(c, toPage(items.map(toDictDataDetail), total, query, c.req.url))
    })
    .openapi(createData, async (c) => {
      await service(c).createData(c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(updateData, async (c) => {
      await service(c).updateData(c.req.valid('param').pk, c.req.valid('json'))
      return ok(c, null)
    })
    .openapi(deleteDatas, async (c) => {
      await service(c).deleteDatas(c.req.valid('json').pks)
      return ok(c, null)
    })
}
