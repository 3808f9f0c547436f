/**
 * The workerd bench's plumbing (tools/bench/workerd.ts): a generated `workerd serve` config really serves a bundle,
 * and the target seam reports a process to charge CPU to and stops it. The bench itself is not part of the suite.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { processCpuMs } from '../../../tools/bench/lib/proc'
import { capnpText, workerdConfig } from '../../../tools/bench/lib/workerd-config'
import { workerdBareHono } from '../../../tools/bench/targets/workerd'

const workDir = mkdtempSync(join(tmpdir(), 'stratum-workerd-target-'))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

describe('workerd bench target', () => {
  it('builds bare Hono, serves it with plain workerd and stops it', async () => {
    const running = await workerdBareHono.start({ vars: {}, workDir })
    try {
      const res = await fetch(`${running.url}/ping`)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ code: 200, msg: 'ok', data: { status: 'ok' } })
      expect(processCpuMs(running.pid)).toBeGreaterThan(0)
    } finally {
      await running.stop()
    }
    await expect(fetch(running.url)).rejects.toThrow()
  })

  it('writes bindings, Durable Objects and loopback access into the config, and refuses what it cannot quote', () => {
    const text = workerdConfig({
      modulePath: 'worker.js',
      port: 8787,
      compatibilityDate: '2026-11-01',
      compatibilityFlags: ['nodejs_compat'],
      vars: { LOG_LEVEL: 'warn', QUOTED: 'a "b" \\c' },
      durableObjects: { REALTIME_HUB: 'RealtimeHub' },
      storageDir: '/tmp/do',
    })
    expect(text).toContain('(name = "QUOTED", text = "a \\"b\\" \\\\c")')
    expect(text).toContain('durableObjectNamespace = (className = "RealtimeHub")')
    expect(text).toContain('allow = ["public", "private", "local"]')
    expect(text).toContain('durableObjectStorage = (localDisk = "do-storage")')
    expect(() => capnpText('naïve')).toThrow(/unsupported/)
    expect(() =>
      workerdConfig({ modulePath: 'w.js', port: 1, compatibilityDate: 'x', durableObjects: { A: 'A' } }),
    ).toThrow(/storageDir/)
  })
})
