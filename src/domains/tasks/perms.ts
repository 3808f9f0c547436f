/**
 * Permission codes of the task routes. fba's codes for writes (`sys:task:add|edit|del|exec|revoke`); reads of task
 * results and schedules (their args and results may hold personal data) need `sys:task:view`, a Stratum addition
 * (docs/tasks.md, "Permissions").
 */
export const TASK_PERMS = {
  view: 'sys:task:view',
  add: 'sys:task:add',
  edit: 'sys:task:edit',
  del: 'sys:task:del',
  exec: 'sys:task:exec',
  revoke: 'sys:task:revoke',
} as const
