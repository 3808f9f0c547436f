/**
 * Every table Drizzle knows about, re-exported from the domain that owns it. drizzle-kit reads the domain files
 * directly (the `schema.ts` of every domain and plugin folder); this module is for code that needs all tables at once (seeding, resets,
 * a schema-aware Drizzle instance). Add a new domain's or plugin's tables here too.
 */
export * from '../../domains/data-rules/schema'
export * from '../../domains/data-scopes/schema'
export * from '../../domains/depts/schema'
export * from '../../domains/logs/schema'
export * from '../../domains/menus/schema'
export * from '../../domains/roles/schema'
export * from '../../domains/users/schema'
