/**
 * The `config` plugin as the core's settings provider (docs/fba-compatibility.md, "Config plugin"): the `LOGIN` and
 * `USER_SECURITY` rows of `sys_config` override the login and user-security settings whose defaults come from the
 * environment (core/settings.ts). So an administrator's change through `/sys/configs` applies on the next request.
 *
 * - A group whose `*_CONFIG_STATUS` row is `'0'` overrides nothing (its env defaults apply).
 * - A row overrides only when its value parses (`true`/`false`, a whole number in range); a malformed value keeps the
 *   default and is logged (once per cache load, not per request).
 * - The parsed overrides are cached in the two-level cache (`config` namespace, key `settings`): one cache read per
 *   request on the login path. Every config write drops the namespace.
 */
import { inArray } from 'drizzle-orm'
import { Logger } from '../../core/logging'
import type { LoginSettings, Settings, SettingsProvider, UserSecuritySettings } from '../../core/settings'
import type { Cache } from '../../infra/cache'
import type { RepositoryDb } from '../../infra/db/repository'
import { sysConfig } from './schema'

/** Cache namespace of every config lookup (written by the service, read here). */
export const CONFIG_CACHE = 'config'
export const SETTINGS_CACHE_KEY = 'settings'

export const ConfigType = { login: 'LOGIN', userSecurity: 'USER_SECURITY', email: 'EMAIL' } as const

type Group = keyof Settings
type Kind = 'bool' | 'int'

interface SettingKey {
  group: Group
  field: keyof LoginSettings | keyof UserSecuritySettings
  kind: Kind
  /** Smallest accepted value for `int`. */
  min?: number
}

/** The group each settings group is read from, and the row that switches the group's overrides off (`'0'`). */
export const SETTINGS_GROUPS: Record<Group, { type: string; statusKey: string }> = {
  login: { type: ConfigType.login, statusKey: 'LOGIN_CONFIG_STATUS' },
  userSecurity: { type: ConfigType.userSecurity, statusKey: 'USER_SECURITY_CONFIG_STATUS' },
}

/** Config key → the setting it overrides (the names match the env keys of core/config.ts). */
export const SETTING_KEYS: Readonly<Record<string, SettingKey>> = {
  LOGIN_CAPTCHA_ENABLED: { group: 'login', field: 'captchaEnabled', kind: 'bool' },
  LOGIN_CAPTCHA_EXPIRE_SECONDS: { group: 'login', field: 'captchaExpireSeconds', kind: 'int', min: 1 },
  USER_LOCK_THRESHOLD: { group: 'userSecurity', field: 'lockThreshold', kind: 'int', min: 0 },
  USER_LOCK_SECONDS: { group: 'userSecurity', field: 'lockSeconds', kind: 'int', min: 1 },
  USER_PASSWORD_EXPIRY_DAYS: { group: 'userSecurity', field: 'passwordExpiryDays', kind: 'int', min: 0 },
  USER_PASSWORD_REMINDER_DAYS: { group: 'userSecurity', field: 'passwordReminderDays', kind: 'int', min: 0 },
  USER_PASSWORD_HISTORY_CHECK_COUNT: { group: 'userSecurity', field: 'passwordHistoryCheckCount', kind: 'int', min: 0 },
  USER_PASSWORD_MIN_LENGTH: { group: 'userSecurity', field: 'passwordMinLength', kind: 'int', min: 1 },
  USER_PASSWORD_MAX_LENGTH: { group: 'userSecurity', field: 'passwordMaxLength', kind: 'int', min: 1 },
  USER_PASSWORD_REQUIRE_SPECIAL_CHAR: { group: 'userSecurity', field: 'passwordRequireSpecialChar', kind: 'bool' },
}

/** The setting a config key overrides, if any (own keys only: `toString` is not a setting). */
export const settingKey = (key: string): SettingKey | undefined =>
  Object.hasOwn(SETTING_KEYS, key) ? SETTING_KEYS[key] : undefined

const STATUS_KEYS = new Set(Object.values(SETTINGS_GROUPS).map((g) => g.statusKey))

/** `'true'`/`'false'` (any case, trimmed) → boolean; anything else → undefined. */
export function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase()
  return v === 'true' ? true : v === 'false' ? false : undefined
}

