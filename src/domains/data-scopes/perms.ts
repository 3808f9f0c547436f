/** Permission codes the data-scope routes check (the seeded buttons under SysDataScope carry the same codes). */
export const DATA_SCOPE_PERMS = {
  add: 'data:scope:add',
  edit: 'data:scope:edit',
  editRules: 'data:scope:rule:edit',
  delete: 'data:scope:del',
} as const
