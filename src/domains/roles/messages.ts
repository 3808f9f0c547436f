/** The roles's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const rolesMessages = defineMessages({
  'en-US': {
    'role.not_found': 'Role not found',
    'role.name_exists': 'Role already exists',
  },
  'zh-CN': {
    'role.not_found': '角色不存在',
    'role.name_exists': '角色已存在',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof rolesMessages> {}
}
