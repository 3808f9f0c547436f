/**
 * The `config` plugin's seed (docs/fba-compatibility.md, "Seed data"): 17 parameters in the `EMAIL`, `USER_SECURITY`
 * and `LOGIN` groups. Insert-or-ignore by id or key: a re-run changes nothing and never overwrites an edited value.
 */
import type { BatchItem } from 'drizzle-orm/batch'
import type { PluginSeedContext } from '../types'
import { type NewConfigRow, sysConfig } from './schema'

type Row = [id: number, name: string, type: string, key: string, value: string, remark?: string]

const ROWS: Row[] = [
  [1, '状态', 'EMAIL', 'EMAIL_CONFIG_STATUS', '1'],
  [2, '服务器地址', 'EMAIL', 'EMAIL_HOST', 'smtp.qq.com'],
  [3, '服务器端口', 'EMAIL', 'EMAIL_PORT', '465'],
  [4, '邮箱账号', 'EMAIL', 'EMAIL_USERNAME', 'fba@qq.com'],
  [5, '邮箱密码', 'EMAIL', 'EMAIL_PASSWORD', ''],
  [6, 'SSL 加密', 'EMAIL', 'EMAIL_SSL', 'true'],
  [7, '状态', 'USER_SECURITY', 'USER_SECURITY_CONFIG_STATUS', '1'],
  [8, '密码错误锁定阈值', 'USER_SECURITY', 'USER_LOCK_THRESHOLD', '5', '0 表示禁用锁定'],
  [9, '密码错误锁定时长（秒）', 'USER_SECURITY', 'USER_LOCK_SECONDS', '300'],
  [10, '密码有效期（天）', 'USER_SECURITY', 'USER_PASSWORD_EXPIRY_DAYS', '365', '0 表示永不过期'],
  [11, '密码到期提醒（天）', 'USER_SECURITY', 'USER_PASSWORD_REMINDER_DAYS', '7', '0 表示不提醒'],
  [12, '密码历史检查次数', 'USER_SECURITY', 'USER_PASSWORD_HISTORY_CHECK_COUNT', '3'],
  [13, '密码最小长度', 'USER_SECURITY', 'USER_PASSWORD_MIN_LENGTH', '6'],
  [14, '密码最大长度', 'USER_SECURITY', 'USER_PASSWORD_MAX_LENGTH', '32'],
  [15, '密码必须包含特殊字符', 'USER_SECURITY', 'USER_PASSWORD_REQUIRE_SPECIAL_CHAR', 'false'],
  [16, '状态', 'LOGIN', 'LOGIN_CONFIG_STATUS', '1'],
  [17, '验证码开关', 'LOGIN', 'LOGIN_CAPTCHA_ENABLED', 'true'],
]

export const CONFIG_SEED: readonly NewConfigRow[] = ROWS.map(([id, name, type, key, value, remark]) => ({
  id,
  name,
  type,
  key,
  value,
  isFrontend: false,
  remark: remark ?? null,
}))

export function configSeed({ db }: PluginSeedContext): BatchItem<'sqlite'>[] {
  return [
    db
      .insert(sysConfig)
      .values([...CONFIG_SEED])
      .onConflictDoNothing(),
  ]
}
