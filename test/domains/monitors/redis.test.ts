/**
 * `GET /monitors/redis` (contract §2.11) against the emulator's real redis-server, and the rate-limit admin endpoints
 * `GET|DELETE /monitors/rate-limits`.
 */
import { env } from 'cloudflare:workers'
import { Redis } from '@upstash/redis/cloudflare'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { ServiceUnavailableError } from '../../../src/core/errors'
import {
  commandStats,
  formatUptime,
  parseInfo,
  REDIS_INFO_FIELDS,
  redisMonitor,
} from '../../../src/domains/monitors/redis'
import { call, callJson, jsonInit, type Overrides } from '../../helpers/app'
import { authed, login } from '../../helpers/auth'
import { seedFileDatabase } from '../../helpers/database'
import { FILE_ID, fileBindings } from '../../helpers/isolation'

// The reset test may first wait (up to 10 s) for a minute window to start.
vi.setConfig({ testTimeout: 20_000 })

let adminToken: string
let testToken: string

beforeAll(async () => {
  await seedFileDatabase()
  adminToken = (await login('admin')).accessToken
  testToken = (await login('test')).accessToken
})

const redis = () =>
  new Redis({
    url: fileBindings.UPSTASH_REDIS_REST_URL as string,
    token: String((env as unknown as Record<string, unknown>).UPSTASH_REDIS_REST_TOKEN),
  })

type Monitor = { info: Record<string, unknown>; stats: { name: unknown; value: unknown }[] }

describe('GET /monitors/redis', () => {
  it('answers the contract shape: info (all strings) and command stats', async () => {
    await redis().set(`monitor-probe-${FILE_ID}`, '1')
    const keysBefore = await redis().dbsize()
    const res = await authed('/api/v1/monitors/redis', adminToken)
    const keysAfter = await redis().dbsize()
    expect(res.status).toBe(200)
    const body = (await res.json()) as { code: number; msg: string; data: Monitor }
    expect(body.code).toBe(200)
    const { info, stats } = body.data
    expect(Object.keys(body.data).sort()).toEqual(['info', 'stats'])
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
    const res = await authed('/api/v1/monitors/redis', adminToken, { headers: { 'Accept-Language': 'zh-CN' } })
    const { data } = (await res.json()) as { data: Monitor }
    expect(data.info.uptime).toMatch(/^\d+ (天|小时|分钟|秒)( \d+ (天|小时|分钟|秒))*$/)
  })

  it('is open to any signed-in user, not to anonymous callers', async () => {
    expect((await call('/api/v1/monitors/redis')).status).toBe(401)
    expect((await authed('/api/v1/monitors/redis', testToken)).status).toBe(200)
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
  const LOGIN: Overrides = { RATE_LIMIT_LOGIN: '5/60s' }
  const ip = `198.51.${Number.parseInt(FILE_ID.slice(0, 2), 16)}.${Number.parseInt(FILE_ID.slice(2, 4), 16)}`

  const loginFrom = (clientIp: string) =>
    callJson(
      '/api/v1/auth/login',
      jsonInit('POST', { username: 'admin', password: '123456' }, { 'CF-Connecting-IP': clientIp }),
      LOGIN,
    )

  const inspect = (query: string, token = adminToken) =>
    callJson(`/api/v1/monitors/rate-limits?${query}`, { headers: { Authorization: `Bearer ${token}` } }, LOGIN)

  const reset = (query: string, token = adminToken) =>
    callJson(
      `/api/v1/monitors/rate-limits?${query}`,
      { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } },
      LOGIN,
    )

  it('shows an identifier blocked under a rule, and a reset lets it log in again', async () => {
    // Stay inside one minute-window of the sliding limit.
    const into = Date.now() % 60_000
    if (into > 50_000) await new Promise((r) => setTimeout(r, 60_000 - into + 50))

    const fresh = await inspect(`rule=auth.login&identifier=ip:${ip}`)
    expect(fresh.res.status).toBe(200)
    expect(fresh.body.data).toMatchObject({
      rule: 'auth.login',
      identifier: `ip:${ip}`,
      blocked: false,
      rates: [{ algorithm: 'slidingWindow', limit: 5, window: '60 s', remaining: 5 }],
    })

    for (let i = 0; i < 5; i++) expect((await loginFrom(ip)).res.status).toBe(200)
    expect((await loginFrom(ip)).res.status).toBe(429)

    const blocked = await inspect(`rule=auth.login&identifier=${ip}`)
    const state = blocked.body.data as {
      blocked: boolean
      rates: { remaining: number; limit: number; reset: number; reset_time: string }[]
    }
    expect(state.blocked).toBe(true)
    expect(state.rates[0]).toMatchObject({ limit: 5, remaining: 0 })
    expect(state.rates[0]?.reset).toBeGreaterThanOrEqual(0)
    expect(state.rates[0]?.reset).toBeLessThanOrEqual(60)
    expect(state.rates[0]?.reset_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)

    const done = await reset(`rule=auth.login&identifier=ip:${ip}`)
    expect(done.res.status).toBe(200)
    expect(done.body).toMatchObject({ code: 200, data: null })
    expect((await inspect(`rule=auth.login&identifier=ip:${ip}`)).body.data).toMatchObject({
      blocked: false,
      rates: [{ remaining: 5 }],
    })
    expect((await loginFrom(ip)).res.status).toBe(200)
  })

  it('answers 404 for an unknown rule, naming the known ones', async () => {
    const { res, body } = await inspect('rule=nope&identifier=1.2.3.4')
    expect(res.status).toBe(404)
    expect(body.msg).toContain('Unknown rate-limit rule nope')
    expect(body.msg).toContain('auth.login')
    expect(body.msg).toContain('default')
  })

  it('validates the query', async () => {
    const { res, body } = await inspect('rule=auth.login')
    expect(res.status).toBe(422)
    expect((body.data as { errors: { loc: string[] }[] }).errors[0]?.loc).toEqual(['query', 'identifier'])
  })

  it('is for superusers only', async () => {
    const query = `rule=auth.login&identifier=${ip}`
    expect((await call(`/api/v1/monitors/rate-limits?${query}`)).status).toBe(401)
    expect((await call(`/api/v1/monitors/rate-limits?${query}`, { method: 'DELETE' })).status).toBe(401)
    expect((await inspect(query, testToken)).res.status).toBe(403)
    expect((await reset(query, testToken)).res.status).toBe(403)
  })
})
