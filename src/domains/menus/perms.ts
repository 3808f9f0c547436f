/** Permission codes the menu routes check (the seeded buttons under SysMenu carry the same codes). */
export const MENU_PERMS = {
  add: 'sys:menu:add',
  edit: 'sys:menu:edit',
  delete: 'sys:menu:del',
} as const
