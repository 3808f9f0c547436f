/** `.dev.vars` handling of `stratum dev`: parse, merge precedence (file < emulators < environment), format. */
import { describe, expect, it } from 'vitest'
import { SETTING_ENV_KEYS } from '../../../src/core/config'
import { formatDevVars, mergeDevVars, parseDevVars, settingsFromEnv } from '../../../tools/cli/lib/dev-vars'

describe('dev vars', () => {
  it('parses comments, quotes and blank lines', () => {
    const text = '# comment\nA=1\n\nB="two words"\nC=\'x=y\'\n  D = spaced \nnot a pair\n'
    expect(parseDevVars(text)).toEqual({ A: '1', B: 'two words', C: 'x=y', D: 'spaced' })
  })

  it('lets emulator values replace the file and known environment variables replace both', () => {
    const existing = { JWT_SECRET: 'mine', TURSO_DATABASE_URL: 'http://old/', CUSTOM: 'kept' }
    const managed = { TURSO_DATABASE_URL: 'http://127.0.0.1:1/', UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:2' }
    const env = { DEMO_MODE: 'true', UPSTASH_REDIS_REST_URL: 'https://real.upstash.io', UNRELATED: 'x' }
    const merged = mergeDevVars(existing, managed, env, ['DEMO_MODE', 'UPSTASH_REDIS_REST_URL', 'TURSO_DATABASE_URL'])
    expect(merged).toEqual({
      JWT_SECRET: 'mine',
      CUSTOM: 'kept',
      TURSO_DATABASE_URL: 'http://127.0.0.1:1/',
      UPSTASH_REDIS_REST_URL: 'https://real.upstash.io',
      DEMO_MODE: 'true',
    })
  })

  it('names the settings set in the environment of this run in SETTINGS_FROM_ENV', () => {
    expect(settingsFromEnv({ LOGIN_CAPTCHA_ENABLED: 'false', DEMO_MODE: 'true' }, SETTING_ENV_KEYS)).toBe(
      'LOGIN_CAPTCHA_ENABLED',
    )
    expect(settingsFromEnv({ USER_LOCK_THRESHOLD: '0', LOGIN_CAPTCHA_ENABLED: '' }, SETTING_ENV_KEYS)).toBe(
      'LOGIN_CAPTCHA_ENABLED,USER_LOCK_THRESHOLD',
    )
    // Named by hand too (deduplicated); nothing set → nothing named, so the seeded rows apply again.
    expect(
      settingsFromEnv({ SETTINGS_FROM_ENV: 'USER_LOCK_SECONDS, ', USER_LOCK_SECONDS: '60' }, SETTING_ENV_KEYS),
    ).toBe('USER_LOCK_SECONDS')
    expect(settingsFromEnv({}, SETTING_ENV_KEYS)).toBe('')
  })

  it('round-trips through its own format', () => {
    const vars = { A: 'plain', B: 'has space', C: 'quote"inside', D: '' }
    expect(parseDevVars(formatDevVars(vars, 'header\nline two'))).toEqual(vars)
  })
})
