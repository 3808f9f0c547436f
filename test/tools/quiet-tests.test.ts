/**
 * `npm test` prints only what nobody expected: the Worker tests that take Redis and the database away on purpose
 * (unreachable ports) run in a child vitest, whose output must carry neither workerd's disconnect reports nor the
 * error lines those tests provoke (they collect them with test/helpers/logs.ts), and the run must pass.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../tools/cli/lib/paths'

const FILES = ['test/http/unavailable.test.ts', 'test/domains/health/health.test.ts']

describe('the test run', () => {
  it('stays quiet about the errors its tests provoke', () => {
    // A fresh vitest, not this run's workers: drop the variables vitest sets for its own children.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')))
    const run = spawnSync(
      process.execPath,
      [join(PROJECT_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'workers', ...FILES],
      { cwd: PROJECT_ROOT, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, encoding: 'utf8', timeout: 120_000 },
    )
    const output = `${run.stdout}${run.stderr}`
    expect(run.status, output).toBe(0)
    expect(output).toContain(`Test Files  ${FILES.length} passed`)
    const noise = output
      .split('\n')
      .filter((line) => /Network connection lost|uncaught exception|"level":"(error|warn)"|^stderr \|/.test(line))
    expect(noise).toEqual([])
  }, 150_000)
})
