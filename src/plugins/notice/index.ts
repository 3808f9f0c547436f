/**
 * The `notice` plugin (fba's `notice`): system notices and announcements. Extends the admin API under
 * `/api/v1/sys/notices` and adds its menu (System → Notices) with three buttons. The worked example of
 * docs/plugins.md; see ./README.md.
 */
import { lazyRoutes } from '../../http/lazy-routes'
import { definePlugin } from '../types'
import { NOTICE_CONSUMERS } from './consumers'
import { NOTICE_EVENTS } from './events'
import { noticeMessages } from './messages'
import { sysNotice } from './schema'
import { NOTICE_MENUS, noticeSeed } from './seed'

export const noticePlugin = definePlugin({
  name: 'notice',
  version: '0.0.2',
  summary: 'Notices',
  description: 'System notices and announcements, published from the admin UI.',
  author: 'Stratum',
  tags: ['notification'],
  kind: 'extend',
  extends: 'admin',
  messages: noticeMessages,
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.noticeRoutes)) },
  tables: { sysNotice },
  menus: NOTICE_MENUS,
  seed: noticeSeed,
  events: NOTICE_EVENTS,
  consumers: NOTICE_CONSUMERS,
})

export default noticePlugin
