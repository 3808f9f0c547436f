/**
 * Tasks and schedules (docs/tasks.md): the task registry's consumer route that QStash delivers to, fba's task API
 * (registered tasks, cancel, results, schedulers) and the scheduler dispatcher run by the cron trigger.
 */

import { lazyRoutes } from '../../http/lazy-routes'
import { createRouter } from '../../http/router'
import type { AppCatalogue } from '../module'
import { defineDomain } from '../module'
import { DEMO_TASKS } from './demo-tasks'
import { tasksMessages } from './messages'
import { TASK_PERMS } from './perms'
import * as schema from './schema'
import { seedSchedulers } from './seed'

export const tasksModule = defineDomain({
  name: 'tasks',
  routes: {
    v1: lazyRoutes(async () => {
      const [{ deliveryRoutes }, { taskResultRoutes }, { schedulerRoutes }] = await Promise.all([
        import('./routes.deliveries'),
        import('./routes.results'),
        import('./routes.schedulers'),
      ])
      return (app: AppCatalogue) =>
        createRouter()
          .route('/', deliveryRoutes(app))
          .route('/', taskResultRoutes(app))
          .route('/', schedulerRoutes(app))
    }),
  },
  tables: schema,
  seed: seedSchedulers,
  // fba seeds the two scheduler pages without buttons; these carry the task routes' codes (docs/tasks.md).
  menus: [
    { name: 'ViewSysTask', title: '查看', parent: 'SchedulerManage', type: 2, perms: TASK_PERMS.view, display: 0 },
    { name: 'AddSysTask', title: '新增', parent: 'SchedulerManage', type: 2, perms: TASK_PERMS.add, display: 0 },
    { name: 'EditSysTask', title: '修改', parent: 'SchedulerManage', type: 2, perms: TASK_PERMS.edit, display: 0 },
    { name: 'DeleteSysTask', title: '删除', parent: 'SchedulerManage', type: 2, perms: TASK_PERMS.del, display: 0 },
    { name: 'ExecSysTask', title: '执行', parent: 'SchedulerManage', type: 2, perms: TASK_PERMS.exec, display: 0 },
    {
      name: 'ViewSysTaskResult',
      title: '查看',
      parent: 'SchedulerRecord',
      type: 2,
      perms: TASK_PERMS.view,
      display: 0,
    },
    {
      name: 'RevokeSysTask',
      title: '撤销',
      parent: 'SchedulerRecord',
      type: 2,
      perms: TASK_PERMS.revoke,
      display: 0,
    },
    {
      name: 'DeleteSysTaskResult',
      title: '删除',
      parent: 'SchedulerRecord',
      type: 2,
      perms: TASK_PERMS.del,
      display: 0,
    },
  ],
  permissions: TASK_PERMS,
  messages: tasksMessages,
  tasks: DEMO_TASKS,
})
