/**
 * Login and user-security settings, read through one accessor. Defaults come from config (env); a settings
 * provider (the `config` plugin, backed by its DB rows) may override them per request (http/settings.ts). Call sites never read these
 * values from config directly, so an admin's change takes effect on the next request.
 */
import type { Config } from './config'

export interface LoginSettings {
  captchaEnabled: boolean
  captchaExpireSeconds: number
  /** Failures on one account (all clients) after which its logins need a captcha even when it is off; 0 = never. */
  captchaFailureThreshold: number
}

export interface UserSecuritySettings {
  /** Failures on one account from one client that lock that client out of the account; 0 = never. */
  lockThreshold: number
  /** How long failures are counted and a lock lasts. */
  lockSeconds: number
  passwordExpiryDays: number
  passwordReminderDays: number
  passwordHistoryCheckCount: number
  passwordMinLength: number
  passwordMaxLength: number
  passwordRequireSpecialChar: boolean
}

export interface Settings {
  login: LoginSettings
  userSecurity: UserSecuritySettings
}

/** Overrides settings from another source (e.g. DB rows); returns only what it overrides. */
export type SettingsProvider = (defaults: Settings) => Promise<Partial<{ [G in keyof Settings]: Partial<Settings[G]> }>>

export function settingsFromConfig(config: Config): Settings {
  return {
    login: {
      captchaEnabled: config.LOGIN_CAPTCHA_ENABLED,
      captchaExpireSeconds: config.LOGIN_CAPTCHA_EXPIRE_SECONDS,
      captchaFailureThreshold: config.LOGIN_CAPTCHA_FAILURE_THRESHOLD,
    },
    userSecurity: {
      lockThreshold: config.USER_LOCK_THRESHOLD,
      lockSeconds: config.USER_LOCK_SECONDS,
      passwordExpiryDays: config.USER_PASSWORD_EXPIRY_DAYS,
      passwordReminderDays: config.USER_PASSWORD_REMINDER_DAYS,
      passwordHistoryCheckCount: config.USER_PASSWORD_HISTORY_CHECK_COUNT,
      passwordMinLength: config.USER_PASSWORD_MIN_LENGTH,
      passwordMaxLength: config.USER_PASSWORD_MAX_LENGTH,
      passwordRequireSpecialChar: config.USER_PASSWORD_REQUIRE_SPECIAL_CHAR,
    },
  }
}

export async function resolveSettings(config: Config, provider?: SettingsProvider): Promise<Settings> {
  const defaults = settingsFromConfig(config)
  if (!provider) return defaults
  const overrides = await provider(defaults)
  return {
    login: { ...defaults.login, ...overrides.login },
    userSecurity: { ...defaults.userSecurity, ...overrides.userSecurity },
  }
}
