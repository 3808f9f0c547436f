/**
 * `GET /monitors/server` (docs/fba-compatibility.md, "Monitors"; docs/monitors.md) on Workers: fba's shape, only what
 * a Worker can know (the data center from `request.cf`, the isolate's age and request count), the permission rule.
 */
import { describe, expect, it } from 'vitest'
import type { serverMonitorRoutes } from '../../../src/domains/monitors/server'
import { toServerMonitor } from '../../../src/domains/monitors/server'
import { seedAndSignIn } from '../../helpers/auth'
import { DATETIME } from '../../helpers/fixtures'
import { answer, api, type ClientOptions, failure, send } from '../../helpers/harness'
import { signedInWith } from '../../helpers/permissions'

const tokens = seedAndSignIn()

const monitors = (token?: string, options?: ClientOptions) => api<typeof serverMonitorRoutes>(token, options).monitors

describe('GET /monitors/server', () => {
  it("answers fba's shape with what a Worker can honestly report", async () => {
    const { status, data } = await answer(monitors(tokens.admin).server.$get())
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual(['cpu', 'disk', 'mem', 'service', 'sys'])
    expect(Object.keys(data.cpu).sort()).toEqual(
      ['current_freq', 'logical_num', 'max_freq', 'min_freq', 'physical_num', 'usage'].sort(),
    )
    // No memory, disk or frequency figures exist for a Worker: the neutral values, not invented ones.
    expect(data.mem).toEqual({ total: 0, used: 0, free: 0, usage: 0 })
    expect(data.disk).toEqual([])
    expect(data.cpu).toMatchObject({ physical_num: 0, max_freq: 0, min_freq: 0, current_freq: 0, usage: 0 })
    expect(data.cpu.logical_num).toBeGreaterThanOrEqual(1)
    expect(data.sys).toEqual({ name: 'Unknown', os: 'workerd', ip: 'Unknown', arch: 'Unknown' })
    const { service } = data
    expect(service.name).toBe('Cloudflare Workers')
    expect(service.version).toMatch(/^Node\.js API v\d+\.\d+\.\d+$/)
    expect(service.startup).toMatch(DATETIME)
    expect(service.elapsed).toMatch(/^(\d+ (day|hour|minute|second)s?)( \d+ (day|hour|minute|second)s?)*$/)
    for (const field of ['home', 'cpu_usage', 'mem_vms', 'mem_rss', 'mem_free'] as const)
      expect(service[field], field).toBe('Unknown')
    expect(service.requests).toBeGreaterThan(0)
  })

  it('counts the requests of this isolate', async () => {
    const first = (await answer(monitors(tokens.admin).server.$get())).data.service.requests
    await send('GET', '/api/v1/health/ping')
    const second = (await answer(monitors(tokens.admin).server.$get())).data.service.requests
    expect(second).toBeGreaterThanOrEqual(first + 2)
  })

  it('names the data center from request.cf, and localizes what is unknown', async () => {
    // `init.cf` becomes the request's `cf`, as Cloudflare's edge sets it.
    const init: RequestInit = { cf: { colo: 'SJC' } }
    const zh = monitors(tokens.admin, { headers: { 'Accept-Language': 'zh-CN' } })
    const { data } = await answer(zh.server.$get(undefined, { init }))
    expect(data.sys.name).toBe('Cloudflare SJC')
    expect(data.sys.ip).toBe('未知')
  })

  it('needs monitor:server (superusers hold it): 401 without a token, 403 without the code', async () => {
    expect((await failure(monitors().server.$get())).status).toBe(401)
    expect((await failure(monitors(tokens.test).server.$get())).status).toBe(403)
    const holder = await signedInWith(['monitor:server'])
    expect((await answer(monitors(holder).server.$get())).status).toBe(200)
  })
})

describe('toServerMonitor', () => {
  it("formats a host's facts in fba's units", () => {
    const GB = 1024 ** 3
    const now = Date.UTC(2026, 0, 2, 3, 4, 5)
    const data = toServerMonitor(
      {
        runtime: { name: 'Node.js', version: 'v22.12.0', home: '/usr/bin/node' },
        host: { name: 'box', os: 'Linux 6.1', ip: '10.0.0.2', arch: 'x64' },
        cpu: { logical: 4, maxMhz: 3000, minMhz: 2000, currentMhz: 2500.456, usagePercent: 12.345 },
        memory: { totalBytes: 16 * GB, freeBytes: 4 * GB },
        disks: [{ dir: '/', type: 'ext4', totalBytes: 100 * GB, freeBytes: 25 * GB }],
        process: { startedAt: now - 90_000, requests: 7, cpuPercent: 1.5, rssBytes: 1.5 * GB },
      },
      'en-US',
      now,
    )
    expect(data.cpu).toEqual({
      physical_num: 0,
      logical_num: 4,
      max_freq: 3000,
      min_freq: 2000,
      current_freq: 2500.46,
      usage: 12.35,
    })
    expect(data.mem).toEqual({ total: 16, used: 12, free: 4, usage: 75 })
    expect(data.disk).toEqual([
      {
        dir: '/',
        device: 'Unknown',
        type: 'ext4',
        total: '100.00 GB',
        used: '75.00 GB',
        free: '25.00 GB',
        usage: '75.00%',
      },
    ])
    expect(data.service).toEqual({
      name: 'Node.js',
      version: 'v22.12.0',
      home: '/usr/bin/node',
      startup: '2026-01-02 03:02:35',
      elapsed: '1 minute 30 seconds',
      cpu_usage: '1.50%',
      mem_vms: 'Unknown',
      mem_rss: '1.50 GB',
      mem_free: '4.00 GB',
      requests: 7,
    })
  })
})
