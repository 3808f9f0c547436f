/** The data-rules's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const dataRulesMessages = defineMessages({
  'en-US': {
    'data_rule.not_found': 'Data rule not found',
    'data_rule.name_exists': 'Data rule already exists',
    'data_rule.model_not_found': 'Data rule model not found',
    'data_rule.column_not_found': 'Column {column} is not available for model {model}',
    'data_rule.template.dept_id': 'Department ID',
    'data_rule.template.created_by': 'Creator',
    'data_rule.template.user_id': 'Current user ID',
    'data_rule.template.user_dept_id': "Current user's department ID",
    'data_rule.template.now': 'Current time',
  },
  'zh-CN': {
    'data_rule.not_found': '数据规则不存在',
    'data_rule.name_exists': '数据规则已存在',
    'data_rule.model_not_found': '数据规则可用模型不存在',
    'data_rule.column_not_found': '模型 {model} 不存在可用列 {column}',
    'data_rule.template.dept_id': '部门 ID',
    'data_rule.template.created_by': '创建者',
    'data_rule.template.user_id': '当前用户 ID',
    'data_rule.template.user_dept_id': '当前用户部门 ID',
    'data_rule.template.now': '当前时间',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof dataRulesMessages> {}
}
