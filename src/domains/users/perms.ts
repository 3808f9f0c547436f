/** Permission codes the user routes check (menu buttons in the seed carry the same codes). */
export const USER_PERMS = {
  delete: 'sys:user:del',
} as const
