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
import { healthModule } from '../domains/health/module'
import { logsModule } from '../domains/logs/module'
import { menusModule } from '../domains/menus/module'
import type { AppCatalogue, DomainModule } from '../domains/module'
import { monitorsModule } from '../domains/monitors/module'
import { rolesModule } from '../domains/roles/module'
import { usersModule } from '../domains/users/module'

export const DOMAINS: readonly DomainModule[] = [
  healthModule,
  authModule,
  deptsModule,
  menusModule,
  dataRulesModule,
  dataScopesModule,
  rolesModule,
  usersModule,
  logsModule,
  monitorsModule,
]

/** What the listed modules declare, for the routers that work across domains. */
export function appCatalogue(domains: readonly DomainModule[] = DOMAINS): AppCatalogue {
  return { tables: Object.assign({}, ...domains.map((d) => d.tables ?? {})) }
}
