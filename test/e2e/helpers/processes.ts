/**
 * Child processes for end-to-end tests: started in their own process group so stopping one also stops everything
 * it spawned (wrangler → workerd), leaving no orphans.
 */
import { type ChildProcess, spawn } from 'node:child_process'

export interface Started {
  child: ChildProcess
  output: () => string
  stop: () => Promise<void>
}

export function startProcess(command: string, args: string[], env: Record<string, string> = {}, cwd?: string): Started {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout?.on('data', (d: Buffer) => {
    log += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    child,
    output: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.pid === undefined) return
      process.kill(-child.pid, 'SIGINT')
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** True while any process of the group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

export async function waitFor(url: string, timeoutMs = 60_000, accept = (res: Response) => res.ok): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      if (accept(await fetch(url))) return
    } catch (err) {
      last = err
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`timed out waiting for ${url}: ${String(last)}`)
}
