/** The `oauth2` plugin's user-facing messages (fba's texts, localized); the app adds them to the catalogue. */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const oauth2Messages = defineMessages({
  'en-US': {
    'oauth2.state_invalid': 'OAuth2 state is invalid or missing',
    'oauth2.provider_denied': 'The {source} sign-in was not completed ({error})',
    'oauth2.provider_error': 'The {source} sign-in failed, please try again',
    'oauth2.not_configured': '{source} sign-in is not configured',
    'oauth2.no_role': 'No available role, please contact the system administrator',
    'oauth2.already_bound': 'You have already bound a {source} account',
    'oauth2.bound_to_other': 'This {source} account is bound to another user',
    'oauth2.not_bound': 'You have not bound a {source} account',
    'oauth2.login_success': 'Login success (OAuth2)',
  },
  'zh-CN': {
    'oauth2.state_invalid': 'OAuth2 状态信息无效或缺失',
    'oauth2.provider_denied': '{source} 授权未完成（{error}）',
    'oauth2.provider_error': '{source} 授权失败，请重试',
    'oauth2.not_configured': '未配置 {source} 登录',
    'oauth2.no_role': '未找到可用角色，请联系系统管理员',
    'oauth2.already_bound': '用户已绑定 {source} 账号',
    'oauth2.bound_to_other': '该 {source} 账号已被其他用户绑定',
    'oauth2.not_bound': '用户未绑定 {source} 账号',
    'oauth2.login_success': '登录成功（OAuth2）',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof oauth2Messages> {}
}
