/**
 * In-process `app.fetch` benchmark (see docs/benchmarks.md):
 *   (a) bare Hono returning JSON — the floor;
 *   (b) a public route through Stratum's full middleware stack (`GET /api/v1/health/ping`), and (b') an anonymous
 *       `/api` request the default per-IP rate limit counts (a Redis round trip): the liveness probe is exempt from
 *       it (it touches no dependency), so (b') asks for an unknown path, answered with the 404 envelope;
 *   (c) an authenticated, permission-checked, cached read (`GET /api/v1/sys/users/me`, warm path).
 * The emulators run in a child process so their CPU is not counted; CPU per request is `process.cpuUsage()` around
 * each call. Wall-clock throughput for (c) includes the Redis round trip to the local emulator.
 */
import { Redis } from '@upstash/redis'
import { Hono } from 'hono'
import { createApp } from '../../src/app/app'
import { nodeServices } from '../../src/infra/node/upstash-http'
import { startEmulators } from './lib/emulators'
import { type Ctx, context } from './lib/serve'

/** Seconds of measured throughput per scenario, split into interleaved rounds. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15)
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1500)
const AUTH_PATH = process.env.BENCH_AUTH_PATH ?? '/api/v1/sys/users/me'
/** Run only the scenarios whose label contains one of these letters, e.g. `BENCH_ONLY=c` (for profiling). */
const ONLY = process.env.BENCH_ONLY

type Fetch = (req: Request, env: Record<string, unknown>, ctx: Ctx) => Response | Promise<Response>

interface Scenario {
  key: string
  name: string
  fetch: Fetch
  request: () => Request
  env: Record<string, unknown>
  /** The status every answer must have (default 200). */
  status?: number
}

/** One request, its body read; throws unless the scenario's status. Pending `waitUntil` work is collected in `pending`. */
async function once(s: Scenario, pending: Promise<unknown>[]): Promise<void> {
  const res = await s.fetch(s.request(), s.env, context(pending))
  await res.arrayBuffer()
  if (res.status !== (s.status ?? 200)) throw new Error(`${s.name}: status ${res.status}`)
}

/** Requests per second over `ms`, one in flight, with nothing else in the loop (no per-request instrumentation). */
async function throughput(s: Scenario, ms: number): Promise<number> {
  const pending: Promise<unknown>[] = []
  let count = 0
  const started = performance.now()
  const deadline = started + ms
  // Check the clock every 16 requests: reading it costs as much as a bare request's routing.
  while (performance.now() < deadline) {
    for (let i = 0; i < 16; i++) await once(s, pending)
    count += 16
  }
  const elapsed = performance.now() - started
  await Promise.all(pending)
  return (count / elapsed) * 1000
}

/**
 * CPU of the JavaScript thread, as Workers counts a request's CPU time: `process.threadCpuUsage()` (Node ≥ 22.?);
 * the process total would add GC helper and compiler threads working for the whole process.
 */
const threadCpu: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage =
  (process as { threadCpuUsage?: typeof process.cpuUsage }).threadCpuUsage?.bind(process) ??
  process.cpuUsage.bind(process)

