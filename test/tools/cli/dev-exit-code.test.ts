/**
 * `npm run dev` exits non-zero when a child fails: wrangler ending on its own with an error (here: its port is taken)
 * and a failed start-up (here: `.dev.vars` cannot be written). Every service is pointed elsewhere so no emulator starts
 * and the runs stay quick; the database is a file the seed fills.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../../tools/cli/lib/paths'

const scratch = mkdtempSync(join(tmpdir(), 'stratum-dev-exit-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function runDev(name: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dir = join(scratch, name)
  mkdirSync(dir)
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tools/cli/stratum.ts', 'dev'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      STRATUM_DATA_DIR: dir,
      STRATUM_DEV_VARS: join(dir, '.dev.vars'),
      TURSO_DATABASE_URL: `file:${join(dir, 'db.sqlite')}`,
      UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9',
      UPSTASH_REDIS_REST_TOKEN: 'unused',
      QSTASH_URL: 'http://127.0.0.1:9',
      QSTASH_TOKEN: 'unused',
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })))
}

describe('`npm run dev` exit codes', () => {
  it('is non-zero when wrangler fails (port already in use)', async () => {
    const taken: Server = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const address = taken.address()
    const port = typeof address === 'object' && address ? address.port : 0
    try {
      const { code, output } = await runDev('wrangler', { PORT: String(port) })
      expect(output).toMatch(/wrangler exited \(1\)/)
      expect(code, output).toBe(1)
    } finally {
      taken.close()
    }
  }, 60_000)

  it('is non-zero when start-up fails', async () => {
    const { code, output } = await runDev('startup', { STRATUM_DEV_VARS: scratch })
    expect(output).toMatch(/start-up failed/)
    expect(code, output).toBe(1)
  }, 60_000)
})
