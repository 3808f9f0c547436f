/**
 * The plugin contract. Workers cannot install code at run time, so a Stratum plugin is a build-time module with a
 * manifest, listed in `src/plugins/registry.ts`, and switched on and off at run time. A plugin reaches the core only
 * through the extension points typed here.
 */
import type { z } from '@hono/zod-openapi'
import type { BatchItem } from 'drizzle-orm/batch'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { MessageCatalogue } from '../core/i18n'
import type { SettingsProvider } from '../core/settings'
import type { ApiVersion } from '../core/versioning'
import type { AnyConsumerDefinition, EventDefinition } from '../domains/events/define'
import type { MenuByName } from '../domains/menus/by-name'
import type { AnyTaskDefinition } from '../domains/tasks/define'
import type { RoutesEntry } from '../http/lazy-routes'
import type { Router } from '../http/router'
import type { RepositoryDb } from '../infra/db/repository'

export type { ApiVersion }

/** A menu (or button) row the plugin adds to `sys_menu`, placed under its parent by name. */
export type PluginMenu = MenuByName

export interface PluginSeedContext {
  db: RepositoryDb
}

export interface PluginManifest {
  /** Folder name under src/plugins, lowercase: `dict`, `config`, `notice`. */
  name: string
  version: string
  summary: string
  description: string
  author: string
  tags: string[]
  /**
   * `app`: own routes under their own prefix; `extend`: routes injected into an existing app — `extends: 'admin'`
   * puts them under `/api/<version>/sys/...` like fba's `dict`, `config`, `notice`.
   */
  kind: 'app' | 'extend'
  extends?: 'admin'
  /** Cannot be disabled (fba's `PLUGIN_REQUIRED`, e.g. `dict`: the admin UI reads its labels). */
  required?: boolean
  /** Names of plugins this one needs; checked when the app is built (missing or cyclic → error). */
  dependencies?: string[]
  /** Plugin settings: a zod object whose defaults apply when nothing overrides them. */
  settings?: z.ZodObject
  /**
   * Routers per API version; each is mounted at `/api/<version>` (paths inside carry their own prefix). A
   * `lazyRoutes(() => import(…))` entry is evaluated on its first request (docs/architecture.md, "Lazy routers").
   */
  routes?: Partial<Record<ApiVersion, RoutesEntry<() => Router>>>
  /** The plugin's Drizzle tables (also exported from its schema.ts, which drizzle-kit reads). */
  tables?: Record<string, SQLiteTable>
  /** The plugin's user-facing messages (declare their keys too, see core/i18n). */
  messages?: MessageCatalogue
  /** Menus and buttons (with their permission codes) the plugin contributes. */
  menus?: PluginMenu[]
  /** Seed rows: idempotent inserts (insert-or-ignore) run by `stratum db seed` in the same batch as the core's. */
  seed?: (ctx: PluginSeedContext) => BatchItem<'sqlite'>[]
  /**
   * Backs login/user-security settings (see core/settings.ts) — the `config` plugin's extension point. Called per
   * request, only when settings are read and only while the plugin is enabled (plugins/settings.ts); `logger` is the
   * request's (its lines carry the trace id).
   */
  settingsProvider?: (deps: {
    db: RepositoryDb
    cache?: import('../infra/cache').Cache
    logger?: import('../core/logging').Logger
  }) => SettingsProvider
  /**
   * Sends the app's email (the `email` plugin's SMTP, docs/email.md): the transport of a request, or undefined when
   * none is configured (then the dev outbox, or a 503 in production). Called only when a request sends mail, and
   * only while the plugin is enabled; `enabled` tells whether another plugin is (e.g. `config`, for its rows).
   */
  emailTransport?: (
    c: import('hono').Context<import('../http/context').AppEnv>,
    plugins: { enabled(name: string): boolean },
  ) => Promise<import('../infra/email').EmailSender | undefined>
  /** The plugin's tasks (`defineTask`, docs/tasks.md); they join the app's one task registry. */
  tasks?: readonly AnyTaskDefinition[]
  /** Events the plugin defines (`defineEvent`) and consumers it adds (`onEvent`), docs/events.md. */
  events?: readonly EventDefinition[]
  consumers?: readonly AnyConsumerDefinition[]
  /** Called when an administrator switches the plugin on or off. */
  onEnable?: (ctx: PluginSeedContext) => Promise<void>
  onDisable?: (ctx: PluginSeedContext) => Promise<void>
}

/** Declares a plugin (identity function: it only checks the shape and keeps literal types). */
export function definePlugin<const M extends PluginManifest>(manifest: M): M {
  return manifest
}
