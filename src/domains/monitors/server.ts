/**
 * `GET /monitors/server` (docs/fba-compatibility.md, "Monitors"; docs/monitors.md): fba's server monitor, filled from
 * the host's probe (infra/server-probe.ts: Workers, or Node on a Node host). fba's shape and units: memory in GB
 * floats, disk and process sizes as text ("1.50 GB"), percentages as numbers (cpu, mem) or text (disk, process).
 * A figure the host does not expose is the localized "Unknown" in a text field and 0 in a number field (the admin
 * UI draws its gauges from numbers), never an invented value. Stratum adds `service.requests`: requests this
 * isolate (or process) has served.
 */
import type { Context } from 'hono'
import { formatDateTime } from '../../core/datetime'
import { type Lang, t } from '../../core/i18n'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import type { ServerFacts } from '../../infra/server-probe'
import { MONITOR_PERMS } from './perms'
import { formatUptime } from './redis'

const text = z.string()

export const ServerMonitorSchema = z
  .object({
    cpu: z.object({
      physical_num: z.number().int(),
      logical_num: z.number().int(),
      max_freq: z.number().openapi({ description: 'MHz; 0 when unknown' }),
      min_freq: z.number(),
      current_freq: z.number(),
      usage: z.number().openapi({ description: 'Percent; 0 when unknown' }),
    }),
    mem: z.object({
      total: z.number().openapi({ description: 'GB; 0 when unknown' }),
      used: z.number(),
      free: z.number(),
      usage: z.number().openapi({ description: 'Percent' }),
    }),
    sys: z.object({ name: text, os: text, ip: text, arch: text }),
    disk: z.array(z.object({ dir: text, device: text, type: text, total: text, used: text, free: text, usage: text })),
    service: z.object({
      name: text,
      version: text,
      home: text,
      startup: text,
      elapsed: text,
      cpu_usage: text,
      mem_vms: text,
      mem_rss: text,
      mem_free: text,
      requests: z.number().int().openapi({ description: 'Stratum: requests this isolate (process) has served' }),
    }),
  })
  .openapi('ServerMonitor', {
    example: {
      cpu: { physical_num: 0, logical_num: 1, max_freq: 0, min_freq: 0, current_freq: 0, usage: 0 },
      mem: { total: 0, used: 0, free: 0, usage: 0 },
      sys: { name: 'Cloudflare SJC', os: 'workerd', ip: 'Unknown', arch: 'Unknown' },
      disk: [],
      service: {
        name: 'Cloudflare Workers',
        version: 'Node.js API v22.19.0',
        home: 'Unknown',
        startup: '2026-12-07 15:00:00',
        elapsed: '3 minutes 5 seconds',
        cpu_usage: 'Unknown',
        mem_vms: 'Unknown',
        mem_rss: 'Unknown',
        mem_free: 'Unknown',
        requests: 1024,
      },
    },
  })

export type ServerMonitor = z.infer<typeof ServerMonitorSchema>

const GB = 1024 ** 3
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const

/** fba's byte text: two decimals and the largest unit under 1024 (`"1.50 GB"`). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(2)} ${UNITS[unit]}`
}

const round2 = (n: number) => Math.round(n * 100) / 100
const percent = (part: number, whole: number) => (whole > 0 ? round2((part / whole) * 100) : 0)

/** fba's shape from the probe's facts, in `lang`, at `now` (epoch ms). */
export function toServerMonitor(facts: ServerFacts, lang: Lang, now: number): ServerMonitor {
  const unknown = t(lang, 'monitor.unknown')
  const or = (value: string | undefined) => value ?? unknown
  const bytesOr = (value: number | undefined) => (value === undefined ? unknown : formatBytes(value))
  const { cpu, memory, process } = facts
  const usedMemory = memory ? memory.totalBytes - memory.freeBytes : 0
  return {
    cpu: {
      physical_num: cpu.physical ?? 0,
      logical_num: cpu.logical ?? 0,
      max_freq: round2(cpu.maxMhz ?? 0),
      min_freq: round2(cpu.minMhz ?? 0),
      current_freq: round2(cpu.currentMhz ?? 0),
      usage: round2(cpu.usagePercent ?? 0),
    },
    mem: {
      total: round2((memory?.totalBytes ?? 0) / GB),
      used: round2(usedMemory / GB),
      free: round2((memory?.freeBytes ?? 0) / GB),
      usage: memory ? percent(usedMemory, memory.totalBytes) : 0,
    },
    sys: { name: or(facts.host.name), os: or(facts.host.os), ip: or(facts.host.ip), arch: or(facts.host.arch) },
    disk: facts.disks.map((d) => ({
      dir: d.dir,
      device: or(d.device),
      type: or(d.type),
      total: formatBytes(d.totalBytes),
      used: formatBytes(d.totalBytes - d.freeBytes),
      free: formatBytes(d.freeBytes),
      usage: `${percent(d.totalBytes - d.freeBytes, d.totalBytes).toFixed(2)}%`,
    })),
    service: {
      name: facts.runtime.name,
      version: or(facts.runtime.version),
      home: or(facts.runtime.home),
      startup: process.startedAt === undefined ? unknown : (formatDateTime(new Date(process.startedAt)) ?? unknown),
      elapsed: process.startedAt === undefined ? unknown : formatUptime((now - process.startedAt) / 1000, lang),
      cpu_usage: process.cpuPercent === undefined ? unknown : `${round2(process.cpuPercent).toFixed(2)}%`,
      mem_vms: bytesOr(process.vmsBytes),
      mem_rss: bytesOr(process.rssBytes),
      mem_free: bytesOr(memory?.freeBytes),
      requests: process.requests,
    },
  }
}

const server = defineRoute({
  method: 'get',
  path: '/monitors/server',
  tags: ['Monitors'],
  summary: 'Server monitor: what this host can honestly report',
  // fba: superusers only. Like the other monitor reads here, a permission code (superusers hold every code), seeded
  // as a button under the Server page: the figures are infrastructure internals (test/sensitive-reads.test.ts).
  access: { permission: MONITOR_PERMS.server },
  sensitive: true,
  responses: { 200: jsonEnvelope(ServerMonitorSchema, 'Server monitor') },
})

/** `request.cf` of a Workers request (absent elsewhere). */
const cfOf = (c: Context<AppEnv>) => (c.req.raw as Request & { cf?: Record<string, unknown> }).cf

export function serverMonitorRoutes() {
  return createRouter().openapi(server, async (c) => {
    const facts = await c.get('services').serverProbe.facts({ cf: cfOf(c) })
    return ok(c, toServerMonitor(facts, c.get('lang'), Date.now()))
  })
}
