/** The dict's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const dictMessages = defineMessages({
  'en-US': {
    'dict.type_not_found': 'Dictionary type not found',
    'dict.type_exists': 'Dictionary type already exists',
    'dict.data_not_found': 'Dictionary data not found',
    'dict.data_exists': 'Dictionary data already exists',
  },
  'zh-CN': {
    'dict.type_not_found': '字典类型不存在',
    'dict.type_exists': '字典类型已存在',
    'dict.data_not_found': '字典数据不存在',
    'dict.data_exists': '字典数据已存在',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof dictMessages> {}
}
