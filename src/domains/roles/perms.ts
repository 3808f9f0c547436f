/** Permission codes the role routes check (the seeded buttons under SysRole carry the same codes). */
export const ROLE_PERMS = {
  add: 'sys:role:add',
  edit: 'sys:role:edit',
  editMenus: 'sys:role:menu:edit',
  editScopes: 'sys:role:scope:edit',
  delete: 'sys:role:del',
} as const
