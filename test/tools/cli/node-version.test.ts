/**
 * On a Node older than package.json's `engines.node`, `npm run dev`, `npm test` and the `stratum` CLI stop at once
 * with one line saying what is wrong and how to fix it, and a non-zero exit — before any emulator starts or
 * `.dev.vars` is written (tools/cli/check-node.cjs).
 *
 * The old Node is the machine's own Node 20 when it has one (e.g. /usr/bin/node); otherwise Node 20 from the npm
 * registry (package `node@20`, as .ci/run gets Node 22), cached under ~/.cache/stratum/node20.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../../tools/cli/lib/paths'

const major = (node: string): number | undefined => {
  try {
    return Number(/^v(\d+)/.exec(execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 }))?.[1])
  } catch {
    return undefined
  }
}

function installNode20(): string | undefined {
  const home = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'stratum', 'node20')
  const bin = join(home, 'node_modules', 'node', 'bin', 'node')
  if (existsSync(bin)) return bin
  // Installed beside the cache and renamed into place: a concurrent run never sees half an install.
  mkdirSync(dirname(home), { recursive: true })
  const staging = mkdtempSync(`${home}.tmp-`)
  const npm = spawnSync('npm', ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', 'node@20'], {
    encoding: 'utf8',
    timeout: 180_000,
  })
  try {
    if (npm.status !== 0) return undefined
    if (!existsSync(home)) renameSync(staging, home)
    return existsSync(bin) ? bin : undefined
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}

/**
 * A Node 20 binary: one on the PATH or a system one, else one from the npm registry. Exactly 20: the npm that runs
 * `npm run dev` in the test must itself run on it (npm 11 needs Node ≥ 20.17).
 */
function oldNode(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node'))
  for (const candidate of [...onPath, '/usr/bin/node', '/usr/local/bin/node']) {
    if (existsSync(candidate) && major(candidate) === 20) return candidate
  }
  return installNode20()
}

const node20 = oldNode()
if (!node20) console.warn('node-version.test: no Node 20 here, and `npm install node@20` failed: skipped')

const scratch = mkdtempSync(join(tmpdir(), 'stratum-old-node-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Runs `command` the way a user on that Node would: its directory first on the PATH (`npm`'s `node` is that one). */
function runWithOldNode(command: string, args: string[]) {
  const dataDir = join(scratch, `data-${Math.random().toString(36).slice(2)}`)
  const devVars = join(dataDir, '.dev.vars')
  const started = Date.now()
  const result = spawnSync(command, args, {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      PATH: `${dirname(node20 as string)}${delimiter}${process.env.PATH ?? ''}`,
      STRATUM_DATA_DIR: dataDir,
      STRATUM_DEV_VARS: devVars,
      npm_config_update_notifier: 'false',
    },
  })
  return { ...result, dataDir, devVars, ms: Date.now() - started }
}

const ONE_LINE =
  /^stratum: Node\.js 22\.12 or newer is required, but this is Node\.js 20\.\d+\.\d+ \(.+\); install Node 22 with `nvm install` .*nodejs\.org.*$/

function expectRefused(run: ReturnType<typeof runWithOldNode>) {
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => l.trim())
  expect(run.status, `${run.stdout}\n${run.stderr}`).not.toBe(0)
  expect(run.status).not.toBe(null)
  expect(lines.filter((l) => ONE_LINE.test(l))).toHaveLength(1)
  // Nothing started: no emulator line, no data folder, no .dev.vars.
  expect(lines.filter((l) => /^stratum: (libsql|redis|qstash|wrote|migrations|api)/.test(l))).toEqual([])
  expect(existsSync(run.dataDir)).toBe(false)
  expect(existsSync(run.devVars)).toBe(false)
}

describe.skipIf(!node20)('on Node 20', () => {
  it('`npm run dev` exits non-zero with the one-line message before any emulator starts', () => {
    const run = runWithOldNode('npm', ['run', 'dev'])
    expectRefused(run)
    expect(run.stderr.split('\n').filter((l) => l.trim())).toHaveLength(1)
  })

  it('`npm test` and the CLI (`stratum dev` through tsx) stop the same way', () => {
    expectRefused(runWithOldNode('npm', ['test']))
    const tsx = join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
    expectRefused(runWithOldNode(node20 as string, [tsx, 'tools/cli/stratum.ts', 'dev']))
  })

  it('`npm install` only warns (the installed packages do not depend on the Node version)', () => {
    const run = runWithOldNode(node20 as string, ['tools/cli/check-node.cjs', '--warn'])
    expect(run.status).toBe(0)
    expect(run.stderr.trim()).toMatch(ONE_LINE)
  })
})
