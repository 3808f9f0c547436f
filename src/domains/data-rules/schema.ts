/** `sys_data_rule`: one condition of a data permission (model, column, operator, expression, value). */
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { id, timestamps } from '../../infra/db/columns'

/** How a rule joins the others: AND-rules form one group, OR-rules another (`sys_data_rule.operator`). */
export const RuleOperator = { and: 0, or: 1 } as const
export type RuleOperator = (typeof RuleOperator)[keyof typeof RuleOperator]

/** Comparison of a rule (`sys_data_rule.expression`). */
export const RuleExpression = {
  eq: 0,
  ne: 1,
  gt: 2,
  ge: 3,
  lt: 4,
  le: 5,
  in: 6,
  notIn: 7,
} as const
export type RuleExpression = (typeof RuleExpression)[keyof typeof RuleExpression]

/** Placeholders a rule's `value` may hold, resolved per request (current user id, their dept id, now). */
export const RuleVariable = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: fba's literal placeholders, not JS templates
  userId: '${user_id}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: fba's literal placeholders, not JS templates
  deptId: '${dept_id}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: fba's literal placeholders, not JS templates
  now: '${now}',
} as const

export const sysDataRule = sqliteTable(
  'sys_data_rule',
  {
    id: id(),
    name: text('name', { length: 512 }).notNull(),
    /** Model (table) name, or `__ALL__`. */
    model: text('model', { length: 64 }).notNull(),
    /** Column name, or a template such as `__dept_id__`. */
    column: text('column', { length: 32 }).notNull(),
    operator: integer('operator').notNull(),
    expression: integer('expression').notNull(),
    /** Comma-separated for in/not in; may hold `${user_id}`, `${dept_id}`, `${now}`. */
    value: text('value', { length: 256 }).notNull(),
    ...timestamps(),
  },
  (t) => [uniqueIndex('sys_data_rule_name_unique').on(t.name)],
)

export type DataRule = typeof sysDataRule.$inferSelect
export type NewDataRule = typeof sysDataRule.$inferInsert
