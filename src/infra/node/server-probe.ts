/**
 * Node only (never imported by the Worker entry): the server monitor's probe on a Node host — the machine's CPUs,
 * memory and disk and this process's figures, from `node:os`, `process` and `fs.statfs`. A Node host plugs it in
 * with `createApp({ services: nodeServices() })` (./upstash-http.ts) or `{ serverProbe: nodeServerProbe }`.
 *
 * CPU use is measured between two calls (the machine's from `os.cpus()` times, the process's from
 * `process.cpuUsage()`); the first call reports the average since boot / since the process started. Node exposes
 * no virtual memory size, so `mem_vms` stays unknown; the physical core count is not exposed either.
 */
import { statfs } from 'node:fs/promises'
import { arch, cpus, freemem, hostname, networkInterfaces, release, totalmem, type } from 'node:os'
import { type DiskFacts, requestStats, type ServerFacts, type ServerProbe } from '../server-probe'

/** File-system magic numbers (`statfs.type`) of the common Linux file systems. */
const FS_TYPES: Readonly<Record<number, string>> = {
  61267: 'ext4',
  1481003842: 'xfs',
  2435016766: 'btrfs',
  16914836: 'tmpfs',
  2035054128: 'overlay',
  26985: 'nfs',
  801189825: 'zfs',
  1702057286: 'fuse',
  1397118030: 'ntfs',
  19780: 'vfat',
}

interface CpuTimes {
  busy: number
  total: number
}

function machineCpuTimes(): CpuTimes {
  let busy = 0
  let total = 0
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq
    total += all
    busy += all - times.idle
  }
  return { busy, total }
}

/** The first non-internal IPv4 address, if any. */
function mainAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  return undefined
}

async function disk(dir: string): Promise<DiskFacts | undefined> {
  try {
    const s = await statfs(dir)
    const fsType = FS_TYPES[s.type]
    return { dir, ...(fsType ? { type: fsType } : {}), totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize }
  } catch {
    return undefined
  }
}

/** Build a probe (each keeps its own previous CPU sample). */
export function createNodeServerProbe(dirs: readonly string[] = ['/']): ServerProbe {
  let lastMachine: CpuTimes = { busy: 0, total: 0 }
  let lastUsage: number | undefined
  let lastProcess = { cpuMicros: 0, wallMicros: 0 }
  return {
    async facts() {
      const list = cpus()
      const speeds = list.map((c) => c.speed).filter((s) => s > 0)
      const machine = machineCpuTimes()
      const dTotal = machine.total - lastMachine.total
      // The machine's CPU times tick in 10 ms steps: a probe read again within one step repeats its last figure
      // (the first read gives the usage since boot).
      if (dTotal > 0) {
        lastUsage = ((machine.busy - lastMachine.busy) / dTotal) * 100
        lastMachine = machine
      }
      const usagePercent = lastUsage
      const used = process.cpuUsage()
      const cpuMicros = used.user + used.system
      const wallMicros = process.uptime() * 1e6
      const dWall = wallMicros - lastProcess.wallMicros
      const cpuPercent = dWall > 0 ? ((cpuMicros - lastProcess.cpuMicros) / dWall) * 100 : undefined
      lastProcess = { cpuMicros, wallMicros }
      const disks = (await Promise.all(dirs.map(disk))).filter((d): d is DiskFacts => d !== undefined)
      const ip = mainAddress()
      const facts: ServerFacts = {
        runtime: { name: 'Node.js', version: process.version, home: process.execPath },
        host: { name: hostname(), os: `${type()} ${release()}`, arch: arch(), ...(ip ? { ip } : {}) },
        cpu: {
          logical: list.length,
          ...(speeds.length
            ? {
                maxMhz: Math.max(...speeds),
                minMhz: Math.min(...speeds),
                currentMhz: speeds.reduce((a, b) => a + b, 0) / speeds.length,
              }
            : {}),
          ...(usagePercent !== undefined ? { usagePercent } : {}),
        },
        memory: { totalBytes: totalmem(), freeBytes: freemem() },
        disks,
        process: {
          startedAt: Date.now() - process.uptime() * 1000,
          requests: requestStats().requests,
          rssBytes: process.memoryUsage.rss(),
          ...(cpuPercent !== undefined ? { cpuPercent } : {}),
        },
      }
      return facts
    },
  }
}

/** The probe of this process (the root file system). */
export const nodeServerProbe: ServerProbe = createNodeServerProbe()
