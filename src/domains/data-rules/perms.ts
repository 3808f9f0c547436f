/** Permission codes the data-rule routes check (the seeded buttons under SysDataRule carry the same codes). */
export const DATA_RULE_PERMS = {
  add: 'data:rule:add',
  edit: 'data:rule:edit',
  delete: 'data:rule:del',
} as const
