/**
 * Start-up on plain workerd (docs/benchmarks.md, "Start-up"): milliseconds from spawning `workerd serve` to the first
 * 2xx answer, for the app's bundle (`GET /api/v1/health/ping`, a route that touches no dependency) and for bare Hono
 * (`/ping`), several runs each, interleaved. Both pay the same process start and config load; the difference of the
 * medians is what the app's script load, its top-level work and its first request's lazy construction cost.
 * Part of `npm run bench:workerd` (`BENCH_STARTUP_RUNS`, default 7; `BENCH_ROUNDS=0` measures start-up only).
 */
import { spawn } from 'node:child_process'
import { serveConfig, type WorkerdBundle, workerdBinary } from './targets/workerd'

/** Polls `url` every 2 ms until it answers 2xx; its time since `since` (ms). */
async function firstAnswer(url: string, since: number, exited: () => boolean): Promise<number> {
  for (;;) {
    if (exited()) throw new Error(`workerd exited before answering ${url}`)
    if (performance.now() - since > 30_000) throw new Error(`no answer from ${url} within 30 s`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
      await res.arrayBuffer()
      if (res.ok) return performance.now() - since
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/** One cold start of `bundle`: spawn → first 2xx answer of `path`, in ms; the server is stopped afterwards. */
async function coldStart(bundle: WorkerdBundle, vars: Record<string, string>, path: string): Promise<number> {
  const { config, port } = await serveConfig(bundle, vars, 'startup.capnp')
  const started = performance.now()
  const child = spawn(workerdBinary(), ['serve', config], { cwd: bundle.dir, stdio: ['ignore', 'ignore', 'inherit'] })
  try {
    return await firstAnswer(`http://127.0.0.1:${port}${path}`, started, () => child.exitCode !== null)
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}

export interface StartupFigures {
  runs: number
  /** Median ms from spawn to the first answer. */
  bareMs: number
  appMs: number
  /** Every run, in order (ms). */
  bare: number[]
  app: number[]
  /** The baseline bundle's (`BENCH_BASELINE`), when one was measured in the same runs. */
  baseline?: { ref: string; ms: number; runs: number[] }
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/**
 * Interleaved cold starts of bare Hono and the app (`vars`: the app's bindings; bare Hono gets none), and of a
 * baseline bundle of the app (another commit's) when given, in the same runs.
 */
export async function measureStartup(
  bare: WorkerdBundle,
  app: WorkerdBundle,
  vars: Record<string, string>,
  runs: number,
  baseline?: { ref: string; bundle: WorkerdBundle },
): Promise<StartupFigures> {
  const figures = { bare: [] as number[], app: [] as number[] }
  const before: number[] = []
  for (let i = 0; i < runs; i++) {
    figures.bare.push(await coldStart(bare, {}, '/ping'))
    figures.app.push(await coldStart(app, vars, '/api/v1/health/ping'))
    if (baseline) before.push(await coldStart(baseline.bundle, vars, '/api/v1/health/ping'))
  }
  return {
    runs,
    bareMs: median(figures.bare),
    appMs: median(figures.app),
    ...figures,
    ...(baseline ? { baseline: { ref: baseline.ref, ms: median(before), runs: before } } : {}),
  }
}

/** `busy`: the machine's busy share during the runs (0–1), when known. */
export function reportStartup(f: StartupFigures, busy?: number): void {
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ')
  const machine =
    busy === undefined ? '' : ` Machine ${Math.round(busy * 100)} % busy during them, the cold starts included.`
  console.log(
    `\nStart-up (spawn → first 2xx answer, median of ${f.runs} interleaved runs): bare Hono ${f.bareMs.toFixed(0)} ms` +
      ` [${list(f.bare)}], app ${f.appMs.toFixed(0)} ms [${list(f.app)}]; the app costs ` +
      `${(f.appMs - f.bareMs).toFixed(0)} ms more (target ≤ 100 ms).${machine}`,
  )
  if (f.baseline) {
    const { ref, ms, runs } = f.baseline
    console.log(
      `  baseline @${ref}: ${ms.toFixed(0)} ms [${list(runs)}], ${(ms - f.bareMs).toFixed(0)} ms more than bare Hono.`,
    )
  }
}
