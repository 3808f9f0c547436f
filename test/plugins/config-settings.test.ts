/**
 * The `config` plugin as the core's settings provider (docs/fba-compatibility.md, "Settings"): the LOGIN and
 * USER_SECURITY rows override the env defaults, per group unless its `*_CONFIG_STATUS` is `'0'`; malformed values
 * fall back (logged); and a change through `PUT /api/v1/sys/configs` changes login behaviour on the next request.
 *
 * The test bindings turn the captcha off (`LOGIN_CAPTCHA_ENABLED: 'false'`); the seeded row says `true` and wins.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Settings } from '../../src/core/settings'
import type { authRoutes } from '../../src/domains/auth/routes.v1'
import type { userRoutes } from '../../src/domains/users/routes.v1'
import { sysUser } from '../../src/domains/users/schema'
import { configPlugin } from '../../src/plugins/config'
import type { configRoutes } from '../../src/plugins/config/routes.v1'
import { sysConfig } from '../../src/plugins/config/schema'
import { configSettingsProvider, overridesFromRows } from '../../src/plugins/config/settings'
import type { pluginAdminRoutes } from '../../src/plugins/routes'
import { SEED_PASSWORD } from '../helpers/auth'
import { enableSeededSettingsGroups, fileDb, seedFileDatabase } from '../helpers/database'
import { RELAXED_AUTH_LIMITS } from '../helpers/fixtures'
import { answer, api, failure } from '../helpers/harness'
import { fileRedis } from '../helpers/isolation'

const DEFAULTS: Settings = {
  login: { captchaEnabled: false, captchaExpireSeconds: 300, captchaFailureThreshold: 10 },
  userSecurity: {
    lockThreshold: 5,
    lockSeconds: 300,
    passwordExpiryDays: 365,
    passwordReminderDays: 7,
    passwordHistoryCheckCount: 3,
    passwordMinLength: 6,
    passwordMaxLength: 32,
    passwordRequireSpecialChar: false,
  },
}

const row = (type: string | null, key: string, value: string) => ({ type, key, value })

describe('overridesFromRows', () => {
  it('parses the LOGIN and USER_SECURITY rows into settings', () => {
    expect(
      overridesFromRows([
        row('LOGIN', 'LOGIN_CONFIG_STATUS', '1'),
        row('LOGIN', 'LOGIN_CAPTCHA_ENABLED', 'false'),
        row('LOGIN', 'LOGIN_CAPTCHA_EXPIRE_SECONDS', '120'),
        row('USER_SECURITY', 'USER_SECURITY_CONFIG_STATUS', '1'),
        row('USER_SECURITY', 'USER_LOCK_THRESHOLD', '0'),
        row('USER_SECURITY', 'USER_LOCK_SECONDS', '60'),
        row('USER_SECURITY', 'USER_PASSWORD_EXPIRY_DAYS', '0'),
        row('USER_SECURITY', 'USER_PASSWORD_REMINDER_DAYS', '3'),
        row('USER_SECURITY', 'USER_PASSWORD_HISTORY_CHECK_COUNT', '5'),
        row('USER_SECURITY', 'USER_PASSWORD_MIN_LENGTH', '8'),
        row('USER_SECURITY', 'USER_PASSWORD_MAX_LENGTH', ' 64 '),
        row('USER_SECURITY', 'USER_PASSWORD_REQUIRE_SPECIAL_CHAR', 'TRUE'),
      ]),
    ).toEqual({
      login: { captchaEnabled: false, captchaExpireSeconds: 120 },
      userSecurity: {
        lockThreshold: 0,
        lockSeconds: 60,
        passwordExpiryDays: 0,
        passwordReminderDays: 3,
        passwordHistoryCheckCount: 5,
        passwordMinLength: 8,
        passwordMaxLength: 64,
        passwordRequireSpecialChar: true,
      },
    })
  })

  it('ignores a group whose status is 0, rows of another type and unknown keys', () => {
    expect(
      overridesFromRows([
        row('LOGIN', 'LOGIN_CONFIG_STATUS', '0'),
        row('LOGIN', 'LOGIN_CAPTCHA_ENABLED', 'true'),
        row('USER_SECURITY', 'USER_LOCK_THRESHOLD', '2'),
        row('EMAIL', 'USER_LOCK_SECONDS', '1'),
        row(null, 'USER_PASSWORD_MIN_LENGTH', '1'),
        row('USER_SECURITY', 'USER_SOMETHING_ELSE', 'x'),
        row('USER_SECURITY', 'LOGIN_CAPTCHA_ENABLED', 'true'),
      ]),
    ).toEqual({ userSecurity: { lockThreshold: 2 } })
    expect(overridesFromRows([])).toEqual({})
  })

  it('keeps the default for a malformed value and reports it', () => {
    const warnings: unknown[] = []
    const overrides = overridesFromRows(
      [
        row('LOGIN', 'LOGIN_CAPTCHA_ENABLED', 'yes'),
        row('USER_SECURITY', 'USER_LOCK_THRESHOLD', 'five'),
        row('USER_SECURITY', 'USER_LOCK_SECONDS', '0'),
        row('USER_SECURITY', 'USER_PASSWORD_MIN_LENGTH', '-3'),
        row('USER_SECURITY', 'USER_PASSWORD_MAX_LENGTH', '1.5'),
        row('USER_SECURITY', 'USER_PASSWORD_EXPIRY_DAYS', '30'),
      ],
      (msg, fields) => warnings.push({ msg, ...fields }),
    )
    expect(overrides).toEqual({ userSecurity: { passwordExpiryDays: 30 } })
    expect(warnings).toHaveLength(5)
    expect(warnings[0]).toMatchObject({ key: 'LOGIN_CAPTCHA_ENABLED', value: 'yes', expected: 'bool' })
    expect(warnings[1]).toMatchObject({ key: 'USER_LOCK_THRESHOLD', value: 'five', expected: 'int' })
  })
})

describe('configSettingsProvider', () => {
  beforeAll(async () => {
    await seedFileDatabase()
    await enableSeededSettingsGroups()
  })

  it('reads the seeded rows', async () => {
    const overrides = await configSettingsProvider({ db: fileDb() })(DEFAULTS)
    // The seeded USER_SECURITY rows hold the same values as the env defaults; every one of them is an override.
    expect(overrides).toEqual({ login: { captchaEnabled: true }, userSecurity: { ...DEFAULTS.userSecurity } })
  })

  it('drops contradictory password lengths (min above max) and reports it', async () => {
    const warnings: string[] = []
    const provider = configSettingsProvider({
      db: fileDb(),
      logger: { warn: (msg) => warnings.push(msg) },
    })
    const db = fileDb()
    await db.update(sysConfig).set({ value: '40' }).where(eq(sysConfig.key, 'USER_PASSWORD_MIN_LENGTH'))
    try {
      const overrides = await provider(DEFAULTS)
      expect(overrides.userSecurity?.passwordMinLength).toBeUndefined()
      expect(overrides.userSecurity?.passwordMaxLength).toBeUndefined()
      expect(overrides.userSecurity?.lockThreshold).toBe(5)
      expect(warnings).toEqual(['config: password min length exceeds max length, the defaults apply'])
    } finally {
      await db.update(sysConfig).set({ value: '6' }).where(eq(sysConfig.key, 'USER_PASSWORD_MIN_LENGTH'))
    }
  })

  it('is the manifest’s settings provider', () => {
    expect(configPlugin.settingsProvider).toBe(configSettingsProvider)
  })
})

describe('through the API: a config change applies on the next request', () => {
  let admin: string

  /** The auth routes with this file's generous login limits (it logs in many times from one client). */
  const auth = () => api<typeof authRoutes>(undefined, { overrides: RELAXED_AUTH_LIMITS }).auth
  const configs = () => api<typeof configRoutes>(admin).sys.configs

  const tryLogin = (username: string, password = SEED_PASSWORD, extra: { uuid?: string; captcha?: string } = {}) =>
    auth().login.$post({ json: { username, password, ...extra } })

  async function captcha() {
    const { status, data } = await answer(auth().captcha.$get())
    expect(status).toBe(200)
    const code = await fileRedis().get<string>(`stratum:captcha:${data.uuid}`)
    return { enabled: data.is_enabled, uuid: data.uuid, code: String(code) }
  }

  async function configRow(key: string) {
    const [found] = await fileDb().select().from(sysConfig).where(eq(sysConfig.key, key))
    if (!found) throw new Error(`no config ${key}`)
    return found
  }

  /** `PUT /api/v1/sys/configs` with new values for some keys (the admin UI's bulk save). */
  async function saveConfigs(values: Record<string, string>) {
    const items = await Promise.all(
      Object.entries(values).map(async ([key, value]) => {
        const r = await configRow(key)
        return { id: r.id, name: r.name, type: r.type, key: r.key, value, is_frontend: r.isFrontend, remark: r.remark }
      }),
    )
    const { status, body } = await answer(configs().$put({ json: items }))
    expect(status, JSON.stringify(body)).toBe(200)
  }

  beforeAll(async () => {
    await seedFileDatabase()
    // Whatever the shared test seed does to the settings groups, this file tests them switched on.
    await enableSeededSettingsGroups()
    await fileDb().update(sysConfig).set({ value: 'true' }).where(eq(sysConfig.key, 'LOGIN_CAPTCHA_ENABLED'))
  })

  it('the seeded LOGIN_CAPTCHA_ENABLED row wins over the env default: the captcha is required', async () => {
    const first = await captcha()
    expect(first.enabled).toBe(true)
    const without = await failure(tryLogin('admin'))
    expect(without.status).toBe(400)
    expect(without.body.msg).toBe('Captcha is invalid, please try again')
    const solved = await answer(tryLogin('admin', SEED_PASSWORD, { uuid: first.uuid, captcha: first.code }))
    expect(solved.status, JSON.stringify(solved.body)).toBe(200)
    admin = String(solved.data.access_token)
  })

  it('a key named in SETTINGS_FROM_ENV keeps its environment value over the row (npm run dev)', async () => {
    const pinned = { ...RELAXED_AUTH_LIMITS, SETTINGS_FROM_ENV: 'LOGIN_CAPTCHA_ENABLED' }
    const captchaOn = await answer(api<typeof authRoutes>(undefined, { overrides: pinned }).auth.captcha.$get())
    expect(captchaOn.data.is_enabled).toBe(false) // the test bindings say false; the row says true
    const login = api<typeof authRoutes>(undefined, { overrides: pinned }).auth.login
    const { status, body } = await answer(login.$post({ json: { username: 'admin', password: SEED_PASSWORD } }))
    expect(status, JSON.stringify(body)).toBe(200)
    // Without the key named, the row wins again.
    expect((await captcha()).enabled).toBe(true)
  })

  it('switching the captcha off through PUT /sys/configs lets the next login skip it', async () => {
    await saveConfigs({ LOGIN_CAPTCHA_ENABLED: 'false' })
    expect((await captcha()).enabled).toBe(false)
    const { status, body } = await answer(tryLogin('admin'))
    expect(status, JSON.stringify(body)).toBe(200)
    // And back on: required again on the very next request.
    await saveConfigs({ LOGIN_CAPTCHA_ENABLED: 'true' })
    expect((await tryLogin('admin')).status).toBe(400)
    await saveConfigs({ LOGIN_CAPTCHA_ENABLED: 'false' })
  })

  it('USER_LOCK_THRESHOLD = 2 locks the account on the second wrong password', async () => {
    await fileDb().insert(sysUser).values({ username: 'locky', nickname: 'locky', password: null, deptId: 1 })
    const threshold = await configRow('USER_LOCK_THRESHOLD')
    const updated = await configs()[':pk'].$put({
      param: { pk: String(threshold.id) },
      json: {
        name: threshold.name,
        type: threshold.type,
        key: threshold.key,
        value: '2',
        is_frontend: false,
        remark: threshold.remark,
      },
    })
    expect(updated.status).toBe(200)
    const first = await failure(tryLogin('locky', 'wrong-1'))
    expect(first.status).toBe(403)
    expect(first.body.msg).toBe('Incorrect username or password')
    const second = await failure(tryLogin('locky', 'wrong-2'))
    expect(second.status).toBe(403)
    expect(second.body.msg).toBe('Too many failed logins; the account is locked')
    await saveConfigs({ USER_LOCK_THRESHOLD: '5' })
  })

  it('a group switched off (`*_CONFIG_STATUS` = 0) falls back to the env defaults', async () => {
    await saveConfigs({ LOGIN_CONFIG_STATUS: '0', LOGIN_CAPTCHA_ENABLED: 'true' })
    // The env (test bindings) has the captcha off.
    expect((await captcha()).enabled).toBe(false)
    expect((await tryLogin('admin')).status).toBe(200)
    await saveConfigs({ LOGIN_CONFIG_STATUS: '1' })
    expect((await captcha()).enabled).toBe(true)
    await saveConfigs({ LOGIN_CAPTCHA_ENABLED: 'false' })
  })

  it('drives the password policy (length, special characters) for user creation', async () => {
    await saveConfigs({ USER_PASSWORD_MIN_LENGTH: '12', USER_PASSWORD_REQUIRE_SPECIAL_CHAR: 'true' })
    const createUser = (password: string) =>
      api<typeof userRoutes>(admin).sys.users.$post({
        json: { username: `policy_${crypto.randomUUID().slice(0, 8)}`, password, dept_id: 1, roles: [] },
      })
    const short = await failure(createUser('abc12345'))
    expect(short.status).toBe(400)
    expect(short.body.msg).toBe('Password must be at least 12 characters long')
    const plain = await failure(createUser('abcdefgh12345'))
    expect(plain.status).toBe(400)
    expect(plain.body.msg).toBe('Password must contain a special character (e.g. !@#$%)')
    await saveConfigs({ USER_PASSWORD_MIN_LENGTH: '6', USER_PASSWORD_REQUIRE_SPECIAL_CHAR: 'false' })
    expect((await createUser('abc12345')).status).toBe(200)
  })

  it('reads the settings through the cache: a change behind the API’s back waits for the next config write', async () => {
    expect((await captcha()).enabled).toBe(false)
    await fileDb().update(sysConfig).set({ value: 'true' }).where(eq(sysConfig.key, 'LOGIN_CAPTCHA_ENABLED'))
    expect((await captcha()).enabled).toBe(false)
    // Any config write drops the cached settings.
    await saveConfigs({ EMAIL_HOST: 'smtp.example.com' })
    expect((await captcha()).enabled).toBe(true)
  })

  it('with the plugin switched off the env defaults apply again (and its routes are closed)', async () => {
    expect((await captcha()).enabled).toBe(true)
    const toggle = () =>
      api<typeof pluginAdminRoutes>(admin).sys.plugins[':plugin'].status.$put({ param: { plugin: 'config' } })
    expect((await toggle()).status).toBe(200)
    try {
      expect((await captcha()).enabled).toBe(false)
      expect((await tryLogin('admin')).status).toBe(200)
      expect((await configs().all.$get({ query: {} })).status).toBe(403)
    } finally {
      expect((await toggle()).status).toBe(200)
    }
    expect((await captcha()).enabled).toBe(true)
  })
})
