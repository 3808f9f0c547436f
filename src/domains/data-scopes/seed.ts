/**
 * fba's five sample data scopes and their rules (docs/fba-compatibility.md, "Seed data"): 1→{1}, 2→{2,3}, 3→{4}, 4→{5},
 * 5→{6}.
 */
import type { NewDataScope, NewDataScopeRule } from './schema'

export const DATA_SCOPE_SEED: readonly NewDataScope[] = [
  { id: 1, name: '本部门数据权限', status: 1 },
  { id: 2, name: '测试部门及以下数据权限', status: 1 },
  { id: 3, name: '仅本人数据权限', status: 1 },
  { id: 4, name: '全模型本部门数据权限', status: 1 },
  { id: 5, name: '排除超级管理员数据权限', status: 1 },
]

export const DATA_SCOPE_RULE_SEED: readonly NewDataScopeRule[] = [
  { dataScopeId: 1, dataRuleId: 1 },
  { dataScopeId: 2, dataRuleId: 2 },
  { dataScopeId: 2, dataRuleId: 3 },
  { dataScopeId: 3, dataRuleId: 4 },
  { dataScopeId: 4, dataRuleId: 5 },
  { dataScopeId: 5, dataRuleId: 6 },
]
