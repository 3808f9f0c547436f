/** The auth's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const authMessages = defineMessages({
  'en-US': {
    'auth.token_expired': 'Token has expired',
    'auth.token_invalid': 'Token is invalid',
    'auth.session_revoked': 'Your session has ended, please log in again',
    'auth.invalid_credentials': 'Incorrect username or password',
    'auth.user_locked': 'User is locked, please contact the administrator',
    'auth.account_locked': 'Account is locked, please try again in {minutes} minute(s)',
    'auth.too_many_failures': 'Too many failed logins; the account is locked',
    'auth.password_expired': 'Password has expired, please change it and log in again',
    'auth.captcha_invalid': 'Captcha is invalid, please try again',
    'auth.captcha_expired': 'Captcha has expired, please try again',
    'auth.captcha_error': 'Captcha error',
    'auth.refresh_expired': 'Refresh token has expired, please log in again',
    'auth.refresh_reused': 'Refresh token reuse detected; the session has been ended, please log in again',
    'auth.dept_locked': "The user's department is locked, please contact the administrator",
    'auth.dept_deleted': "The user's department has been deleted, please contact the administrator",
    'auth.roles_locked': "The user's roles are locked, please contact the administrator",
    'auth.no_menus': 'The user has no menus assigned, please contact the administrator',
    'auth.staff_required': 'The user is not allowed to perform admin operations, please contact the administrator',
    'auth.login_success': 'Login success',
    'auth.logout_success': 'Logout success',
  },
  'zh-CN': {
    'auth.token_expired': 'Token 已过期',
    'auth.token_invalid': 'Token 无效',
    'auth.session_revoked': '会话已失效，请重新登录',
    'auth.invalid_credentials': '用户名或密码有误',
    'auth.user_locked': '用户已被锁定，请联系系统管理员',
    'auth.account_locked': '账号已被锁定，请在 {minutes} 分钟后重试',
    'auth.too_many_failures': '登录失败次数过多，账号已被锁定',
    'auth.password_expired': '密码已过期，请修改密码后重新登录',
    'auth.captcha_invalid': '验证码无效，请重新获取',
    'auth.captcha_expired': '验证码已过期，请重新获取',
    'auth.captcha_error': '验证码错误',
    'auth.refresh_expired': 'Refresh Token 已过期，请重新登录',
    'auth.refresh_reused': '检测到 Refresh Token 被重复使用，会话已终止，请重新登录',
    'auth.dept_locked': '用户所属部门已被锁定，请联系系统管理员',
    'auth.dept_deleted': '用户所属部门已被删除，请联系系统管理员',
    'auth.roles_locked': '用户所属角色已被锁定，请联系系统管理员',
    'auth.no_menus': '用户未分配菜单，请联系系统管理员',
    'auth.staff_required': '用户已被禁止后台管理操作，请联系系统管理员',
    'auth.login_success': '登录成功',
    'auth.logout_success': '登出成功',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof authMessages> {}
}
