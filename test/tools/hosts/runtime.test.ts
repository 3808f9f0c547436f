/**
 * The shared part of the Node, Bun and Deno hosts (src/hosts/runtime.ts), in Node: configuration from the environment
 * over the env file, the Worker's cron expressions on timers (or none), a request through the app, and a timer firing
 * with its tick. The hosts' HTTP behaviour is the smoke suite's (test/e2e/hosts.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scheduledJobs } from '../../../src/app/scheduled'
import { ConfigError } from '../../../src/core/config'
import { createLogger } from '../../../src/core/logging'
import { createHost, cronTimer } from '../../../src/hosts/runtime'

const dir = mkdtempSync(join(tmpdir(), 'stratum-host-runtime-'))
const saved = { ...process.env }

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
  Object.assign(process.env, saved)
})

describe('createHost', () => {
  it('reads the env file under the environment, fires every cron expression and answers through the app', async () => {
    const file = join(dir, 'host.vars')
    writeFileSync(file, "APP_NAME='From the file'\nLOG_LEVEL=warn\nDATETIME_TIMEZONE=Asia/Shanghai\n")
    Object.assign(process.env, { STRATUM_ENV_FILE: file, APP_NAME: 'From the environment' })
    const host = await createHost({ name: 'node' })
    try {
      expect(host.config).toMatchObject({
        APP_NAME: 'From the environment',
        LOG_LEVEL: 'warn',
        DATETIME_TIMEZONE: 'Asia/Shanghai',
      })
      expect(host.schedules).toEqual(Object.keys(scheduledJobs))
      const res = await host.fetch(new Request('http://127.0.0.1/api/v1/health/ping'), '::ffff:10.0.0.7')
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    } finally {
      await host.shutdown()
    }
  })

  it('runs no timers with STRATUM_CRON=off, and refuses a named env file that does not exist', async () => {
    Object.assign(process.env, { STRATUM_ENV_FILE: join(dir, 'empty.vars'), STRATUM_CRON: 'off' })
    writeFileSync(join(dir, 'empty.vars'), '')
    const host = await createHost({ name: 'node' })
    expect(host.schedules).toEqual([])
    await host.shutdown()

    process.env.STRATUM_ENV_FILE = join(dir, 'missing.vars')
    await expect(createHost({ name: 'node' })).rejects.toThrow(/env file .*missing\.vars: not found/)
  })
})

describe('TRUSTED_PROXIES', () => {
  it('is checked at start, its problem in the one message beside the bad config keys', async () => {
    writeFileSync(join(dir, 'empty.vars'), '')
    Object.assign(process.env, {
      STRATUM_ENV_FILE: join(dir, 'empty.vars'),
      STRATUM_CRON: 'off',
      LOG_LEVEL: 'loud',
      TRUSTED_PROXIES: '10.0.0.0/8, nginx',
    })
    const refused = createHost({ name: 'node' })
    await expect(refused).rejects.toBeInstanceOf(ConfigError)
    await expect(refused).rejects.toThrow(
      /^Invalid configuration: LOG_LEVEL: .*; TRUSTED_PROXIES: "nginx" is not an IP address or a CIDR range/,
    )
    process.env.LOG_LEVEL = 'warn'
    await expect(createHost({ name: 'node' })).rejects.toThrow(/^Invalid configuration: TRUSTED_PROXIES: "nginx"/)
    process.env.TRUSTED_PROXIES = '10.0.0.0/8, fd00::/8'
    const host = await createHost({ name: 'node' })
    await host.shutdown()
  })
})

describe('cronTimer', () => {
  it('fires with its tick (the scheduled second, not the moment the callback ran)', async () => {
    let timer: ReturnType<typeof cronTimer> | undefined
    const tick = await new Promise<Date>((resolve) => {
      timer = cronTimer('* * * * * *', createLogger({}, 'warn'), resolve)
    })
    timer?.stop()
    expect(tick.getMilliseconds()).toBe(0)
  })
})

process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
