/** Permission codes the config routes check (the plugin's seeded buttons carry the same codes). */
export const CONFIG_PERMS = {
  /** Every read (`/all`, `/{pk}`, the list): configs hold credentials, so reads are not for every signed-in user. */
  list: 'sys:config:list',
  add: 'sys:config:add',
  /**
   * Both `PUT /sys/configs/{pk}` and the bulk `PUT /sys/configs` (fba's bulk route wants an unseeded code;
   * docs/fba-compatibility.md, D6).
   */
  edit: 'sys:config:edit',
  delete: 'sys:config:del',
} as const
