/** Permission codes the dictionary routes check (the plugin's seeded buttons carry the same codes). */
export const DICT_PERMS = {
  typeAdd: 'dict:type:add',
  typeEdit: 'dict:type:edit',
  typeDelete: 'dict:type:del',
  dataAdd: 'dict:data:add',
  dataEdit: 'dict:data:edit',
  dataDelete: 'dict:data:del',
} as const
