/**
 * Seeded schedules: fba's built-in beat schedule, where it makes sense here (docs/tasks.md, "Built-in schedules").
 * The log clean-ups are on (they keep `keep_days`, 30 by default). The demo schedules are seeded OFF: switched on, a
 * fresh deployment would run demo tasks every hour (and every minute) for ever, spending QStash messages; an
 * administrator switches one on to try it. fba's 30-second demo interval is below the cron trigger's minute, so it
 * runs every 60 seconds. Inserted by name with `ON CONFLICT DO NOTHING`: a re-run never overwrites an edited row.
 */
import type { SeedContext, SeedStep } from '../module'
import { type NewTaskScheduler, SCHEDULE_TYPES, taskScheduler } from './schema'

const crontab = (name: string, task: string, expression: string, fields: Partial<NewTaskScheduler> = {}) =>
  ({ name, task, type: SCHEDULE_TYPES.crontab, crontab: expression, ...fields }) satisfies NewTaskScheduler

export const SCHEDULER_SEED: readonly NewTaskScheduler[] = [
  crontab('清理登录日志', 'delete_db_login_log', '0 0 15 * *', {
    remark: 'Deletes login logs older than keep_days (default 30) at 00:00 on the 15th of each month',
  }),
  crontab('清理操作日志', 'delete_db_opera_log', '0 0 * * 6', {
    remark: 'Deletes operation logs older than keep_days (default 30) at 00:00 every Saturday',
  }),
  {
    name: '测试同步任务',
    task: 'task_demo',
    type: SCHEDULE_TYPES.interval,
    intervalEvery: 60,
    intervalPeriod: 'seconds',
    enabled: false,
    remark: 'Demo; fba runs it every 30 s, the cron trigger allows every 60 s',
  },
  crontab('测试异步任务', 'task_demo_async', '1 * * * *', { enabled: false, remark: 'Demo' }),
  crontab('测试传参任务', 'task_demo_params', '1 * * * *', {
    args: ['你好，'],
    kwargs: { world: '世界' },
    enabled: false,
    remark: 'Demo',
  }),
]

export function seedSchedulers({ db }: SeedContext): SeedStep[] {
  return [
    [
      'task_scheduler',
      db
        .insert(taskScheduler)
        .values([...SCHEDULER_SEED])
        .onConflictDoNothing(),
    ],
  ]
}
