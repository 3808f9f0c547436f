/**
 * The deploy path of README "Deploying": `wrangler deploy --dry-run --env production` builds (offline, no account),
 * a plain `wrangler deploy` targets another Worker than production, both declare the realtime hub's Durable Object
 * with its migration, and the README names every secret production requires (src/core/config.ts
 * `PRODUCTION_REQUIRED_KEYS`) and the first-admin step.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { unstable_readConfig } from 'wrangler'
import { PRODUCTION_REQUIRED_KEYS } from '../../src/core/config'
import { PROJECT_ROOT } from '../../tools/cli/lib/paths'

const outdir = mkdtempSync(join(tmpdir(), 'stratum-deploy-'))
afterAll(() => rmSync(outdir, { recursive: true, force: true }))

const configPath = join(PROJECT_ROOT, 'wrangler.toml')
const readConfig = (env: string | undefined) => unstable_readConfig({ config: configPath, env }, { hideWarnings: true })

const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')
const deploying = readme.slice(
  readme.indexOf('## Deploying'),
  readme.indexOf('\n## ', readme.indexOf('## Deploying') + 1),
)

describe('deploying', () => {
  it('a plain `wrangler deploy` cannot replace production: the environments have their own names', () => {
    const production = readConfig('production')
    expect(production.name).toBe('stratum')
    expect(production.vars.ENVIRONMENT).toBe('production')
    const top = readConfig(undefined)
    expect(top.name).not.toBe(production.name)
    expect(top.vars.ENVIRONMENT).toBe('development')
  })

  it('both Workers bind the realtime hub, with a migration that creates it as a SQLite-backed class', () => {
    for (const env of [undefined, 'production']) {
      const config = readConfig(env)
      expect(config.durable_objects.bindings, String(env)).toEqual([
        { name: 'REALTIME_HUB', class_name: 'RealtimeHub' },
      ])
      const migrations: { new_sqlite_classes?: string[]; new_classes?: string[] }[] = config.migrations
      const sqlite = migrations.flatMap((m) => m.new_sqlite_classes ?? [])
      const keyValue = migrations.flatMap((m) => m.new_classes ?? [])
      expect({ sqlite, keyValue }, String(env)).toEqual({ sqlite: ['RealtimeHub'], keyValue: [] })
    }
  })

  it('both Workers bind an uploads bucket of their own (docs/files.md), named in README "Deploying"', () => {
    const buckets: { binding: string; bucket_name?: string }[][] = [undefined, 'production'].map(
      (env) => readConfig(env).r2_buckets,
    )
    for (const bound of buckets) expect(bound.map((b) => b.binding)).toEqual(['UPLOADS'])
    expect(buckets[0]?.[0]?.bucket_name).not.toBe(buckets[1]?.[0]?.bucket_name)
    expect(deploying).toContain(`wrangler r2 bucket create ${buckets[1]?.[0]?.bucket_name}`)
  })

  it('`wrangler deploy --dry-run --env production` builds the Worker', () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      CI: 'true',
    }
    // Offline and without an account: a dry run never needs one.
    delete env.CLOUDFLARE_API_TOKEN
    delete env.CLOUDFLARE_ACCOUNT_ID
    const run = spawnSync(
      join(PROJECT_ROOT, 'node_modules', '.bin', 'wrangler'),
      ['deploy', '--dry-run', '--env', 'production', '--outdir', outdir],
      { cwd: PROJECT_ROOT, encoding: 'utf8', env, timeout: 120_000 },
    )
    const output = `${run.stdout}\n${run.stderr}`
    expect(run.status, output).toBe(0)
    expect(output).toContain('--dry-run: exiting now.')
    expect(output).toContain('env.ENVIRONMENT ("production")')
    expect(output).toContain('env.REALTIME_HUB (RealtimeHub)')
    expect(existsSync(join(outdir, 'index.js'))).toBe(true)
  }, 120_000)

  it('README "Deploying" lists every secret production requires and the first-admin step', () => {
    expect(deploying).not.toBe('')
    for (const key of PRODUCTION_REQUIRED_KEYS) expect(deploying, key).toContain(`\`${key}\``)
    expect(deploying).toContain('`TURSO_AUTH_TOKEN`')
    expect(deploying).toContain('npm run db:migrate -- --production')
    expect(deploying).toContain('npm run db:seed -- --production')
    expect(deploying).toContain('`STRATUM_ADMIN_PASSWORD`')
    expect(deploying).toContain('npm run deploy')
  })
})
