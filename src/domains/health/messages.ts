/** The health's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const healthMessages = defineMessages({
  'en-US': {
    'health.ok': 'All dependencies are healthy',
    'health.degraded': 'One or more dependencies are unavailable',
  },
  'zh-CN': {
    'health.ok': '所有依赖均正常',
    'health.degraded': '一个或多个依赖不可用',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof healthMessages> {}
}
