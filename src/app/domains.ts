/**
 * The domain modules this app is built from — the one place a new domain is registered (docs/architecture.md).
 * Everything else follows from this list: each version's routers (mounted in list order), the tables data rules may
 * name, the seed (run in list order, so owners come before the modules whose rows reference them), the menus, the
 * permission codes and the message catalogue. Plugins have their own list (src/plugins/registry.ts).
 */
import { authModule } from '../domains/auth/module'
import { dataRulesModule } from '../domains/data-rules/module'
import { dataScopesModule } from '../domains/data-scopes/module'
import { deptsModule } from '../domains/depts/module'
import { eventsModule } from '../domains/events/module'
import { EventRegistry } from '../domains/events/registry'
import { filesModule } from '../domains/files/module'
import { healthModule } from '../domains/health/module'
import { logsModule } from '../domains/logs/module'
import { menusModule } from '../domains/menus/module'
import type { AppCatalogue, DomainModule } from '../domains/module'
import { monitorsModule } from '../domains/monitors/module'
import { rolesModule } from '../domains/roles/module'
import { tasksModule } from '../domains/tasks/module'
import { TaskRegistry } from '../domains/tasks/registry'
import { usersModule } from '../domains/users/module'
import { PLUGIN_SYSTEM_EVENTS } from '../plugins/events'
import { PLUGINS } from '../plugins/registry'
import type { PluginManifest } from '../plugins/types'

// `as const`: each module keeps its routers' types, from which the typed client reads the API (src/client).
const MODULES = [
  healthModule,
  eventsModule,
  authModule,
  deptsModule,
  menusModule,
  dataRulesModule,
  dataScopesModule,
  rolesModule,
  usersModule,
  logsModule,
  monitorsModule,
  tasksModule,
  filesModule,
] as const satisfies readonly DomainModule[]

export const DOMAINS: readonly DomainModule[] = MODULES
/** The listed modules, each with its own type (the typed client's source, src/client). */
export type DomainModules = typeof MODULES

/** What the listed modules and plugins declare, for the routers that work across domains. */
export function appCatalogue(
  domains: readonly DomainModule[] = DOMAINS,
  plugins: readonly PluginManifest[] = PLUGINS,
): AppCatalogue {
  return {
    tables: Object.assign({}, ...domains.map((d) => d.tables ?? {})),
    // One registry for the whole app: a name defined twice fails here, when the app is built.
    tasks: new TaskRegistry([...domains.flatMap((d) => d.tasks ?? []), ...plugins.flatMap((p) => p.tasks ?? [])]),
    events: new EventRegistry(
      // The plugin system's own events (the status switch) come with it, whichever plugins are listed.
      [...domains.flatMap((d) => d.events ?? []), ...PLUGIN_SYSTEM_EVENTS, ...plugins.flatMap((p) => p.events ?? [])],
      [...domains.flatMap((d) => d.consumers ?? []), ...plugins.flatMap((p) => p.consumers ?? [])],
    ),
  }
}