/** CPU per request (thread CPU around each one): p50 and p90 in milliseconds. */
async function cpuPerRequest(s: Scenario, ms: number): Promise<{ p50: number; p90: number; mean: number }> {
  const pending: Promise<unknown>[] = []
  const cpu: number[] = []
  const deadline = performance.now() + ms
  const start = threadCpu()
  while (performance.now() < deadline) {
    const before = threadCpu()
    await once(s, pending)
    const used = threadCpu(before)
    cpu.push((used.user + used.system) / 1000)
  }
  const total = threadCpu(start)
  await Promise.all(pending)
  cpu.sort((a, b) => a - b)
  const pct = (p: number) => cpu[Math.min(cpu.length - 1, Math.floor(cpu.length * p))] ?? 0
  // The clock's resolution is coarser than a bare request, so the fast scenarios are judged by the mean.
  return { p50: pct(0.5), p90: pct(0.9), mean: (total.user + total.system) / 1000 / (cpu.length || 1) }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0

/**
 * Interleaved rounds (a, b, b', c, a, b, …) so a noisy neighbour on a shared machine slows every scenario alike; each
 * round's (b)/(a) ratio is computed from back-to-back runs and the median round is reported.
 */
async function run(scenarios: Scenario[]) {
  const roundMs = (SECONDS * 1000) / ROUNDS
  for (const s of scenarios) {
    // Warm up until the JIT has settled: a few thousand requests (fewer for the I/O-bound ones).
    const pending: Promise<unknown>[] = []
    const until = performance.now() + WARMUP_MS
    while (performance.now() < until) await once(s, pending)
    await Promise.all(pending)
  }
  const rps = new Map<string, number[]>(scenarios.map((s) => [s.key, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of scenarios) rps.get(s.key)?.push(await throughput(s, roundMs))
  }
  const results = []
  for (const s of scenarios) {
    const cpu = await cpuPerRequest(s, roundMs * 2)
    results.push({ ...s, rps: rps.get(s.key) ?? [], cpuP50: cpu.p50, cpuP90: cpu.p90, cpuMean: cpu.mean })
  }
  return results
}

async function main() {
  const emulators = await startEmulators()
  try {
    // The docs-UI login is off in production unless switched on (docs/decisions.md): the bench logs in through it.
    const env: Record<string, unknown> = {
      ...emulators.vars,
      ENVIRONMENT: 'production',
      LOG_LEVEL: 'warn',
      SWAGGER_LOGIN_ENABLED: 'true',
      PUBLIC_URL: 'http://bench.local',
    }
    // `stratum emulators` migrated and seeded the database (admin / 123456, development seed).
    const bare = new Hono().get('/ping', (c) => c.json({ code: 200, msg: 'ok', data: { status: 'ok' } }))
    // The app as a Node host runs it: Redis over keep-alive node:http (src/infra/node/upstash-http.ts).
    const app = createApp({ services: nodeServices() })
    // The docs-UI login. The seeded config rows switch the captcha on, and the docs-UI login obeys it: the bench
    // reads the code from Redis, as a person reads the picture.
    const send = (path: string, init: RequestInit = {}) =>
      app.fetch(
        new Request(`http://bench.local${path}`, { ...init, headers: { 'CF-Connecting-IP': '10.0.0.1' } }),
        env,
        context([]),
      )
    const { data: captcha } = (await (await send('/api/v1/auth/captcha')).json()) as { data: { uuid: string } }
    const redis = new Redis({ url: String(env.UPSTASH_REDIS_REST_URL), token: String(env.UPSTASH_REDIS_REST_TOKEN) })
    const code = await redis.get<string>(`stratum:captcha:${captcha.uuid}`)
    const login = await send(
      `/api/v1/auth/login/swagger?username=admin&password=123456&uuid=${captcha.uuid}&captcha=${code}`,
      { method: 'POST' },
    )
    const loginBody = (await login.json()) as { access_token?: string }
    if (!loginBody.access_token) throw new Error(`login failed: ${login.status} ${JSON.stringify(loginBody)}`)
    const token = loginBody.access_token
    // The default per-IP rate limit is a Redis round trip: (b) measures the framework without it, (b') with it.
    const warmEnv = { ...env, RATE_LIMIT_DEFAULT: '1000000000/60s' }
    const noDefaultLimit = { ...env, RATE_LIMIT_DEFAULT: '' }
    const ping = () => new Request('http://bench.local/api/v1/health/ping')
    const counted = () => new Request('http://bench.local/api/v1/health/no-such-route')

    const scenarios: Scenario[] = [
      {
        key: 'a',
        name: '(a) bare Hono JSON',
        fetch: (r) => bare.fetch(r),
        request: () => new Request('http://bench.local/ping'),
        env: {},
      },
      { key: 'b', name: '(b) public route, full stack', fetch: app.fetch as Fetch, request: ping, env: noDefaultLimit },
      {
        key: "b'",
        name: "(b') an unknown /api path + default per-IP limit",
        fetch: app.fetch as Fetch,
        request: counted,
        status: 404,
        env: warmEnv,
      },
      {
        key: 'c',
        name: '(c) authenticated cached read',
        fetch: app.fetch as Fetch,
        request: () => new Request(`http://bench.local${AUTH_PATH}`, { headers: { Authorization: `Bearer ${token}` } }),
        env: warmEnv,
      },
    ]
    const selected = scenarios.filter((s) => !ONLY || ONLY.split(',').includes(s.key))
    const results = await run(selected)
    console.log(`\n${ROUNDS} interleaved rounds, ${SECONDS} s of throughput per scenario; medians.`)
    console.log('| scenario | req/s (1 in flight) | CPU mean ms | CPU p50 ms | CPU p90 ms |')
    console.log('| --- | ---: | ---: | ---: | ---: |')
    for (const r of results) {
      console.log(
        `| ${r.name} | ${median(r.rps).toFixed(0)} | ${r.cpuMean.toFixed(4)} | ${r.cpuP50.toFixed(3)} | ${r.cpuP90.toFixed(3)} |`,
      )
    }
    const a = results.find((r) => r.key === 'a')
    const b = results.find((r) => r.key === 'b')
    const c = results.find((r) => r.key === 'c')
    if (a && b) {
      const ratios = a.rps.map((rps, i) => (b.rps[i] ?? 0) / rps)
      const shown = [...ratios].sort((x, y) => x - y).map((r) => `${(r * 100).toFixed(0)}%`)
      console.log(
        `\n(b)/(a) throughput: ${(median(ratios) * 100).toFixed(1)}% (median round; rounds: ${shown.join(' ')}; target ≥ 70%)`,
      )
    }
    if (c) console.log(`(c) CPU p50: ${c.cpuP50.toFixed(3)} ms (target ≤ 0.5 ms)`)
  } finally {
    await emulators.stop()
  }
}

await main()
