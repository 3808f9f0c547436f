/** The tasks domain's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const tasksMessages = defineMessages({
  'en-US': {
    'task.unknown': 'Task {name} is not registered',
    'task.result_not_found': 'Task result not found',
    'task.not_found': 'Task not found',
    'task.already_finished': 'The task has already finished ({status})',
    'task.args_invalid': 'Execution failed: the task arguments are invalid',
    'task.not_queued': 'The task could not be queued',
    'task.failed': 'The task failed',
    'task.running': 'The task is running in another delivery',
    'task.dlq_not_found': 'Dead-letter message not found',
    'task.notify_started': 'Task {task_id} started',
    'task.notify_succeeded': 'Task {task_id} succeeded',
    'task.notify_failed': 'Task {task_id} failed',
    'scheduler.not_found': 'Task schedule not found',
    'scheduler.name_exists': 'Task schedule already exists',
    'scheduler.crontab_invalid': 'Invalid crontab expression',
    'scheduler.expire_conflict': 'Only one of expire_time and expire_seconds can be set',
    'scheduler.interval_invalid': 'Interval schedules need interval_every and interval_period',
    'scheduler.interval_too_short': 'Intervals shorter than {seconds} seconds are not supported',
  },
  'zh-CN': {
    'task.unknown': '任务 {name} 未注册',
    'task.result_not_found': '任务结果不存在',
    'task.not_found': '任务不存在',
    'task.already_finished': '任务已结束（{status}）',
    'task.args_invalid': '执行失败，任务参数非法',
    'task.not_queued': '任务无法加入队列',
    'task.failed': '任务执行失败',
    'task.running': '任务正在另一次投递中执行',
    'task.dlq_not_found': '死信消息不存在',
    'task.notify_started': '任务 {task_id} 开始执行',
    'task.notify_succeeded': '任务 {task_id} 执行成功',
    'task.notify_failed': '任务 {task_id} 执行失败',
    'scheduler.not_found': '任务调度不存在',
    'scheduler.name_exists': '任务调度已存在',
    'scheduler.crontab_invalid': 'Crontab 表达式非法',
    'scheduler.expire_conflict': 'expires 和 expire_seconds 只能设置一个',
    'scheduler.interval_invalid': '间隔调度需要设置 interval_every 和 interval_period',
    'scheduler.interval_too_short': '不支持短于 {seconds} 秒的间隔',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof tasksMessages> {}
}
