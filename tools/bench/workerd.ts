/**
 * `npm run bench:workerd` — the headline benchmark (docs/benchmarks.md, "The app on workerd"): the production Worker
 * bundle served by plain `workerd serve`, bare Hono beside it as the ceiling, the emulators on the same machine.
 * Interleaved rounds (every scenario once per round), autocannon with a fixed number of connections; per scenario:
 * req/s (median round), its share of bare Hono, p50/p99 latency, non-2xx, CPU of the serving process per request
 * (`/proc/<pid>/stat`) and round trips per request counted at the emulators.
 *
 * `BENCH_ROUNDS` (5; 0: start-up only), `BENCH_SECONDS` (8 per scenario and round), `BENCH_CONNECTIONS` (8),
 * `BENCH_BASELINE` (a git ref to compare with), `BENCH_STARTUP_RUNS` (7 cold starts of the app and of bare Hono,
 * ./startup.ts, before the rounds; 0: none). Other hosts plug in as targets (lib/targets.ts): `appTargets` below lists the ones measured.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminToken, captchaOff, productionBenchVars, seedUsers } from './lib/app-session'
import { type BenchEmulators, startEmulators } from './lib/emulators'
import { load } from './lib/load'
import { busyShare, machineCpu, processCpuMs } from './lib/proc'
import type { BenchTarget, RunningTarget } from './lib/targets'
import { measureStartup, reportStartup, type StartupFigures } from './startup'
import { benchHosts, hostApp, hostBareHono } from './targets/hosts'
import { buildBareHono, type WorkerdBundle, workerdApp, workerdBareHono } from './targets/workerd'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8)
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 7)

/**
 * The app's targets (issue 18 adds Node, Bun and Deno here); the bare ceiling is always workerd. `BENCH_BASELINE=<git
 * ref>` adds the bundle of that commit, measured in the same rounds (before/after in one run).
 */
const baseline = process.env.BENCH_BASELINE
/** The working tree's bundle, kept for the start-up measurement. */
let appBundle: WorkerdBundle | undefined
/** The baseline's bundle, measured in the same start-up runs. */
let baselineBundle: WorkerdBundle | undefined
const appTargets: BenchTarget[] = [
  workerdApp(undefined, (bundle) => {
    appBundle = bundle
  }),
  ...(baseline
    ? [
        workerdApp(baseline, (bundle) => {
          baselineBundle = bundle
        }),
      ]
    : []),
  // The Node, Bun and Deno hosts (issue 18, docs/hosts.md), each beside bare Hono on its own server (`BENCH_HOSTS`).
  ...benchHosts().map(hostApp),
]
const hostCeilings: BenchTarget[] = benchHosts().map(hostBareHono)

interface Scenario {
  name: string
  running: RunningTarget
  path: string
  headers?: Record<string, string>
  /** Another method than GET, with its body. */
  request?: { method: string; body: string }
  /** The ceiling the others are compared with. */
  ceiling?: boolean
}

interface Sample {
  rps: number
  p50Ms: number
  p99Ms: number
  failed: number
  requests: number
  cpuMs: number
  db: number
  redis: number
}

/** Round trips seen so far by the emulators, all databases and namespaces together. */
async function emulatorTotals(vars: Record<string, string>): Promise<{ db: number; redis: number }> {
  const origin = (url: string | undefined) => new URL(url ?? '').origin
  const [libsql, redis] = await Promise.all([
    fetch(`${origin(vars.TURSO_DATABASE_URL)}/_emulator/stats`).then(
      (r) => r.json() as Promise<{ databases: Record<string, { pipelines: number }> }>,
    ),
    fetch(`${origin(vars.UPSTASH_REDIS_REST_URL)}/_emulator/stats`).then(
      (r) => r.json() as Promise<{ namespaces: Record<string, { requests: number }> }>,
    ),
  ])
  const sum = (values: { pipelines?: number; requests?: number }[]) =>
    values.reduce((total, v) => total + (v.pipelines ?? v.requests ?? 0), 0)
  return { db: sum(Object.values(libsql.databases)), redis: sum(Object.values(redis.namespaces)) }
}

