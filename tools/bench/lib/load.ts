/**
 * The load generator of the host benchmarks: autocannon (in this process), a fixed number of connections for a
 * fixed time. autocannon ships no types: the part of its result used here is declared below.
 */
import { createRequire } from 'node:module'

interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  non2xx: number
  errors: number
  timeouts: number
  duration: number
}

type Autocannon = (options: {
  url: string
  connections: number
  duration: number
  headers?: Record<string, string>
  method?: string
  body?: string
}) => Promise<AutocannonResult>

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

export interface LoadResult {
  requests: number
  /** Requests per second over the run. */
  rps: number
  p50Ms: number
  p99Ms: number
  /** Responses that were not 2xx, plus connection errors and timeouts. */
  failed: number
}

export async function load(
  url: string,
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
  /** Another method than GET, with its body (e.g. a login's JSON). */
  request: { method: string; body: string } | undefined = undefined,
): Promise<LoadResult> {
  const res = await autocannon({ url, connections, duration: seconds, headers, ...request })
  return {
    requests: res.requests.total,
    rps: res.requests.total / Math.max(res.duration, 0.001),
    p50Ms: res.latency.p50,
    p99Ms: res.latency.p99,
    failed: res.non2xx + res.errors + res.timeouts,
  }
}
