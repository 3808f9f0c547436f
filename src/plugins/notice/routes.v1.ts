/**
 * `/sys/notices/*` (docs/fba-compatibility.md, "Notice plugin"), injected into the admin API by the `notice` plugin
 * (behind its gate). Reads need a signed-in user; writes need `sys:notice:add|edit|del`.
 */

import { crudRoutes } from '../../http/crud'
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

const notices = crudRoutes({
  path: '/sys/notices',
  tags: ['System notices'],
  pk: NoticePkParamSchema,
  perms: NOTICE_PERMS,
  service: (c) => new NoticeService(noticeServiceDeps(c)),
})

export function noticeRoutes() {
  return createRouter().openapiRoutes([
    notices.detail({ summary: 'A notice', data: NoticeDetailSchema, description: 'Notice' }, async (s, pk) =>
      toNoticeDetail(await s.get(pk)),
    ),
    notices.list(
      {
        summary: 'Notices, paged (newest first)',
        query: NoticeListQuerySchema,
        page: PageNoticeDetailSchema,
        description: 'Page of notices',
      },
      (s, query) => s.list(query),
      toNoticeDetail,
    ),
    notices.create({ summary: 'Create a notice', body: NoticeBodySchema, description: 'Notice created' }),
    notices.update({ summary: 'Update a notice', body: NoticeBodySchema, description: 'Notice updated' }),
    notices.remove({
      summary: 'Delete notices (ids already gone are ignored)',
      body: DeleteNoticesBodySchema,
      description: 'Notices deleted',
    }),
  ])
}
