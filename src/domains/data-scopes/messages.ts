/** The data-scopes's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const dataScopesMessages = defineMessages({
  'en-US': {
    'data_scope.not_found': 'Data scope not found',
    'data_scope.name_exists': 'Data scope already exists',
  },
  'zh-CN': {
    'data_scope.not_found': '数据范围不存在',
    'data_scope.name_exists': '数据范围已存在',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof dataScopesMessages> {}
}
