/**
 * Seeds the core data (docs/fba-compatibility.md, "Seed data"): department, users, role, the 50 menus, data scopes
 * and rules, and their links; then every registered plugin's `sys_plugin` row, menus and seed rows (plugins/seed.ts),
 * in the same batch. The rows live with each domain module (its `seed`, src/app/domains.ts lists them) and plugin;
 * this runner only composes them.
 *
 * Idempotent: every row is inserted with `ON CONFLICT DO NOTHING` (by id or unique key), all in one `db.batch`, so
 * running it again changes nothing and a failure leaves nothing half-written. It never overwrites a row that was
 * edited since; a seeded row or link that was deleted comes back.
 */
import type { ResultSet } from '@libsql/client/web'
import type { BatchItem } from 'drizzle-orm/batch'
import { menuInsert } from '../domains/menus/by-name'
import type { DomainModule, SeedStep } from '../domains/module'
import type { RepositoryDb } from '../infra/db/repository'
import { checkPlugins } from '../plugins/check'
import { PLUGINS } from '../plugins/registry'
import { pluginSeedSteps } from '../plugins/seed'
import type { PluginManifest } from '../plugins/types'
import { DOMAINS } from './domains'

export interface SeedOptions {
  /** Hashes a plain password the way the app verifies it (e.g. `createPasswordHasher({ pepper }).hash`). */
  hashPassword: (plain: string) => Promise<string>
  /** Password of `admin`. */
  adminPassword: string
  /** Password of `test`; when omitted the `test` user is not created (e.g. in production). */
  testPassword?: string | undefined
  /** Plugins whose `sys_plugin` row, menus and seed rows go into the same batch (default: the registry). */
  plugins?: readonly PluginManifest[] | undefined
  /** The domain modules whose rows and menus are seeded, in order (default: the app's list). */
  domains?: readonly DomainModule[] | undefined
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
  const domains = options.domains ?? DOMAINS
  // Each module's rows in list order (owners first: foreign keys are enforced), then the menus modules place by name.
  const steps: SeedStep[] = [
    ...domains.flatMap((d) => d.seed?.({ db, passwordHashes: { admin, test } }) ?? []),
    ...domains.flatMap((d) => (d.menus ?? []).map((menu): SeedStep => ['sys_menu', menuInsert(db, menu)])),
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
    inserted[table] = (inserted[table] ?? 0) + (results[i]?.rowsAffected ?? 0)
  })
  const plugins: Record<string, Record<string, number>> = {}
  pluginSteps.forEach(({ plugin, target }, i) => {
    const counts = plugins[plugin] ?? {}
    plugins[plugin] = counts
    counts[target] = (counts[target] ?? 0) + ((results[steps.length + i] as ResultSet | undefined)?.rowsAffected ?? 0)
  })
  return { inserted, plugins }
}
