/** The monitors's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const monitorsMessages = defineMessages({
  'en-US': {
    'session.not_found': 'Session not found',
    'monitor.unknown': 'Unknown',
    'monitor.duration.day': '{count} day',
    'monitor.duration.days': '{count} days',
    'monitor.duration.hour': '{count} hour',
    'monitor.duration.hours': '{count} hours',
    'monitor.duration.minute': '{count} minute',
    'monitor.duration.minutes': '{count} minutes',
    'monitor.duration.second': '{count} second',
    'monitor.duration.seconds': '{count} seconds',
    'rate_limit.rule_not_found': 'Unknown rate-limit rule {rule}; known rules: {rules}',
  },
  'zh-CN': {
    'session.not_found': '会话不存在',
    'monitor.unknown': '未知',
    'monitor.duration.day': '{count} 天',
    'monitor.duration.days': '{count} 天',
    'monitor.duration.hour': '{count} 小时',
    'monitor.duration.hours': '{count} 小时',
    'monitor.duration.minute': '{count} 分钟',
    'monitor.duration.minutes': '{count} 分钟',
    'monitor.duration.second': '{count} 秒',
    'monitor.duration.seconds': '{count} 秒',
    'rate_limit.rule_not_found': '限流规则 {rule} 不存在，已有规则：{rules}',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof monitorsMessages> {}
}
