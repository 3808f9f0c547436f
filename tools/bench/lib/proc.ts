/**
 * CPU readings from Linux's `/proc` for benchmarks that span processes (tools/bench/tasks.ts): what another process
 * has spent, and how busy the whole machine was over an interval. Undefined where `/proc` is not there.
 */
import { readFileSync } from 'node:fs'

/** Linux's clock tick for `/proc` times (`getconf CLK_TCK`, 100 on every mainstream kernel). */
const TICK_MS = 10

/** utime + stime of a process in ms, from `/proc/<pid>/stat` (fields 14 and 15, counted after the `(comm)`). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS
  } catch {
    return undefined
  }
}

export interface MachineCpu {
  busyMs: number
  totalMs: number
}

/** Busy and total CPU time of all cores since boot (`/proc/stat`'s `cpu` line; idle and iowait are not busy). */
export function machineCpu(): MachineCpu | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number)
    const total = ticks.reduce((sum, t) => sum + t, 0)
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
    return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS }
  } catch {
    return undefined
  }
}

/** The share of the machine's cores that were busy between two readings (0–1), if both were taken. */
export function busyShare(before: MachineCpu | undefined, after: MachineCpu | undefined): number | undefined {
  if (!before || !after || after.totalMs <= before.totalMs) return undefined
  return (after.busyMs - before.busyMs) / (after.totalMs - before.totalMs)
}
