/** The depts's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const deptsMessages = defineMessages({
  'en-US': {
    'dept.not_found': 'Department not found',
    'dept.name_exists': 'Department name already exists',
    'dept.parent_not_found': 'Parent department not found',
    'dept.parent_self': 'A department cannot be its own parent',
    'dept.parent_cycle': 'A department cannot be moved under one of its own sub-departments',
    'dept.has_users': 'The department has users and cannot be deleted',
    'dept.has_children': 'The department has sub-departments and cannot be deleted',
  },
  'zh-CN': {
    'dept.not_found': '部门不存在',
    'dept.name_exists': '部门名称已存在',
    'dept.parent_not_found': '父级部门不存在',
    'dept.parent_self': '禁止关联自身为父级',
    'dept.parent_cycle': '禁止将部门移动到其下级部门之下',
    'dept.has_users': '部门下存在用户，无法删除',
    'dept.has_children': '部门下存在子部门，无法删除',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof deptsMessages> {}
}
