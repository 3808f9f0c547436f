import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/core/config'
import type { healthRoutes } from '../../src/domains/health/routes'
import { api, failure } from '../helpers/harness'

describe('config', () => {
  it('applies defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ ENVIRONMENT: 'development', API_DEFAULT_VERSION: 'v1', DEMO_MODE: false })
    expect(config.BODY_LIMIT_BYTES).toBe(1024 * 1024)
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

  it('fails fast: a request answers 500 naming the bad keys', async () => {
    const overrides = { BODY_LIMIT_BYTES: 'lots', LOG_LEVEL: 'loud' }
    const { status, body } = await failure(api<typeof healthRoutes>(undefined, { overrides }).health.ping.$get())
    expect(status).toBe(500)
    expect(body.msg).toContain('Invalid configuration')
    expect(body.msg).toContain('BODY_LIMIT_BYTES')
    expect(body.msg).toContain('LOG_LEVEL')
    expect(body.trace_id).toBeTruthy()
  })
})
