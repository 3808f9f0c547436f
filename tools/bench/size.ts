/**
 * `npm run size` (also part of `npm run bench`): the Worker bundle as `wrangler deploy` would upload it. Builds with
 * `wrangler deploy --dry-run --env production` into a temporary folder, prints the raw and gzipped size of the Worker's
 * code against the target (≤ 360 KiB gzipped, docs/benchmarks.md "Worker bundle") and the largest contributors, and
 * exits non-zero when the bundle is over the target or holds a module that must stay out of it (zod's translations,
 * drizzle's other dialects, plugin sources: wrangler.toml `[alias]`, src/plugins/sources.ts).
 *
 *   npx tsx tools/bench/size.ts [--env <name>] [--target-kib <n>]
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { PROJECT_ROOT } from '../cli/lib/paths'

/** Gzipped size the Worker's code must stay within (KiB, as wrangler and the Workers limits count). */
export const TARGET_GZIP_KIB = 360

/** Inputs that must not reach the bundle, with why (each matched against the metafile's input paths). */
export const FORBIDDEN_INPUTS: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /node_modules\/zod\/v4\/locales\/(?!en\.js$)/, why: 'zod translation (wrangler.toml [alias])' },
  {
    pattern: /node_modules\/zod\/v4\/classic\/from-json-schema\.js$/,
    why: 'zod JSON-Schema import (wrangler.toml [alias])',
  },
  {
    pattern: /node_modules\/drizzle-orm\/(pg|mysql|singlestore|gel)-core\//,
    why: 'unused drizzle dialect (wrangler.toml [alias])',
  },
  { pattern: /_plugin-sources\/|sources\.generated\.json$/, why: 'plugin sources (src/plugins/sources.ts)' },
  {
    pattern: /node_modules\/nodemailer\/|src\/infra\/node\/|src\/hosts\//,
    why: 'Node/Bun/Deno host code (docs/hosts.md)',
  },
]

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>
}

export interface BundleReport {
  /** The Worker's modules (source maps excluded). */
  files: string[]
  rawBytes: number
  gzipBytes: number
  targetKib: number
  /** Raw bytes in the output per package (`zod`, `@upstash/redis`) or source folder (`src/domains`), largest first. */
  contributors: [string, number][]
  /** Inputs that must not be there, with the reason. */
  forbidden: string[]
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

/** Package name or `src/<folder>` of a metafile input path. */
function contributor(input: string): string {
  const at = input.lastIndexOf('node_modules/')
  if (at >= 0) {
    const parts = input.slice(at + 'node_modules/'.length).split('/')
    return (parts[0]?.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/')
  }
  return input.split('/').slice(0, 2).join('/')
}

/** Reads a wrangler build (`--outdir` with `--metafile`) into a report. */
export function reportOf(outdir: string, metafile: Metafile, targetKib = TARGET_GZIP_KIB): BundleReport {
  const files = readdirSync(outdir)
    .filter((f) => /\.(m?js|wasm)$/.test(f) && statSync(join(outdir, f)).isFile())
    .sort()
  if (!files.length) throw new Error(`size: no Worker module in ${outdir}`)
  const code = files.map((f) => readFileSync(join(outdir, f)))
  const bySource = new Map<string, number>()
  const forbidden = new Set<string>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const key = contributor(input)
      bySource.set(key, (bySource.get(key) ?? 0) + bytesInOutput)
      const rule = FORBIDDEN_INPUTS.find((r) => r.pattern.test(input))
      if (rule) forbidden.add(`${input} — ${rule.why}`)
    }
  }
  return {
    files,
    rawBytes: code.reduce((sum, b) => sum + b.length, 0),
    gzipBytes: code.reduce((sum, b) => sum + gzipSync(b).length, 0),
    targetKib,
    contributors: [...bySource].sort((a, b) => b[1] - a[1]),
    forbidden: [...forbidden].sort(),
  }
}

/** Builds the Worker as `wrangler deploy --env <env>` would (nothing is uploaded) and reports on it. */
export function measureBundle(options: { env?: string; targetKib?: number } = {}): BundleReport {
  const outdir = mkdtempSync(join(tmpdir(), 'stratum-size-'))
  try {
    const metafile = join(outdir, 'meta.json')
    const wrangler = join(PROJECT_ROOT, 'node_modules', '.bin', 'wrangler')
    const args = ['deploy', '--dry-run', '--env', options.env ?? 'production', '--outdir', outdir]
    const result = spawnSync(wrangler, [...args, '--metafile', metafile], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    })
    if (result.status !== 0) {
      throw new Error(`size: wrangler ${args.join(' ')} failed (${result.status ?? result.signal})\n${result.stderr}`)
    }
    return reportOf(outdir, JSON.parse(readFileSync(metafile, 'utf8')), options.targetKib)
  } finally {
    rmSync(outdir, { recursive: true, force: true })
  }
}

/** The lines `npm run size` prints; the first one carries the figure and the verdict. */
export function formatReport(report: BundleReport, top = 12): string[] {
  const within = report.gzipBytes <= report.targetKib * 1024
  const lines = [
    `Worker bundle: ${kib(report.rawBytes)} raw, ${kib(report.gzipBytes)} gzipped — target ≤ ${report.targetKib} KiB gzipped: ${within ? 'within' : 'OVER'}`,
    `  modules: ${report.files.join(', ')}`,
    '  largest contributors (raw, minified):',
    ...report.contributors.slice(0, top).map(([name, bytes]) => `    ${kib(bytes).padStart(10)}  ${name}`),
  ]
  if (report.forbidden.length) {
    lines.push('  must not be in the bundle:', ...report.forbidden.map((f) => `    ${f}`))
  }
  return lines
}

export const passes = (report: BundleReport) =>
  report.gzipBytes <= report.targetKib * 1024 && report.forbidden.length === 0

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2)
  const target = option(argv, '--target-kib')
  try {
    const report = measureBundle({ env: option(argv, '--env'), targetKib: target ? Number(target) : undefined })
    for (const line of formatReport(report)) console.log(line)
    process.exitCode = passes(report) ? 0 : 1
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    process.exitCode = 1
  }
}
