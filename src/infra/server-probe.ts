/**
 * What the server monitor (`GET /monitors/server`, domains/monitors/server.ts) can honestly say about the machine it
 * runs on. A port with one implementation per host: Workers (here) and Node (infra/node/server-probe.ts), chosen
 * through `ServiceFactories.serverProbe` (./services.ts). Facts are raw (bytes, MHz, epoch ms); a field the host does
 * not expose is left out, never guessed, and the monitor shows it as "Unknown" (or 0 where fba's shape wants a number).
 */

/** A mounted file system. */
export interface DiskFacts {
  dir: string
  device?: string
  type?: string
  totalBytes: number
  freeBytes: number
}

export interface ServerFacts {
  /** The runtime (fba's `service`: Python there). */
  runtime: { name: string; version?: string; home?: string }
  /** fba's `sys`: host name (on Workers the data center), OS, address, CPU architecture. */
  host: { name?: string; os?: string; ip?: string; arch?: string }
  cpu: {
    physical?: number
    logical?: number
    maxMhz?: number
    minMhz?: number
    currentMhz?: number
    /** Whole-machine CPU use, 0–100. */
    usagePercent?: number
  }
  /** The machine's memory. */
  memory?: { totalBytes: number; freeBytes: number }
  disks: DiskFacts[]
  /** This process (on Workers: this isolate, as far as it has seen). */
  process: {
    /** Epoch ms: the process start; on Workers the isolate's first request. */
    startedAt?: number
    /** Requests this process (isolate) has served. */
    requests: number
    cpuPercent?: number
    vmsBytes?: number
    rssBytes?: number
  }
}

/** What a probe may read of the request: Cloudflare's `request.cf` (the serving data center). */
export interface ProbeRequest {
  cf?: Readonly<Record<string, unknown>> | undefined
}

export interface ServerProbe {
  facts(request: ProbeRequest): Promise<ServerFacts>
}

// Per isolate (or Node process): module state, like the isolate itself. `Date.now()` is frozen at 0 while a Worker
// module initializes, so the start is taken at the first request.
let firstRequestAt: number | undefined
let requestCount = 0

/** Counts a request (the request context calls it first thing; one increment, no I/O). */
export function countRequest(): void {
  requestCount++
  firstRequestAt ??= Date.now()
}

/** Requests counted so far and when the first arrived. */
export function requestStats(): { requests: number; firstAt: number | undefined } {
  return { requests: requestCount, firstAt: firstRequestAt }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined)

/**
 * Workers: no host, memory or disk figures exist for a Worker (`process.memoryUsage()` under `nodejs_compat` answers
 * zeros), so only what is real is given: the data center (`cf.colo`), the Node.js API level `nodejs_compat` provides,
 * the CPUs the runtime reports (`navigator.hardwareConcurrency`), the isolate's age and request count.
 */
export const workersServerProbe: ServerProbe = {
  async facts(request) {
    const colo = text(request.cf?.colo)
    const { requests, firstAt } = requestStats()
    const nodeApi = typeof process !== 'undefined' ? text(process.version) : undefined
    const cpus = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined
    return {
      runtime: { name: 'Cloudflare Workers', ...(nodeApi ? { version: `Node.js API ${nodeApi}` } : {}) },
      host: { os: 'workerd', ...(colo ? { name: `Cloudflare ${colo}` } : {}) },
      cpu: cpus ? { logical: cpus } : {},
      disks: [],
      process: { requests, ...(firstAt !== undefined ? { startedAt: firstAt } : {}) },
    }
  },
}
