/**
 * Login and user-security settings, read through one accessor. Defaults come from config (env); a settings
 * provider (the `config` plugin, backed by its DB rows) may override them per request (http/settings.ts). Call sites never read these
 * values from config directly, so an admin's change takes effect on the next request.
 */
import type { Config, SettingEnvKey } from './config'

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

/** The setting each config key sets (as in settingsFromConfig): its group and field. */
const FIELD_OF: { [K in SettingEnvKey]: { [G in keyof Settings]: readonly [G, keyof Settings[G]] }[keyof Settings] } = {
  LOGIN_CAPTCHA_ENABLED: ['login', 'captchaEnabled'],
  LOGIN_CAPTCHA_EXPIRE_SECONDS: ['login', 'captchaExpireSeconds'],
  LOGIN_CAPTCHA_FAILURE_THRESHOLD: ['login', 'captchaFailureThreshold'],
  USER_LOCK_THRESHOLD: ['userSecurity', 'lockThreshold'],
  USER_LOCK_SECONDS: ['userSecurity', 'lockSeconds'],
  USER_PASSWORD_EXPIRY_DAYS: ['userSecurity', 'passwordExpiryDays'],
  USER_PASSWORD_REMINDER_DAYS: ['userSecurity', 'passwordReminderDays'],
  USER_PASSWORD_HISTORY_CHECK_COUNT: ['userSecurity', 'passwordHistoryCheckCount'],
  USER_PASSWORD_MIN_LENGTH: ['userSecurity', 'passwordMinLength'],
  USER_PASSWORD_MAX_LENGTH: ['userSecurity', 'passwordMaxLength'],
  USER_PASSWORD_REQUIRE_SPECIAL_CHAR: ['userSecurity', 'passwordRequireSpecialChar'],
}

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

/**
 * Config defaults, then the provider's overrides, then again the config value of every key named in
 * `SETTINGS_FROM_ENV`: a value set in the environment for this run wins over a stored row.
 */
export async function resolveSettings(config: Config, provider?: SettingsProvider): Promise<Settings> {
  const defaults = settingsFromConfig(config)
  if (!provider) return defaults
  const overrides = await provider(defaults)
  const resolved: Settings = {
    login: { ...defaults.login, ...overrides.login },
    userSecurity: { ...defaults.userSecurity, ...overrides.userSecurity },
  }
  for (const key of config.SETTINGS_FROM_ENV) {
    const setting = FIELD_OF[key]
    if (setting[0] === 'login') resolved.login = { ...resolved.login, [setting[1]]: defaults.login[setting[1]] }
    else resolved.userSecurity = { ...resolved.userSecurity, [setting[1]]: defaults.userSecurity[setting[1]] }
  }
  return resolved
}
