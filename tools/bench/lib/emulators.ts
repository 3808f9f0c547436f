/**
 * The local cloud for a benchmark, as tools/bench/app.ts starts it: `stratum emulators` in a CHILD process (each
 * emulator in a process of its own below it), so their CPU is not counted in the benchmark's thread; a temporary data
 * folder, migrated and seeded (admin / 123456). Returns the variables the app reads to reach them, and what each
 * emulator process has spent in CPU so far (to say where an end-to-end run's time went).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDevVars } from '../../cli/lib/dev-vars'
import { PROJECT_ROOT } from '../../cli/lib/paths'
import { processCpuMs } from './proc'

/**
 * The emulators `stratum emulators` runs (tools/cli/lib/local-stack.ts's `ServiceName`, not imported: that module
 * pulls every emulator's sources into this folder's Workers-typed check).
 */
type ServiceName = 'libsql' | 'redis' | 'qstash'

export interface BenchEmulators {
  vars: Record<string, string>
  /** CPU (user + system, ms) of each emulator's process so far; empty where `/proc` is not there (not Linux). */
  cpuMs(): Partial<Record<ServiceName, number>>
  stop(): Promise<void>
}

export async function startEmulators(): Promise<BenchEmulators> {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-bench-'))
  const devVars = join(dir, '.dev.vars')
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/cli/stratum.ts', 'emulators'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, STRATUM_DATA_DIR: dir, STRATUM_DEV_VARS: devVars },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('emulators running') && resolve())
    child.once('exit', () => reject(new Error('emulators exited')))
  })
  // Each emulator's process records its pid under the data folder (tools/cli/commands/emulators.ts).
  const pids: Partial<Record<ServiceName, number>> = {}
  for (const name of ['libsql', 'redis', 'qstash'] as const) {
    try {
      const { pid } = JSON.parse(readFileSync(join(dir, 'run', `${name}.json`), 'utf8')) as { pid?: number }
      if (pid !== undefined) pids[name] = pid
    } catch {
      // Not started (its variables came from elsewhere): nothing to count.
    }
  }
  return {
    vars: parseDevVars(readFileSync(devVars, 'utf8')),
    cpuMs: () => {
      const spent: Partial<Record<ServiceName, number>> = {}
      for (const [name, pid] of Object.entries(pids) as [ServiceName, number][]) {
        const ms = processCpuMs(pid)
        if (ms !== undefined) spent[name] = ms
      }
      return spent
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
