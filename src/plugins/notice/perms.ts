/** Permission codes the notice routes check (the seeded buttons under PluginNotice carry the same codes). */
export const NOTICE_PERMS = {
  add: 'sys:notice:add',
  edit: 'sys:notice:edit',
  delete: 'sys:notice:del',
} as const
