/** The config's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const configMessages = defineMessages({
  'en-US': {
    'config.not_found': 'Parameter config not found',
    'config.key_exists': 'Parameter config {key} already exists',
    'config.keys_duplicate': 'Duplicate parameter config keys',
    'config.id_duplicate': 'Parameter config {id} is listed more than once',
    'config.value_bool': 'must be true or false',
    'config.value_int': 'must be a whole number of at least {min}',
    'config.value_status': 'must be 0 or 1',
  },
  'zh-CN': {
    'config.not_found': '参数配置不存在',
    'config.key_exists': '参数配置 {key} 已存在',
    'config.keys_duplicate': '参数配置键名重复',
    'config.id_duplicate': '参数配置 {id} 重复出现',
    'config.value_bool': '必须为 true 或 false',
    'config.value_int': '必须为不小于 {min} 的整数',
    'config.value_status': '必须为 0 或 1',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof configMessages> {}
}
