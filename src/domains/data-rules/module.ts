/** Data rules and the data-permission engine that turns them into SQL conditions (./data-permission.ts). */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { dataRulesMessages } from './messages'
import { DATA_RULE_PERMS } from './perms'
import * as schema from './schema'
import { DATA_RULE_SEED } from './seed'

export const dataRulesModule = defineDomain({
  name: 'data-rules',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.dataRuleRoutes)) },
  tables: schema,
  seed: ({ db }) => [
    [
      'sys_data_rule',
      db
        .insert(schema.sysDataRule)
        .values([...DATA_RULE_SEED])
        .onConflictDoNothing(),
    ],
  ],
  permissions: DATA_RULE_PERMS,
  messages: dataRulesMessages,
})
