/**
 * Domain events (docs/events.md): the outbox and the processed-message records (events themselves live with their
 * domains), and the admin API of the event DLQ.
 */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { eventsMessages } from './messages'
import { EVENT_PERMS } from './perms'
import * as schema from './schema'

export const eventsModule = defineDomain({
  name: 'events',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.eventRoutes)) },
  tables: schema,
  // fba has no events page: the DLQ's codes sit beside the task DLQ's, on the 任务记录 page (background work that
  // failed), so a role can be granted them from the admin UI.
  menus: [
    {
      name: 'ViewSysEventDlq',
      title: '查看事件死信',
      parent: 'SchedulerRecord',
      type: 2,
      perms: EVENT_PERMS.view,
      display: 0,
    },
    {
      name: 'RetrySysEventDlq',
      title: '重试事件死信',
      parent: 'SchedulerRecord',
      type: 2,
      perms: EVENT_PERMS.retry,
      display: 0,
    },
  ],
  permissions: EVENT_PERMS,
  messages: eventsMessages,
})
