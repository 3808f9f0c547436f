import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, PRODUCTION_REQUIRED_KEYS } from '../../src/core/config'
import type { healthRoutes } from '../../src/domains/health/routes'
import { codegenEnvSettings } from '../../src/plugins/code_generator/settings'
import { api, failure } from '../helpers/harness'
import { expectLogs } from '../helpers/logs'

describe('config', () => {
  it('applies defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ ENVIRONMENT: 'development', API_DEFAULT_VERSION: 'v1', DEMO_MODE: false })
    expect(config.BODY_LIMIT_BYTES).toBe(1024 * 1024)
  })

  it('reads SETTINGS_FROM_ENV as a list of setting keys and refuses other names', () => {
    expect(loadConfig({}).SETTINGS_FROM_ENV).toEqual([])
    expect(loadConfig({ SETTINGS_FROM_ENV: 'LOGIN_CAPTCHA_ENABLED, USER_LOCK_SECONDS' }).SETTINGS_FROM_ENV).toEqual([
      'LOGIN_CAPTCHA_ENABLED',
      'USER_LOCK_SECONDS',
    ])
    expect(() => loadConfig({ SETTINGS_FROM_ENV: 'JWT_SECRET' })).toThrow(/SETTINGS_FROM_ENV/)
  })

  it('lists every bad key in one error', () => {
    const bad = { ENVIRONMENT: 'staging', BODY_LIMIT_BYTES: '-1', TURSO_DATABASE_URL: 'ftp://x', API_DEPRECATIONS: '{' }
    try {
      loadConfig(bad)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      const keys = (err as ConfigError).problems.map((p) => p.split(':')[0])
      expect(keys).toEqual(
        expect.arrayContaining(['ENVIRONMENT', 'BODY_LIMIT_BYTES', 'TURSO_DATABASE_URL', 'API_DEPRECATIONS']),
      )
    }
  })

  it('requires the data services in production', () => {
    expect(() => loadConfig({ ENVIRONMENT: 'production' })).toThrow(/TURSO_DATABASE_URL.*UPSTASH_REDIS_REST_URL/)
  })

  describe('production', () => {
    const services = {
      ENVIRONMENT: 'production',
      TURSO_DATABASE_URL: 'libsql://db-org.turso.io',
      TURSO_AUTH_TOKEN: 'token',
      UPSTASH_REDIS_REST_URL: 'https://eu1-example.upstash.io',
      UPSTASH_REDIS_REST_TOKEN: 'token',
      QSTASH_TOKEN: 'token',
      QSTASH_CURRENT_SIGNING_KEY: 'sig_current',
      QSTASH_NEXT_SIGNING_KEY: 'sig_next',
      PUBLIC_URL: 'https://api.example.com',
    }
    const secrets = { JWT_SECRET: 'j'.repeat(32), PASSWORD_PEPPER: 'p'.repeat(16) }
    const problemKeys = (env: object): string[] => {
      try {
        loadConfig(env)
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError)
        return (err as ConfigError).problems.map((p) => p.split(':')[0] as string)
      }
      return []
    }

    it('without JWT_SECRET and PASSWORD_PEPPER fails with one error listing both', () => {
      expect(() => loadConfig({ ...services })).toThrow(
        /^Invalid configuration: .*JWT_SECRET: required in production.*PASSWORD_PEPPER: required in production/,
      )
      expect(problemKeys({ ...services }).sort()).toEqual(['JWT_SECRET', 'PASSWORD_PEPPER'])
      expect(problemKeys({ ...services, PASSWORD_PEPPER: secrets.PASSWORD_PEPPER })).toEqual(['JWT_SECRET'])
      expect(problemKeys({ ...services, JWT_SECRET: secrets.JWT_SECRET })).toEqual(['PASSWORD_PEPPER'])
    })

    it('lists every missing key at once', () => {
      expect(problemKeys({ ENVIRONMENT: 'production' }).sort()).toEqual([...PRODUCTION_REQUIRED_KEYS].sort())
    })

    it('needs a token for a Turso-hosted database, not for a self-hosted libSQL server', () => {
      expect(problemKeys({ ...services, ...secrets, TURSO_AUTH_TOKEN: undefined })).toEqual(['TURSO_AUTH_TOKEN'])
      expect(
        problemKeys({ ...services, ...secrets, TURSO_DATABASE_URL: 'https://libsql.internal.example.com' }),
      ).toEqual([])
      expect(loadConfig({ ...services, ...secrets }).ENVIRONMENT).toBe('production')
    })

    it('a deployed Worker without them answers every request, /health included, with 500 (not a healthy 200)', async () => {
      const overrides = { ENVIRONMENT: 'production', JWT_SECRET: undefined, PASSWORD_PEPPER: undefined }
      const logs = expectLogs({ msg: 'request failed', error: 'ConfigError' })
      const { status, body } = await failure(api<typeof healthRoutes>(undefined, { overrides }).health.ping.$get())
      expect(status).toBe(500)
      // Production bodies stay generic; the list of keys goes to the log line (README "Deploying").
      expect(body.msg).not.toContain('JWT_SECRET')
      expect(String(logs.entries[0]?.message)).toMatch(/JWT_SECRET.*PASSWORD_PEPPER/)
    })

    it('outside production nothing is required', () => {
      expect(problemKeys({ ENVIRONMENT: 'development' })).toEqual([])
      expect(problemKeys({ ENVIRONMENT: 'test' })).toEqual([])
    })
  })

  it('fails fast: a request answers 500 naming the bad keys', async () => {
    const overrides = { BODY_LIMIT_BYTES: 'lots', LOG_LEVEL: 'loud' }
    expectLogs({ msg: 'request failed', error: 'ConfigError' })
    const { status, body } = await failure(api<typeof healthRoutes>(undefined, { overrides }).health.ping.$get())
    expect(status).toBe(500)
    expect(body.msg).toContain('Invalid configuration')
    expect(body.msg).toContain('BODY_LIMIT_BYTES')
    expect(body.msg).toContain('LOG_LEVEL')
    expect(body.trace_id).toBeTruthy()
  })
})

describe("a plugin's settings (plugins/env-settings.ts)", () => {
  it('are read like core config: once per env object, and every bad key named in the same words', () => {
    const env = { CODEGEN_WRITER_TIMEOUT_MS: '5000' }
    expect(codegenEnvSettings(env)).toBe(codegenEnvSettings(env))
    expect(codegenEnvSettings({ ...env })).not.toBe(codegenEnvSettings(env))
    const problems = (bad: object) => {
      try {
        codegenEnvSettings(bad)
      } catch (err) {
        if (err instanceof ConfigError) return err.problems
        throw err
      }
      return []
    }
    // The validation texts of a request's fields (core/validation.ts), not zod's raw ones.
    expect(problems({ CODEGEN_WRITER_TIMEOUT_MS: '5', CODEGEN_WRITER_URL: 'not a url' })).toEqual([
      'CODEGEN_WRITER_URL: Invalid url',
      'CODEGEN_WRITER_TIMEOUT_MS: Must be greater than or equal to 100',
    ])
  })
})
