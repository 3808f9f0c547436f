/**
 * `/sys/notices/*` (docs/fba-compatibility.md, "Notice plugin"), injected into the admin API by the `notice` plugin
 * (behind its gate). Reads need a signed-in user; writes need `sys:notice:add|edit|del`.
 */

import { toPage } from '../../core/pagination'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import {
  DeleteNoticesBodySchema,
  NoticeBodySchema,
  NoticeDetailSchema,
  NoticeListQuerySchema,
  NoticePkParamSchema,
  PageNoticeDetailSchema,
  toNoticeDetail,
} from './dto'
import { NOTICE_PERMS } from './perms'
import { NoticeService, noticeServiceDeps } from './service'

const TAGS = ['System notices']

const detail = defineRoute({
  method: 'get',
  path: '/sys/notices/{pk}',
  tags: TAGS,
  summary: 'A notice',
  access: 'authenticated',
  errors: [404],
  request: { params: NoticePkParamSchema },
  responses: { 200: jsonEnvelope(NoticeDetailSchema, 'Notice') },
})

const list = defineRoute({
  method: 'get',
  path: '/sys/notices',
  tags: TAGS,
  summary: 'Notices, paged (newest first)',
  access: 'authenticated',
  request: { query: NoticeListQuerySchema },
  responses: { 200: jsonEnvelope(PageNoticeDetailSchema, 'Page of notices') },
})

const create = defineRoute({
  method: 'post',
  path: '/sys/notices',
  tags: TAGS,
  summary: 'Create a notice',
  access: { permission: NOTICE_PERMS.add },
  request: jsonBody(NoticeBodySchema),
  responses: nullEnvelope('Notice created'),
})

const update = defineRoute({
  method: 'put',
  path: '/sys/notices/{pk}',
  tags: TAGS,
  summary: 'Update a notice',
  access: { permission: NOTICE_PERMS.edit },
  errors: [404],
  request: { params: NoticePkParamSchema, ...jsonBody(NoticeBodySchema) },
  responses: nullEnvelope('Notice updated'),
})

const remove = defineRoute({
  method: 'delete',
  path: '/sys/notices',
  tags: TAGS,
  summary: 'Delete notices (ids already gone are ignored)',
  access: { permission: NOTICE_PERMS.delete },
  request: jsonBody(DeleteNoticesBodySchema),
  responses: nullEnvelope('Notices deleted'),
})

export function noticeRoutes() {
  const service = (c: Parameters<typeof noticeServiceDeps>[0]) => new NoticeService(noticeServiceDeps(c))
  return createRouter()
    .openapi(detail, async (c) => ok(c, toNoticeDetail(await service(c).get(c.req.valid('param').pk))))
    .openapi(list, async (c) => {
      const query = c.req.valid('query')
      const { items, total } = await service(c).list(query)
      return ok(c, toPage(items.map(toNoticeDetail), total, query, c.req.url))
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
