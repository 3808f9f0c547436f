/**
 * `GET /monitors/redis` (docs/fba-compatibility.md, "Monitors") against the emulator's real redis-server, and the
 * rate-limit admin endpoints `GET|DELETE /monitors/rate-limits`.
 */
import { Redis } from '@upstash/redis/cloudflare'
import { describe, expect, it, vi } from 'vitest'
import { ServiceUnavailableError } from '../../../src/core/errors'
import {
  commandStats,
  formatUptime,
  parseInfo,
  REDIS_INFO_FIELDS,
  redisMonitor,
  type redisMonitorRoutes,
} from '../../../src/domains/monitors/redis'
import { seedAndSignIn } from '../../helpers/auth'
import { DATETIME, sleep } from '../../helpers/fixtures'
import { answer, api, type ClientOptions, failure, send } from '../../helpers/harness'
import { FILE_ID, fileRedis } from '../../helpers/isolation'
import { signedInWith } from '../../helpers/permissions'
import { attemptLogin } from '../auth/helpers'

// The reset test may first wait (up to 10 s) for a minute window to start.
vi.setConfig({ testTimeout: 20_000 })

const tokens = seedAndSignIn()

const monitors = (token?: string, options?: ClientOptions) => api<typeof redisMonitorRoutes>(token, options).monitors

describe('GET /monitors/redis', () => {
  it("answers fba's shape: info (all strings) and command stats", async () => {
    await fileRedis().set(`monitor-probe-${FILE_ID}`, '1')
    const keysBefore = await fileRedis().dbsize()
    const res = await monitors(tokens.admin).redis.$get()
    const keysAfter = await fileRedis().dbsize()
    const { status, body, data } = await answer(res)
    expect(status).toBe(200)
    expect(body.code).toBe(200)
    const { info, stats } = data
    expect(Object.keys(data).sort()).toEqual(['info', 'stats'])
    expect(Object.keys(info)).toEqual([...REDIS_INFO_FIELDS])
    for (const field of REDIS_INFO_FIELDS) expect(typeof info[field], field).toBe('string')
    expect(info.redis_version).toMatch(/^\d+\.\d+\.\d+/)
    expect(info.redis_mode).toBe('standalone')
    expect(info.role).toBe('master')
    expect(info.tcp_port).toMatch(/^\d+$/)
    expect(info.uptime).toMatch(/^(\d+ (day|hour|minute|second)s?)( \d+ (day|hour|minute|second)s?)*$/)
    expect(info.connected_clients).toMatch(/^\d+$/)
    expect(info.blocked_clients).toMatch(/^\d+$/)
    expect(info.used_memory_human).toMatch(/^[\d.]+[BKMGT]$/)
    expect(info.used_memory_rss_human).toMatch(/^[\d.]+[BKMGT]$/)
    expect(info.maxmemory_human).toMatch(/^[\d.]+[BKMGT]$/)
    expect(info.mem_fragmentation_ratio).toMatch(/^[\d.]+$/)
    expect(info.instantaneous_ops_per_sec).toMatch(/^\d+$/)
    expect(info.total_commands_processed).toMatch(/^\d+$/)
    expect(info.rejected_connections).toMatch(/^\d+$/)
    // keys_num is this database's DBSIZE (the emulator gives every test file its own database); the request
    // itself may add keys (rate-limit counters, cache fills), hence the range.
    expect(info.keys_num).toMatch(/^\d+$/)
    expect(Number(info.keys_num)).toBeGreaterThanOrEqual(keysBefore)
    expect(Number(info.keys_num)).toBeLessThanOrEqual(keysAfter)

    expect(stats.length).toBeGreaterThan(0)
    for (const stat of stats) {
      expect(Object.keys(stat).sort()).toEqual(['name', 'value'])
      expect(stat.name).toMatch(/^[a-z][\w|-]*$/)
      expect(stat.value).toMatch(/^\d+$/)
    }
    expect(stats.map((s) => s.name)).toContain('set')
  })

  it('localizes the uptime', async () => {
    const { data } = await answer(monitors(tokens.admin, { headers: { 'Accept-Language': 'zh-CN' } }).redis.$get())
    expect(data.info.uptime).toMatch(/^\d+ (天|小时|分钟|秒)( \d+ (天|小时|分钟|秒))*$/)
  })

  it('needs monitor:redis: 401 anonymous, 403 for the test user, 200 for a holder', async () => {
    expect((await monitors().redis.$get()).status).toBe(401)
    const denied = await failure(monitors(tokens.test).redis.$get())
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect((await monitors(await signedInWith(['monitor:redis'])).redis.$get()).status).toBe(200)
  })

  it('answers 503 when Redis cannot answer INFO', async () => {
    const down = new Redis({ url: 'http://127.0.0.1:9', token: 'x', retry: false })
    await expect(redisMonitor(down, 'en-US')).rejects.toBeInstanceOf(ServiceUnavailableError)
  })
})

