/** The users's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const usersMessages = defineMessages({
  'en-US': {
    'user.not_found': 'User not found',
    'user.username_taken': 'Username is already registered',
    'user.email_taken': 'Email is already in use',
    'user.password_required': 'Password must not be empty',
    'user.dept_not_found': 'Department not found',
    'user.role_not_found': 'Role not found',
    'user.self_permission_forbidden': 'You cannot change your own permissions',
    'user.self_delete_forbidden': 'You cannot delete yourself',
    'user.superuser_delete_forbidden': 'Only a superuser can delete a superuser',
    'user.old_password_wrong': 'The old password is incorrect',
    'user.password_mismatch': 'The two passwords do not match',
    'user.password_too_short': 'Password must be at least {min} characters long',
    'user.password_too_long': 'Password must be at most {max} characters long',
    'user.password_needs_digit': 'Password must contain a digit',
    'user.password_needs_letter': 'Password must contain a letter',
    'user.password_needs_special': 'Password must contain a special character (e.g. !@#$%)',
    'user.password_reused': 'The new password must differ from the last {count} passwords used',
    'email.code_expired': 'The verification code has expired, please request a new one',
    'email.code_cooldown': 'A code was sent recently, please try again in {seconds} second(s)',
    'email.send_failed': 'The email could not be sent, please try again later',
    'email.code_subject': '{app} verification code',
    'email.code_body': 'Your verification code is {code}. It expires in {minutes} minute(s).',
  },
  'zh-CN': {
    'user.not_found': '用户不存在',
    'user.username_taken': '用户名已注册',
    'user.email_taken': '邮箱已被使用',
    'user.password_required': '密码不允许为空',
    'user.dept_not_found': '部门不存在',
    'user.role_not_found': '角色不存在',
    'user.self_permission_forbidden': '禁止修改自身权限',
    'user.self_delete_forbidden': '禁止删除自己',
    'user.superuser_delete_forbidden': '只有超级管理员可以删除超级管理员',
    'user.old_password_wrong': '原密码错误',
    'user.password_mismatch': '两次密码输入不一致',
    'user.password_too_short': '密码长度不能少于 {min} 个字符',
    'user.password_too_long': '密码长度不能超过 {max} 个字符',
    'user.password_needs_digit': '密码必须包含数字',
    'user.password_needs_letter': '密码必须包含字母',
    'user.password_needs_special': '密码必须包含特殊字符（如：!@#$%）',
    'user.password_reused': '新密码不能与最近 {count} 次使用的密码相同',
    'email.code_expired': '验证码已失效，请重新获取',
    'email.code_cooldown': '验证码发送过于频繁，请在 {seconds} 秒后重试',
    'email.send_failed': '邮件发送失败，请稍后重试',
    'email.code_subject': '{app} 验证码',
    'email.code_body': '您的验证码是 {code}，{minutes} 分钟内有效。',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof usersMessages> {}
}
