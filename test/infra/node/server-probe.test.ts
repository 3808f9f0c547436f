/**
 * The server monitor's Node probe (src/infra/node/server-probe.ts): real figures of this machine and process, in
 * fba's shape once formatted, and the seam a Node host plugs it in with (`nodeServices()`).
 */
import { cpus, totalmem } from 'node:os'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/core/config'
import { toServerMonitor } from '../../../src/domains/monitors/server'
import { createNodeServerProbe, nodeServerProbe } from '../../../src/infra/node/server-probe'
import { nodeServices } from '../../../src/infra/node/upstash-http'
import { workersServerProbe } from '../../../src/infra/server-probe'
import { createServices } from '../../../src/infra/services'

describe('the Node server probe', () => {
  it("reports this machine's CPUs, memory and root disk and this process", async () => {
    const probe = createNodeServerProbe()
    await probe.facts({})
    const facts = await probe.facts({})
    expect(facts.runtime).toEqual({ name: 'Node.js', version: process.version, home: process.execPath })
    expect(facts.cpu.logical).toBe(cpus().length)
    expect(facts.cpu.usagePercent).toBeGreaterThanOrEqual(0)
    expect(facts.cpu.usagePercent).toBeLessThanOrEqual(100)
    expect(facts.memory?.totalBytes).toBe(totalmem())
    expect(facts.memory?.freeBytes).toBeGreaterThan(0)
    expect(facts.disks).toHaveLength(1)
    expect(facts.disks[0]?.dir).toBe('/')
    expect(facts.disks[0]?.totalBytes).toBeGreaterThan(0)
    expect(facts.disks[0]?.freeBytes).toBeLessThanOrEqual(facts.disks[0]?.totalBytes ?? 0)
    expect(facts.process.rssBytes).toBeGreaterThan(0)
    expect(facts.process.startedAt).toBeLessThanOrEqual(Date.now())
    expect(facts.host.name).toBeTruthy()
    expect(facts.host.arch).toBe(process.arch)
  })

  it("fills fba's shape with real figures", async () => {
    const data = toServerMonitor(await nodeServerProbe.facts({}), 'en-US', Date.now())
    expect(data.mem.total).toBeGreaterThan(0)
    expect(data.mem.used + data.mem.free).toBeCloseTo(data.mem.total, 1)
    expect(data.disk[0]?.usage).toMatch(/^\d+\.\d\d%$/)
    expect(data.disk[0]?.total).toMatch(/^\d+\.\d\d (B|KB|MB|GB|TB|PB)$/)
    expect(data.service.mem_rss).toMatch(/^\d+\.\d\d (KB|MB|GB)$/)
    expect(data.service.name).toBe('Node.js')
  })

  it('leaves out a disk it cannot read rather than inventing one', async () => {
    const facts = await createNodeServerProbe(['/', '/no/such/dir']).facts({})
    expect(facts.disks.map((d) => d.dir)).toEqual(['/'])
  })

  it("is what a Node host's services use; Workers keep theirs", () => {
    const config = loadConfig({ ENVIRONMENT: 'test' })
    expect(createServices(config, nodeServices()).serverProbe).toBe(nodeServerProbe)
    expect(createServices(config).serverProbe).toBe(workersServerProbe)
  })
})
