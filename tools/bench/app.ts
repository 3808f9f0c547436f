/**
 * In-process `app.fetch` benchmark (see docs/benchmarks.md):
 *   (a) bare Hono returning JSON — the floor;
 *   (b) a public route through Stratum's full middleware stack (`GET /api/v1/health/ping`), without and (b') with
 *       the default per-IP rate limit (which costs a Redis round trip);
 *   (c) an authenticated, permission-checked, cached read (`GET /api/v1/sys/users/me`, warm path).
 * The emulators run in a child process so their CPU is not counted; CPU per request is `process.cpuUsage()` around
 * each call. Wall-clock throughput for (c) includes the Redis round trip to the local emulator.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { createApp } from '../../src/app'
import { parseDevVars } from '../cli/lib/dev-vars'
import { PROJECT_ROOT } from '../cli/lib/paths'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const AUTH_PATH = process.env.BENCH_AUTH_PATH ?? '/api/v1/sys/users/me'
/** Run only the scenarios whose label contains one of these letters, e.g. `BENCH_ONLY=c` (for profiling). */
const ONLY = process.env.BENCH_ONLY

interface Ctx {
  waitUntil(p: Promise<unknown>): void
  passThroughOnException(): void
  props: Record<string, unknown>
}

function context(pending: Promise<unknown>[]): Ctx {
  return { waitUntil: (p) => void pending.push(p), passThroughOnException: () => undefined, props: {} }
}

type Fetch = (req: Request, env: Record<string, unknown>, ctx: Ctx) => Response | Promise<Response>

async function measure(name: string, fetch: Fetch, makeRequest: () => Request, env: Record<string, unknown>) {
  const pending: Promise<unknown>[] = []
  for (let i = 0; i < 200; i++) await (await fetch(makeRequest(), env, context(pending))).arrayBuffer() // warm up
  await Promise.all(pending.splice(0))
  const cpu: number[] = []
  let count = 0
  const started = performance.now()
  const deadline = started + SECONDS * 1000
  while (performance.now() < deadline) {
    const before = process.cpuUsage()
    const res = await fetch(makeRequest(), env, context(pending))
    await res.arrayBuffer()
    const used = process.cpuUsage(before)
    cpu.push((used.user + used.system) / 1000)
    if (res.status !== 200) throw new Error(`${name}: status ${res.status}`)
    count++
  }
  const elapsed = (performance.now() - started) / 1000
  await Promise.all(pending)
  cpu.sort((a, b) => a - b)
  const pct = (p: number) => cpu[Math.min(cpu.length - 1, Math.floor(cpu.length * p))] ?? 0
  return { name, rps: count / elapsed, cpuP50: pct(0.5), cpuP90: pct(0.9), count }
}

async function startEmulators() {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-bench-'))
  const devVars = join(dir, '.dev.vars')
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/cli/stratum.ts', 'emulators'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, STRATUM_DATA_DIR: dir, STRATUM_DEV_VARS: devVars },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('emulators running') && resolve())
    child.once('exit', () => reject(new Error('emulators exited')))
  })
  const vars = parseDevVars(readFileSync(devVars, 'utf8'))
  return {
    vars,
    stop: async () => {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function main() {
  const emulators = await startEmulators()
  try {
    const env: Record<string, unknown> = { ...emulators.vars, ENVIRONMENT: 'production', LOG_LEVEL: 'warn' }
    // `stratum emulators` migrated and seeded the database (admin / 123456, development seed).
    const bare = new Hono().get('/ping', (c) => c.json({ code: 200, msg: 'ok', data: { status: 'ok' } }))
    const app = createApp()
    // The docs-UI login: no captcha (the seeded config rows switch the captcha on for the admin UI login).
    const login = await app.fetch(
      new Request('http://bench.local/api/v1/auth/login/swagger?username=admin&password=123456', {
        method: 'POST',
        headers: { 'CF-Connecting-IP': '10.0.0.1' },
      }),
      env,
      context([]),
    )
    const loginBody = (await login.json()) as { access_token?: string }
    if (!loginBody.access_token) throw new Error(`login failed: ${login.status} ${JSON.stringify(loginBody)}`)
    const token = loginBody.access_token
    // The default per-IP rate limit is a Redis round trip: (b) measures the framework without it, (b') with it.
    const warmEnv = { ...env, RATE_LIMIT_DEFAULT: '1000000000/60s' }
    const noDefaultLimit = { ...env, RATE_LIMIT_DEFAULT: '' }
    const ping = () => new Request('http://bench.local/api/v1/health/ping')

    const scenarios: [key: string, name: string, fetch: Fetch, request: () => Request, env: Record<string, unknown>][] = [
      ['a', '(a) bare Hono JSON', (r) => bare.fetch(r), () => new Request('http://bench.local/ping'), {}],
      ['b', '(b) public route, full stack', app.fetch as Fetch, ping, noDefaultLimit],
      ["b'", "(b') the same + default per-IP limit", app.fetch as Fetch, ping, warmEnv],
      [
        'c',
        '(c) authenticated cached read',
        app.fetch as Fetch,
        () => new Request(`http://bench.local${AUTH_PATH}`, { headers: { Authorization: `Bearer ${token}` } }),
        warmEnv,
      ],
    ]
    const results: Awaited<ReturnType<typeof measure>>[] = []
    for (const [key, name, fetch, request, scenarioEnv] of scenarios) {
      if (ONLY && !ONLY.split(',').includes(key)) continue
      results.push(await measure(name, fetch, request, scenarioEnv))
    }
    console.log('\n| scenario | req/s (1 in flight) | CPU p50 ms | CPU p90 ms | requests |')
    console.log('| --- | ---: | ---: | ---: | ---: |')
    for (const r of results) {
      console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.cpuP50.toFixed(3)} | ${r.cpuP90.toFixed(3)} | ${r.count} |`)
    }
    const find = (label: string) => results.find((r) => r.name.startsWith(label))
    const [a, b, c] = [find('(a)'), find('(b)'), find('(c)')]
    if (a && b) console.log(`\n(b)/(a) throughput: ${((b.rps / a.rps) * 100).toFixed(1)}% (target ≥ 70%)`)
    if (c) console.log(`(c) CPU p50: ${c.cpuP50.toFixed(3)} ms (target ≤ 0.5 ms)`)
  } finally {
    await emulators.stop()
  }
}

await main()
