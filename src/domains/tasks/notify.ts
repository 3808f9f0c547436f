/**
 * `task_notification {msg}` at a task's start, success and failure, as fba's Celery base task emits them (its texts:
 * `任务 {task_id} 开始执行|执行成功|执行失败`). They go to the user whose request submitted the task, or to every
 * connected socket when no user did (a schedule, a task handler) — fba broadcasts them all. The text is written by
 * the hub in each socket's language (a push has no reader of its own; docs/realtime.md, "Task notifications").
 * Best effort: a hub that cannot be reached never changes how the task ends.
 */
import type { Realtime, RealtimeTarget } from '../../infra/realtime'

export const TASK_NOTIFICATION = 'task_notification'

export type TaskPhase = 'started' | 'succeeded' | 'failed'

const KEYS = {
  started: 'task.notify_started',
  succeeded: 'task.notify_succeeded',
  failed: 'task.notify_failed',
} as const

/** Who hears about a task: its submitter, or everyone for a task no user submitted. */
export function notificationTarget(userId: number | null | undefined): RealtimeTarget {
  return userId == null ? 'all' : { user: userId }
}

export async function notifyTask(
  realtime: Pick<Realtime, 'emit'>,
  task: { taskId: string; userId: number | null | undefined },
  phase: TaskPhase,
): Promise<void> {
  await realtime.emit(
    TASK_NOTIFICATION,
    {},
    {
      to: notificationTarget(task.userId),
      localized: { msg: { key: KEYS[phase], params: { task_id: task.taskId } } },
    },
  )
}
