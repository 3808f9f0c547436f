/**
 * Acceptance of the plugin CLI: in a fresh clone of the repository, `stratum plugin new demo` scaffolds a plugin
 * whose own test passes against the real app (the clone shares this checkout's node_modules).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../../tools/cli/lib/paths'

const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'stratum-scaffold-'))
const clone = join(dir, 'repo')

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The parent run's vitest variables would leak into the nested run. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST'))

describe('stratum plugin new demo', () => {
  it('scaffolds a plugin whose own test passes', async () => {
    await run('git', ['clone', '-q', PROJECT_ROOT, clone])
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir')
    await run(process.execPath, ['--import', 'tsx', 'tools/cli/stratum.ts', 'plugin', 'new', 'demo'], {
      cwd: clone,
      env,
    })
    const { stdout } = await run(
      process.execPath,
      [
        join(PROJECT_ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--project',
        'workers',
        'test/plugins/demo.test.ts',
      ],
      { cwd: clone, env: { ...env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
    )
    expect(stdout).toMatch(/Tests\s+\d+ passed/)
    expect(stdout).not.toMatch(/failed/)
  }, 240_000)
})
