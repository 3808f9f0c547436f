/**
 * Seeds the core data (contract §6): department, users, role, the 50 menus, data scopes and rules, and their links;
 * then every registered plugin's `sys_plugin` row, menus and seed rows (plugins/seed.ts), in the same batch.
 * The data lives next to each domain (`src/domains/<domain>/seed.ts`) and plugin; this runner only composes it.
 *
 * Idempotent: every row is inserted with `ON CONFLICT DO NOTHING` (by id or unique key), all in one `db.batch`, so
 * running it again changes nothing and a failure leaves nothing half-written. It never overwrites a row that was
 * edited since; a seeded row or link that was deleted comes back.
 */
import type { ResultSet } from '@libsql/client/web'
import type { BatchItem } from 'drizzle-orm/batch'
import { DATA_RULE_SEED } from '../../domains/data-rules/seed'
import { DATA_SCOPE_RULE_SEED, DATA_SCOPE_SEED } from '../../domains/data-scopes/seed'
import { DEPT_SEED } from '../../domains/depts/seed'
import { MENU_SEED } from '../../domains/menus/seed'
import { ROLE_DATA_SCOPE_SEED, ROLE_MENU_SEED, ROLE_SEED } from '../../domains/roles/seed'
import { userSeed } from '../../domains/users/seed'
import { checkPlugins } from '../../plugins/check'
import { PLUGINS } from '../../plugins/registry'
import { pluginSeedSteps } from '../../plugins/seed'
import type { PluginManifest } from '../../plugins/types'
import type { RepositoryDb } from './repository'
import {
  sysDataRule,
  sysDataScope,
  sysDataScopeRule,
  sysDept,
  sysMenu,
  sysRole,
  sysRoleDataScope,
  sysRoleMenu,
  sysUser,
  sysUserRole,
} from './schema'

export interface SeedOptions {
  /** Hashes a plain password the way the app verifies it (e.g. `createPasswordHasher({ pepper }).hash`). */
  hashPassword: (plain: string) => Promise<string>
  /** Password of `admin`. */
  adminPassword: string
  /** Password of `test`; when omitted the `test` user is not created (e.g. in production). */
  testPassword?: string | undefined
  /** Plugins whose `sys_plugin` row, menus and seed rows go into the same batch (default: the registry). */
  plugins?: readonly PluginManifest[] | undefined
}

export interface SeedSummary {
  /** Core rows inserted per table (0 everywhere on a re-run). */
  inserted: Record<string, number>
  /**
   * Plugin rows inserted, per plugin: `sys_plugin`, `sys_menu` and `seed` (its own seed items' rows), e.g.
   * `{ notice: { sys_plugin: 1, sys_menu: 4, seed: 1 } }`.
   */
  plugins: Record<string, Record<string, number>>
}

export async function seedDatabase(db: RepositoryDb, options: SeedOptions): Promise<SeedSummary> {
  if (!options.adminPassword) throw new Error('seedDatabase: adminPassword must not be empty')
  const [admin, test] = await Promise.all([
    options.hashPassword(options.adminPassword),
    options.testPassword === undefined ? undefined : options.hashPassword(options.testPassword),
  ])
  const { users, userRoles } = userSeed({ admin, test })

  // Owners before the rows that reference them (foreign keys are enforced).
  const steps: [table: string, query: BatchItem<'sqlite'>][] = [
    [
      'sys_dept',
      db
        .insert(sysDept)
        .values([...DEPT_SEED])
        .onConflictDoNothing(),
    ],
    [
      'sys_menu',
      db
        .insert(sysMenu)
        .values([...MENU_SEED])
        .onConflictDoNothing(),
    ],
    [
      'sys_role',
      db
        .insert(sysRole)
        .values([...ROLE_SEED])
        .onConflictDoNothing(),
    ],
    [
      'sys_data_rule',
      db
        .insert(sysDataRule)
        .values([...DATA_RULE_SEED])
        .onConflictDoNothing(),
    ],
    [
      'sys_data_scope',
      db
        .insert(sysDataScope)
        .values([...DATA_SCOPE_SEED])
        .onConflictDoNothing(),
    ],
    ['sys_user', db.insert(sysUser).values(users).onConflictDoNothing()],
    ['sys_user_role', db.insert(sysUserRole).values(userRoles).onConflictDoNothing()],
    [
      'sys_role_menu',
      db
        .insert(sysRoleMenu)
        .values([...ROLE_MENU_SEED])
        .onConflictDoNothing(),
    ],
    [
      'sys_role_data_scope',
      db
        .insert(sysRoleDataScope)
        .values([...ROLE_DATA_SCOPE_SEED])
        .onConflictDoNothing(),
    ],
    [
      'sys_data_scope_rule',
      db
        .insert(sysDataScopeRule)
        .values([...DATA_SCOPE_RULE_SEED])
        .onConflictDoNothing(),
    ],
  ]
  // Every registered plugin's sys_plugin row, menus and seed rows, after the core rows they may reference.
  const pluginSteps = pluginSeedSteps(db, checkPlugins(options.plugins ?? PLUGINS))
  const queries = [...steps.map(([, query]) => query), ...pluginSteps.map((s) => s.query)] as [
    BatchItem<'sqlite'>,
    ...BatchItem<'sqlite'>[],
  ]
  const results = (await db.batch(queries)) as ResultSet[]
  const inserted: Record<string, number> = {}
  steps.forEach(([table], i) => {
    inserted[table] = results[i]?.rowsAffected ?? 0
  })
  const plugins: Record<string, Record<string, number>> = {}
  pluginSteps.forEach(({ plugin, target }, i) => {
    const counts = plugins[plugin] ?? {}
    plugins[plugin] = counts
    counts[target] = (counts[target] ?? 0) + ((results[steps.length + i] as ResultSet | undefined)?.rowsAffected ?? 0)
  })
  return { inserted, plugins }
}