describe('INFO parsing', () => {
  it('formats the uptime like fba (zero parts left out)', () => {
    expect(formatUptime(0, 'en-US')).toBe('0 seconds')
    expect(formatUptime(1, 'en-US')).toBe('1 second')
    expect(formatUptime(59, 'en-US')).toBe('59 seconds')
    expect(formatUptime(3 * 86_400 + 2 * 3600 + 5 * 60, 'en-US')).toBe('3 days 2 hours 5 minutes')
    expect(formatUptime(86_400 + 3600 + 60 + 1, 'en-US')).toBe('1 day 1 hour 1 minute 1 second')
    expect(formatUptime(3 * 86_400 + 2 * 3600 + 5 * 60, 'zh-CN')).toBe('3 天 2 小时 5 分钟')
    expect(formatUptime(0, 'zh-CN')).toBe('0 秒')
  })

  it('reads sections, skips headers and takes the calls of each command', () => {
    const info = parseInfo(
      '# Server\r\nredis_version:7.2.4\r\nuptime_in_seconds:42\r\n\r\n# Commandstats\r\n' +
        'cmdstat_get:calls=12,usec=30,usec_per_call=2.50,rejected_calls=0,failed_calls=0\r\n' +
        'cmdstat_client|list:calls=3,usec=9,usec_per_call=3.00\r\n',
    )
    expect(info.redis_version).toBe('7.2.4')
    expect(info.uptime_in_seconds).toBe('42')
    expect(commandStats(info)).toEqual([
      { name: 'get', value: '12' },
      { name: 'client|list', value: '3' },
    ])
  })
})

describe('rate-limit admin endpoints', () => {
  const overrides = { RATE_LIMIT_LOGIN: '5/60s' }
  const ip = `198.51.${Number.parseInt(FILE_ID.slice(0, 2), 16)}.${Number.parseInt(FILE_ID.slice(2, 4), 16)}`

  const loginFrom = (clientIp: string) =>
    attemptLogin('admin', '123456', { headers: { 'CF-Connecting-IP': clientIp }, overrides })

  type Query = { rule: string; identifier: string }
  const inspect = (query: Query, token = tokens.admin) => monitors(token, { overrides })['rate-limits'].$get({ query })
  const reset = (query: Query, token = tokens.admin) => monitors(token, { overrides })['rate-limits'].$delete({ query })

  it('shows an identifier blocked under a rule, and a reset lets it log in again', async () => {
    // Stay inside one minute-window of the sliding limit.
    const into = Date.now() % 60_000
    if (into > 50_000) await sleep(60_000 - into + 50)

    const fresh = await answer(inspect({ rule: 'auth.login', identifier: `ip:${ip}` }))
    expect(fresh.status).toBe(200)
    expect(fresh.data).toMatchObject({
      rule: 'auth.login',
      identifier: `ip:${ip}`,
      blocked: false,
      rates: [{ algorithm: 'slidingWindow', limit: 5, window: '60 s', remaining: 5 }],
    })

    for (let i = 0; i < 5; i++) expect((await loginFrom(ip)).status).toBe(200)
    expect((await loginFrom(ip)).status).toBe(429)

    const { data: state } = await answer(inspect({ rule: 'auth.login', identifier: ip }))
    expect(state.blocked).toBe(true)
    expect(state.rates[0]).toMatchObject({ limit: 5, remaining: 0 })
    expect(state.rates[0]?.reset).toBeGreaterThanOrEqual(0)
    expect(state.rates[0]?.reset).toBeLessThanOrEqual(60)
    expect(state.rates[0]?.reset_time).toMatch(DATETIME)

    const done = await answer(reset({ rule: 'auth.login', identifier: `ip:${ip}` }))
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({ code: 200, data: null })
    expect((await answer(inspect({ rule: 'auth.login', identifier: `ip:${ip}` }))).data).toMatchObject({
      blocked: false,
      rates: [{ remaining: 5 }],
    })
    expect((await loginFrom(ip)).status).toBe(200)
  })

  it('answers 404 for an unknown rule, naming the known ones', async () => {
    const { status, body } = await failure(inspect({ rule: 'nope', identifier: '1.2.3.4' }))
    expect(status).toBe(404)
    expect(body.msg).toContain('Unknown rate-limit rule nope')
    expect(body.msg).toContain('auth.login')
    expect(body.msg).toContain('default')
  })

  it('validates the query', async () => {
    const path = '/api/v1/monitors/rate-limits?rule=auth.login'
    const { status, errors } = await failure(send('GET', path, { token: tokens.admin, overrides }))
    expect(status).toBe(422)
    expect(errors[0]?.loc).toEqual(['query', 'identifier'])
  })

  it('reads need monitor:rate-limit; a reset is for superusers only', async () => {
    const query = { rule: 'auth.login', identifier: ip }
    expect((await monitors()['rate-limits'].$get({ query })).status).toBe(401)
    expect((await monitors()['rate-limits'].$delete({ query })).status).toBe(401)
    expect((await inspect(query, tokens.test)).status).toBe(403)
    expect((await reset(query, tokens.test)).status).toBe(403)
    const holder = await signedInWith(['monitor:rate-limit'])
    expect((await inspect(query, holder)).status).toBe(200)
    expect((await reset(query, holder)).status).toBe(403)
  })
})
