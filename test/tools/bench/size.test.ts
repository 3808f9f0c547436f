/**
 * `npm run size` (tools/bench/size.ts): the Worker bundle as `wrangler deploy --env production` builds it is within
 * the target (≤ 360 KiB gzipped) and holds none of the modules kept out of it (docs/benchmarks.md "Worker bundle").
 * Each run is one wrangler dry-run build (a few seconds).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatReport, passes, reportOf, TARGET_GZIP_KIB } from '../../../tools/bench/size'
import { PROJECT_ROOT } from '../../../tools/cli/lib/paths'

const FIGURE = /^Worker bundle: ([\d.]+) KiB raw, ([\d.]+) KiB gzipped — target ≤ (\d+) KiB gzipped: (within|OVER)$/m

function size(...args: string[]) {
  return spawnSync('npm', ['run', '--silent', 'size', '--', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' })
}

describe('npm run size', () => {
  it('prints the production bundle’s raw and gzipped size within the target, and exits 0', () => {
    const run = size()
    expect(run.status, run.stdout + run.stderr).toBe(0)
    const [, raw, gzip, target, verdict] = FIGURE.exec(run.stdout) ?? []
    expect(Number(target)).toBe(TARGET_GZIP_KIB)
    expect(Number(gzip)).toBeLessThanOrEqual(TARGET_GZIP_KIB)
    expect(Number(raw)).toBeGreaterThan(Number(gzip))
    expect(verdict).toBe('within')
    expect(run.stdout).not.toContain('must not be in the bundle')
  })

  it('exits non-zero over the target', () => {
    const run = size('--target-kib', '50')
    expect(run.status).toBe(1)
    expect(FIGURE.exec(run.stdout)?.[4]).toBe('OVER')
  })

  it('fails a bundle holding a zod translation, another drizzle dialect or plugin sources', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'stratum-size-test-'))
    try {
      writeFileSync(join(outdir, 'index.js'), 'export default {}\n')
      const inputs = {
        'src/index.ts': { bytesInOutput: 20 },
        'node_modules/zod/v4/locales/en.js': { bytesInOutput: 5 },
        'node_modules/zod/v4/locales/de.js': { bytesInOutput: 5 },
        'node_modules/drizzle-orm/pg-core/columns/enum.js': { bytesInOutput: 5 },
        'node_modules/drizzle-orm/sqlite-core/dialect.js': { bytesInOutput: 5 },
        'public/_plugin-sources/notice.json': { bytesInOutput: 5 },
      }
      const report = reportOf(outdir, { outputs: { 'index.js': { bytes: 45, inputs } } })
      expect(report.forbidden.map((f) => f.split(' ')[0])).toEqual([
        'node_modules/drizzle-orm/pg-core/columns/enum.js',
        'node_modules/zod/v4/locales/de.js',
        'public/_plugin-sources/notice.json',
      ])
      expect(report.gzipBytes).toBeLessThan(TARGET_GZIP_KIB * 1024)
      expect(passes(report)).toBe(false)
      expect(formatReport(report).join('\n')).toContain('must not be in the bundle')
    } finally {
      rmSync(outdir, { recursive: true, force: true })
    }
  })
})