async function measure(s: Scenario, vars: Record<string, string>): Promise<Sample> {
  const cpuBefore = processCpuMs(s.running.pid) ?? 0
  const before = await emulatorTotals(vars)
  const result = await load(`${s.running.url}${s.path}`, SECONDS, CONNECTIONS, s.headers, s.request)
  // Work after the response (waitUntil: flushes, cache fills) finishes within a moment.
  await new Promise((resolve) => setTimeout(resolve, 200))
  const after = await emulatorTotals(vars)
  const cpuMs = (processCpuMs(s.running.pid) ?? 0) - cpuBefore
  const n = Math.max(1, result.requests)
  return { ...result, cpuMs: cpuMs / n, db: (after.db - before.db) / n, redis: (after.redis - before.redis) / n }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function report(scenarios: Scenario[], samples: Map<Scenario, Sample[]>, busy: number | undefined): void {
  const ceiling = scenarios.find((s) => s.ceiling)
  const ceilingRps = median((samples.get(ceiling as Scenario) ?? []).map((x) => x.rps))
  const rows = scenarios.map((s) => {
    const xs = samples.get(s) ?? []
    const rps = median(xs.map((x) => x.rps))
    return [
      s.name,
      Math.round(rps).toLocaleString('en-US'),
      `${((100 * rps) / ceilingRps).toFixed(1)}%`,
      median(xs.map((x) => x.p50Ms)).toFixed(1),
      median(xs.map((x) => x.p99Ms)).toFixed(1),
      String(xs.reduce((t, x) => t + x.failed, 0)),
      median(xs.map((x) => x.cpuMs)).toFixed(3),
      `${median(xs.map((x) => x.db)).toFixed(2)} / ${median(xs.map((x) => x.redis)).toFixed(2)}`,
    ]
  })
  const head = ['scenario', 'req/s', 'share of bare', 'p50 ms', 'p99 ms', 'non-2xx', 'CPU ms/req', 'DB / Redis per req']
  console.log(`\n| ${head.join(' | ')} |\n|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`)
  for (const row of rows) console.log(`| ${row.join(' | ')} |`)
  console.log(
    `\n${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections; medians of rounds; machine ${
      busy === undefined ? 'busy share unknown' : `${Math.round(busy * 100)} % busy`
    } during the run.`,
  )
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'stratum-bench-workerd-'))
  let emulators: BenchEmulators | undefined
  const running: RunningTarget[] = []
  try {
    emulators = await startEmulators()
    const vars: Record<string, string> = {
      ...productionBenchVars(emulators.vars),
      // The login scenario logs in over and over from one address, without a captcha (switched off below).
      RATE_LIMIT_LOGIN: '100000000/60s',
    }
    await captchaOff(vars)
    const bare = await workerdBareHono.start({ vars, workDir })
    running.push(bare)
    const scenarios: Scenario[] = [
      { name: 'bare Hono (workerd)', running: bare, path: '/ping', ceiling: true },
      // What a login's password check costs by itself: its CPU tells a login's hashing from the rest.
      { name: 'bare Hono: PBKDF2-SHA256, 100 000 iterations', running: bare, path: '/pbkdf2' },
    ]
    for (const target of hostCeilings) {
      const hostBare = await target.start({ vars, workDir })
      running.push(hostBare)
      scenarios.push({ name: target.name, running: hostBare, path: '/ping' })
    }
    for (const target of appTargets) {
      const app = await target.start({ vars, workDir })
      running.push(app)
      const auth = { Authorization: `Bearer ${await adminToken(app, vars)}` }
      await seedUsers(app, auth)
      scenarios.push(
        { name: `${target.name}: GET /api/v1/health/ping`, running: app, path: '/api/v1/health/ping' },
        {
          name: `${target.name}: GET /api/v1/sys/users/me (warm)`,
          running: app,
          path: '/api/v1/sys/users/me',
          headers: auth,
        },
        {
          name: `${target.name}: GET /api/v1/sys/users?page=1&size=20`,
          running: app,
          path: '/api/v1/sys/users?page=1&size=20',
          headers: auth,
        },
        // The admin allows multi-login: the bench's own session stays. Captcha off, login limit out of reach (above).
        {
          name: `${target.name}: POST /api/v1/auth/login`,
          running: app,
          path: '/api/v1/auth/login',
          headers: { 'Content-Type': 'application/json' },
          request: { method: 'POST', body: JSON.stringify({ username: 'admin', password: '123456' }) },
        },
      )
    }
    // Start-up first, on a machine the rounds have not loaded: after them the emulators still work off what the load
    // left behind (the login scenario's queued events and logs), which doubled some cold starts.
    let startup: { figures: StartupFigures; busy: number | undefined } | undefined
    if (STARTUP_RUNS > 0 && appBundle) {
      const before = baseline && baselineBundle ? { ref: baseline, bundle: baselineBundle } : undefined
      const machine = machineCpu()
      const figures = await measureStartup(await buildBareHono(workDir), appBundle, vars, STARTUP_RUNS, before)
      startup = { figures, busy: busyShare(machine, machineCpu()) }
    }
    // Warm-up: a short run of each (JIT, caches, the first count of the default limit).
    for (const s of scenarios) await load(`${s.running.url}${s.path}`, 1, CONNECTIONS, s.headers, s.request)
    const samples = new Map<Scenario, Sample[]>(scenarios.map((s) => [s, []]))
    const machineBefore = machineCpu()
    for (let round = 1; round <= ROUNDS; round++) {
      for (const s of scenarios) samples.get(s)?.push(await measure(s, vars))
      console.error(`round ${round}/${ROUNDS} done`)
    }
    if (ROUNDS > 0) report(scenarios, samples, busyShare(machineBefore, machineCpu()))
    if (startup) reportStartup(startup.figures, startup.busy)
  } finally {
    for (const r of running.reverse()) await r.stop()
    await emulators?.stop()
    rmSync(workDir, { recursive: true, force: true })
  }
}

await main()
