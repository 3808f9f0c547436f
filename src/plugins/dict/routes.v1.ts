/**
 * `/sys/dict-types/*` and `/sys/dict-datas/*` (docs/fba-compatibility.md, "Dict plugin"), injected into the admin API
 * by the `dict` plugin. Fixed paths (`/all`, `/type-codes/{code}`) are registered before `/{pk}`. Reads need a
 * signed-in user; writes need the `dict:type:*` / `dict:data:*` permissions.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../http/context'
import { crudRoutes } from '../../http/crud'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
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

const service = (c: Context<AppEnv>) => new DictService(dictServiceDeps(c))

const TYPE_PERMS = { add: DICT_PERMS.typeAdd, edit: DICT_PERMS.typeEdit, delete: DICT_PERMS.typeDelete }
const DATA_PERMS = { add: DICT_PERMS.dataAdd, edit: DICT_PERMS.dataEdit, delete: DICT_PERMS.dataDelete }
const types = crudRoutes({ path: TYPES, tags: TYPE_TAGS, pk: DictTypePkParamSchema, perms: TYPE_PERMS, service })
const datas = crudRoutes({ path: DATAS, tags: DATA_TAGS, pk: DictDataPkParamSchema, perms: DATA_PERMS, service })

export function dictRoutes() {
  return createRouter()
    .openapiRoutes([
      types.all(
        { summary: 'Every dictionary type', data: DictTypeDetailSchema, description: 'Dictionary types' },
        async (s) => (await s.allTypes()).map(toDictTypeDetail),
      ),
      types.detail(
        { summary: 'A dictionary type', data: DictTypeDetailSchema, description: 'Dictionary type' },
        async (s, pk) => toDictTypeDetail(await s.type(pk)),
      ),
      types.list(
        {
          summary: 'Dictionary types, paged (newest first)',
          query: DictTypeListQuerySchema,
          page: PageDictTypeDetailSchema,
          description: 'Page of dictionary types',
        },
        (s, query) => s.listTypes(query),
        toDictTypeDetail,
      ),
      types.create(
        { summary: 'Create a dictionary type', errors: [409], body: DictTypeBodySchema, description: 'Created' },
        (s, body) => s.createType(body),
      ),
      types.update(
        {
          summary: "Update a dictionary type (a new code is carried over to the type's values)",
          errors: [409],
          body: DictTypeBodySchema,
          description: 'Updated',
        },
        (s, pk, body) => s.updateType(pk, body),
      ),
      types.remove(
        { summary: 'Delete dictionary types and their values', body: DeletePksBodySchema, description: 'Deleted' },
        (s, { pks }) => s.deleteTypes(pks),
      ),
      datas.all(
        { summary: 'Every dictionary value', data: DictDataDetailSchema, description: 'Dictionary values' },
        async (s) => (await s.allDatas()).map(toDictDataDetail),
      ),
      datas.detail(
        { summary: 'A dictionary value (cached)', data: DictDataDetailSchema, description: 'Dictionary value' },
        (s, pk) => s.data(pk),
      ),
      datas.list(
        {
          summary: 'Dictionary values, paged (sort order)',
          query: DictDataListQuerySchema,
          page: PageDictDataDetailSchema,
          description: 'Page of dictionary values',
        },
        (s, query) => s.listDatas(query),
        toDictDataDetail,
      ),
      datas.create(
        { summary: 'Create a dictionary value', errors: [404, 409], body: DictDataBodySchema, description: 'Created' },
        (s, body) => s.createData(body),
      ),
      datas.update(
        { summary: 'Update a dictionary value', errors: [409], body: DictDataBodySchema, description: 'Updated' },
        (s, pk, body) => s.updateData(pk, body),
      ),
      datas.remove(
        { summary: 'Delete dictionary values', body: DeletePksBodySchema, description: 'Deleted' },
        (s, { pks }) => s.deleteDatas(pks),
      ),
    ])
    .openapi(datasByTypeCode, async (c) => ok(c, await service(c).datasByTypeCode(c.req.valid('param').code)))
}
