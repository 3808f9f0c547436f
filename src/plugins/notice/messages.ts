/** The notice's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const noticeMessages = defineMessages({
  'en-US': {
    'notice.not_found': 'Notice not found',
  },
  'zh-CN': {
    'notice.not_found': '通知公告不存在',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof noticeMessages> {}
}
