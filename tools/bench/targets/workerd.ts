/**
 * Bench targets served by plain `workerd serve` (no wrangler, no Miniflare proxy in front): the Worker bundle as
 * `wrangler deploy --dry-run` builds it for production, and bare Hono bundled by esbuild beside it as the ceiling.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { build } from 'esbuild'
import { PROJECT_ROOT } from '../../cli/lib/paths'
import { type BenchTarget, commandTarget, freePort, type RunningTarget } from '../lib/targets'
import { workerdConfig } from '../lib/workerd-config'

const require = createRequire(import.meta.url)

/** The `workerd` binary wrangler itself runs (its dependency, also resolvable from the project). */
export const workerdBinary = (): string => join(require.resolve('workerd/package.json'), '..', 'bin', 'workerd')

/** The compatibility date from which workerd turns `nodejs_compat` on by itself. */
const NODEJS_COMPAT_DEFAULT_FROM = '2026-08-04'

/** `compatibility_date` and flags from wrangler.toml, so the bench runs what a deploy runs. */
function compatibility(): { date: string; flags: string[] } {
  const toml = readFileSync(join(PROJECT_ROOT, 'wrangler.toml'), 'utf8')
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1]
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? ''
  if (!date) throw new Error('wrangler.toml has no compatibility_date')
  const listed = [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '')
  // wrangler still needs `nodejs_compat` listed to bundle Node's APIs; workerd implies it from 2026-08-04 on and
  // prints a warning on every start when it is listed too.
  return { date, flags: date >= NODEJS_COMPAT_DEFAULT_FROM ? listed.filter((f) => f !== 'nodejs_compat') : listed }
}

/** A Worker module built for the bench, in its own folder (the folder holds its configs and storage too). */
export interface WorkerdBundle {
  dir: string
  /** Relative to `dir`. */
  modulePath: string
  /** binding name → exported class. */
  durableObjects: Record<string, string>
}

/** Writes a `workerd serve` config for `bundle` on a free port (`name`: the config file, one per use). */
export async function serveConfig(
  bundle: WorkerdBundle,
  vars: Record<string, string>,
  name = 'workerd.capnp',
): Promise<{ config: string; port: number }> {
  const { dir, modulePath, durableObjects } = bundle
  const port = await freePort()
  const { date, flags } = compatibility()
  const storageDir = join(dir, 'do-storage')
  mkdirSync(storageDir, { recursive: true })
  const config = join(dir, name)
  writeFileSync(
    config,
    workerdConfig({
      modulePath,
      port,
      compatibilityDate: date,
      compatibilityFlags: flags,
      vars,
      durableObjects,
      storageDir,
    }),
  )
  return { config, port }
}

async function serveBundle(bundle: WorkerdBundle, vars: Record<string, string>): Promise<RunningTarget> {
  const { config, port } = await serveConfig(bundle, vars)
  return commandTarget(port, workerdBinary(), ['serve', config], {}, bundle.dir)
}

/** `wrangler deploy --dry-run --env production` of the project in `root`, into `outDir`. */
function buildWorker(root: string, outDir: string): void {
  const built = spawnSync(
    process.execPath,
    [
      join(PROJECT_ROOT, 'node_modules/wrangler/bin/wrangler.js'),
      'deploy',
      '--dry-run',
      '--env',
      'production',
      '--outdir',
      outDir,
    ],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, encoding: 'utf8' },
  )
  if (built.status !== 0) throw new Error(`wrangler build failed in ${root}:\n${built.stderr}`)
}

/** A checkout of `ref`'s files (read from git, the working tree untouched) sharing this project's node_modules. */
function exportRef(ref: string, dir: string): void {
  mkdirSync(dir, { recursive: true })
  const archive = spawnSync('git', ['archive', '--format=tar', ref], { cwd: PROJECT_ROOT, maxBuffer: 1 << 30 })
  if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`)
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout })
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`)
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'))
}

/** The app's bundle: `wrangler deploy --dry-run --env production` of the working tree, or of git `ref`. */
export function buildWorkerdApp(workDir: string, ref?: string): WorkerdBundle {
  const dir = join(workDir, ref ? `workerd-app-${ref.replace(/[^\w.-]/g, '_')}` : 'workerd-app')
  mkdirSync(dir, { recursive: true })
  let root = PROJECT_ROOT
  if (ref) {
    root = join(dir, 'src-tree')
    exportRef(ref, root)
  }
  buildWorker(root, join(dir, 'dist'))
  writeFileSync(join(dir, 'worker.js'), readFileSync(join(dir, 'dist', 'index.js')))
  return { dir, modulePath: 'worker.js', durableObjects: { REALTIME_HUB: 'RealtimeHub' } }
}

/** Bare Hono answering JSON, bundled (minified, like the app). */
export async function buildBareHono(workDir: string): Promise<WorkerdBundle> {
  const dir = join(workDir, 'workerd-bare')
  mkdirSync(dir, { recursive: true })
  await build({
    entryPoints: [join(PROJECT_ROOT, 'tools/bench/targets/bare-hono.worker.ts')],
    outfile: join(dir, 'worker.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'warning',
  })
  return { dir, modulePath: 'worker.js', durableObjects: {} }
}

/**
 * The app: `wrangler deploy --dry-run --env production` output, with the bench's variables as text bindings. With
 * `ref`, the bundle of that commit instead of the working tree (a before/after comparison in one run). `built`
 * receives the bundle (the start-up measurement serves it again).
 */
export function workerdApp(ref?: string, built?: (bundle: WorkerdBundle) => void): BenchTarget {
  return {
    name: ref ? `workerd @${ref}` : 'workerd',
    async start({ vars, workDir }) {
      const bundle = buildWorkerdApp(workDir, ref)
      built?.(bundle)
      return serveBundle(bundle, vars)
    },
  }
}

/** The ceiling: bare Hono answering JSON, bundled (minified, like the app) and served the same way. */
export const workerdBareHono: BenchTarget = {
  name: 'bare Hono (workerd)',
  async start({ workDir }) {
    return serveBundle(await buildBareHono(workDir), {})
  },
}
