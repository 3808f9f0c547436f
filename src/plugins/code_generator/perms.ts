/**
 * Permission codes the code-generator routes check (the seeded buttons under PluginCodeGenerator carry the same
 * codes). fba's seed gives the column buttons `codegen:model:*` while its API checks `codegen:column:*`; here both
 * are `codegen:column:*` (docs/fba-compatibility.md, "Code generator plugin").
 */
export const BUSINESS_PERMS = {
  add: 'codegen:business:add',
  edit: 'codegen:business:edit',
  delete: 'codegen:business:del',
} as const

export const COLUMN_PERMS = {
  add: 'codegen:column:add',
  edit: 'codegen:column:edit',
  delete: 'codegen:column:del',
} as const

export const CODEGEN_PERMS = {
  /** Import a table, and list the database's tables (fba leaves that list public: §14 quirk 7). */
  import: 'codegen:table:import',
  /** Write the generated files into the checkout (development only). */
  write: 'codegen:local:write',
} as const
