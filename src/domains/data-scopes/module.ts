/** Data scopes: named sets of data rules that roles hold. */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { dataScopesMessages } from './messages'
import { DATA_SCOPE_PERMS } from './perms'
import * as schema from './schema'
import { DATA_SCOPE_RULE_SEED, DATA_SCOPE_SEED } from './seed'

export const dataScopesModule = defineDomain({
  name: 'data-scopes',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.dataScopeRoutes)) },
  tables: schema,
  seed: ({ db }) => [
    [
      'sys_data_scope',
      db
        .insert(schema.sysDataScope)
        .values([...DATA_SCOPE_SEED])
        .onConflictDoNothing(),
    ],
    [
      'sys_data_scope_rule',
      db
        .insert(schema.sysDataScopeRule)
        .values([...DATA_SCOPE_RULE_SEED])
        .onConflictDoNothing(),
    ],
  ],
  permissions: DATA_SCOPE_PERMS,
  messages: dataScopesMessages,
})
