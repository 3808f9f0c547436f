/**
 * The domain contract: each domain folder exports one module (`<domain>/module.ts`) that its routes, tables, seed
 * rows, menus, permission codes and messages hang off. The app lists the modules once (src/app/domains.ts) and
 * builds everything from that list: the routers of each API version, the schema, the seed and the message
 * catalogue. Plugins follow the same idea with their own manifest (src/plugins/types.ts).
 */
import type { BatchItem } from 'drizzle-orm/batch'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { MessageCatalogue } from '../core/i18n'
import type { ApiVersion } from '../core/versioning'
import type { RoutesEntry } from '../http/lazy-routes'
import type { Router } from '../http/router'
import type { RepositoryDb } from '../infra/db/repository'
import type { AnyConsumerDefinition, EventDefinition } from './events/define'
import type { EventRegistry } from './events/registry'
import type { MenuByName } from './menus/by-name'
import type { AnyTaskDefinition } from './tasks/define'
import type { TaskRegistry } from './tasks/registry'

/** What the app knows once every module is listed, for the few routers that work across domains. */
export interface AppCatalogue {
  /** Every domain table by its export name (the data-rule models). */
  tables: Readonly<Record<string, SQLiteTable>>
  /** Every task of every module and plugin. */
  tasks: TaskRegistry
  /** Every event and event consumer of every module and plugin. */
  events: EventRegistry
}

export interface SeedContext {
  db: RepositoryDb
  /** Password hashes of the seeded accounts; no `test` hash → no `test` user (production). */
  passwordHashes: { admin: string; test?: string | undefined }
}

/** One insert of the seed, named by the table it fills (the seed summary counts rows per table). */
export type SeedStep = readonly [table: string, query: BatchItem<'sqlite'>]

export interface DomainModule {
  /** Folder name under src/domains. */
  name: string
  /**
   * Routers per API version, mounted at `/api/<version>` in list order (paths inside carry their own prefix). A
   * `lazyRoutes(() => import(…))` entry is evaluated on its first request (docs/architecture.md, "Lazy routers").
   */
  routes?: Partial<Record<ApiVersion, RoutesEntry<(app: AppCatalogue) => Router>>>
  /** The domain's Drizzle tables (drizzle-kit reads the same `schema.ts`). */
  tables?: Readonly<Record<string, unknown>>
  /**
   * Seed inserts, owners before the rows that reference them; idempotent (`onConflictDoNothing`). All modules' steps
   * run in one `db.batch`, in list order.
   */
  seed?: (ctx: SeedContext) => SeedStep[]
  /** Menus and buttons, placed under a parent menu by its `name` (inserted after every module's seed rows). */
  menus?: readonly MenuByName[]
  /** The permission codes the domain's routes check (each must be carried by a seeded menu button). */
  permissions?: Readonly<Record<string, string>>
  /** The domain's user-facing messages (declare their keys too, see core/i18n). */
  messages?: MessageCatalogue
  /** The domain's tasks (`defineTask`, docs/tasks.md), joined into the app's one task registry. */
  tasks?: readonly AnyTaskDefinition[]
  /** Events the domain owns (`defineEvent`) and consumers it adds (`onEvent`), docs/events.md. */
  events?: readonly EventDefinition[]
  consumers?: readonly AnyConsumerDefinition[]
}

/** Declares a domain module (identity function: it checks the shape and keeps literal types). */
export function defineDomain<const M extends DomainModule>(module: M): M {
  return module
}
