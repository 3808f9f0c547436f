/** fba's six sample data rules (docs/fba-compatibility.md, "Seed data"; codes as in "Data permissions"). */
import { type NewDataRule, RuleExpression, RuleOperator, RuleVariable } from './schema'

const { and: AND, or: OR } = RuleOperator
const { eq: EQ, ne: NE } = RuleExpression

export const DATA_RULE_SEED: readonly NewDataRule[] = [
  {
    id: 1,
    name: '部门 ID 等于当前用户部门',
    model: 'Dept',
    column: '__dept_id__',
    operator: AND,
    expression: EQ,
    value: RuleVariable.deptId,
  },
  { id: 2, name: '部门名称等于测试', model: 'Dept', column: 'name', operator: OR, expression: EQ, value: '测试' },
  {
    id: 3,
    name: '父部门 ID 等于测试部门 ID',
    model: 'Dept',
    column: 'parent_id',
    operator: AND,
    expression: EQ,
    value: '1',
  },
  {
    id: 4,
    name: '创建者等于当前用户',
    model: '__ALL__',
    column: '__created_by__',
    operator: AND,
    expression: EQ,
    value: RuleVariable.userId,
  },
  {
    id: 5,
    name: '全模型部门 ID 等于当前用户部门',
    model: '__ALL__',
    column: '__dept_id__',
    operator: AND,
    expression: EQ,
    value: RuleVariable.deptId,
  },
  { id: 6, name: '用户非超级管理员', model: 'User', column: 'is_superuser', operator: AND, expression: NE, value: '1' },
]