/** A whole decimal number ≥ `min` → number; anything else → undefined. */
export function parseWholeNumber(value: string, min = 0): number | undefined {
  const v = value.trim()
  if (!/^\d{1,15}$/.test(v)) return undefined
  const n = Number(v)
  return n >= min ? n : undefined
}

/**
 * Why `value` is not acceptable for config `key`, or undefined when it is (or the key is not a typed one). Used to
 * reject malformed values on write; the provider re-checks on read (rows may be edited outside the API).
 */
export function invalidSettingValue(key: string, value: string): { kind: Kind | 'status'; min?: number } | undefined {
  if (STATUS_KEYS.has(key)) return value.trim() === '0' || value.trim() === '1' ? undefined : { kind: 'status' }
  const spec = settingKey(key)
  if (!spec) return undefined
  if (spec.kind === 'bool') return parseBool(value) === undefined ? { kind: 'bool' } : undefined
  return parseWholeNumber(value, spec.min) === undefined ? { kind: 'int', min: spec.min ?? 0 } : undefined
}

export type SettingsOverrides = Awaited<ReturnType<SettingsProvider>>

export interface ConfigRowLike {
  type: string | null
  key: string
  value: string
}

type Warn = (msg: string, fields?: Record<string, unknown>) => void

/** The overrides the rows define (status switches and malformed values applied; malformed ones reported). */
export function overridesFromRows(rows: readonly ConfigRowLike[], warn: Warn = () => {}): SettingsOverrides {
  const overrides: Record<Group, Record<string, unknown>> = { login: {}, userSecurity: {} }
  for (const [group, { type, statusKey }] of Object.entries(SETTINGS_GROUPS) as [
    Group,
    (typeof SETTINGS_GROUPS)[Group],
  ][]) {
    const values = new Map(rows.filter((r) => r.type === type).map((r) => [r.key, r.value]))
    if (values.get(statusKey)?.trim() === '0') continue
    for (const [key, value] of values) {
      const spec = settingKey(key)
      if (!spec || spec.group !== group) continue
      const parsed = spec.kind === 'bool' ? parseBool(value) : parseWholeNumber(value, spec.min)
      if (parsed === undefined) {
        warn('config: malformed setting ignored, the default applies', { key, value, expected: spec.kind })
        continue
      }
      overrides[group][spec.field] = parsed
    }
  }
  const out: SettingsOverrides = {}
  if (Object.keys(overrides.login).length) out.login = overrides.login as Partial<LoginSettings>
  if (Object.keys(overrides.userSecurity).length)
    out.userSecurity = overrides.userSecurity as Partial<UserSecuritySettings>
  return out
}

/** Reads the settings rows (both groups, one query). */
export function loadSettingsRows(db: RepositoryDb): Promise<ConfigRowLike[]> {
  return db
    .select({ type: sysConfig.type, key: sysConfig.key, value: sysConfig.value })
    .from(sysConfig)
    .where(inArray(sysConfig.type, [ConfigType.login, ConfigType.userSecurity]))
}

export interface ConfigSettingsDeps {
  db: RepositoryDb
  cache?: Cache | undefined
  /** Where malformed values are reported (default: a warn-level logger of its own). */
  logger?: { warn: Warn } | undefined
}

/** The manifest's `settingsProvider`: DB rows over env defaults, cached. */
export function configSettingsProvider(deps: ConfigSettingsDeps): SettingsProvider {
  const logger = () => deps.logger ?? new Logger({ plugin: 'config' }, 'warn')
  const load = async () =>
    overridesFromRows(await loadSettingsRows(deps.db), (msg, fields) => logger().warn(msg, fields))
  return async (defaults) => {
    const overrides = deps.cache ? await deps.cache.getOrLoad(CONFIG_CACHE, SETTINGS_CACHE_KEY, load) : await load()
    const security = overrides.userSecurity
    if (security && (security.passwordMinLength !== undefined || security.passwordMaxLength !== undefined)) {
      const min = security.passwordMinLength ?? defaults.userSecurity.passwordMinLength
      const max = security.passwordMaxLength ?? defaults.userSecurity.passwordMaxLength
      if (min > max) {
        // Contradictory lengths would refuse every password: keep the defaults for both.
        logger().warn('config: password min length exceeds max length, the defaults apply', { min, max })
        const { passwordMinLength: _min, passwordMaxLength: _max, ...rest } = security
        return { ...overrides, userSecurity: rest }
      }
    }
    return overrides
  }
}
