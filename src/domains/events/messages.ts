/** The events domain's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const eventsMessages = defineMessages({
  'en-US': {
    'event.dlq_not_found': 'Dead-lettered event not found',
    'event.consumer_unknown': 'Event consumer {name} is not registered',
    'event.failed': 'The event consumer failed',
  },
  'zh-CN': {
    'event.dlq_not_found': '死信事件不存在',
    'event.consumer_unknown': '事件消费者 {name} 未注册',
    'event.failed': '事件消费失败',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof eventsMessages> {}
}
