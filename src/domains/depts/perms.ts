/** Permission codes the department routes check (the seeded buttons under SysDept carry the same codes). */
export const DEPT_PERMS = {
  add: 'sys:dept:add',
  edit: 'sys:dept:edit',
  delete: 'sys:dept:del',
} as const
