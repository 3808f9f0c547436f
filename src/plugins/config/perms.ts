/** Permission codes the config routes check (the plugin's seeded buttons carry the same codes). */
export const CONFIG_PERMS = {
  add: 'sys:config:add',
  /**
   * Both `PUT /sys/configs/{pk}` and the bulk `PUT /sys/configs` (fba's bulk route wants an unseeded code;
   * docs/fba-compatibility.md, D6).
   */
  edit: 'sys:config:edit',
  delete: 'sys:config:del',
} as const
