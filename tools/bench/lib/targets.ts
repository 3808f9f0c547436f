/**
 * Where a host benchmark's app runs: a **target** is a command that serves a fetch handler on a port
 * (tools/bench/host.ts measures every target it is given the same way). Targets here: `workerd` (the Worker bundle,
 * tools/bench/targets/workerd.ts) and `bare-hono-workerd` (the ceiling); issue 18 adds Node, Bun and Deno the same way.
 */
import { type ChildProcess, spawn } from 'node:child_process'

/** What a target is started with. */
export interface TargetContext {
  /** The app's variables and secrets, as `.dev.vars` gives them in development (emulator endpoints included). */
  vars: Record<string, string>
  /** A folder of its own for build output and config (removed after the run). */
  workDir: string
}

export interface RunningTarget {
  /** `http://127.0.0.1:<port>`. */
  url: string
  /** The process to charge CPU to (`/proc/<pid>/stat`): the one that runs the app's JavaScript. */
  pid: number
  stop(): Promise<void>
}

export interface BenchTarget {
  /** Shown in the report: `workerd`, `node`, `bun`… */
  name: string
  /** Builds what it needs and starts serving; resolves once the port answers HTTP. */
  start(ctx: TargetContext): Promise<RunningTarget>
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the target to take). */
export { freePort } from '../../emulators/shared/http'

/** Polls `url` until it answers (any status) or `timeoutMs` passes. */
export async function waitUntilServing(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`target exited with ${child.exitCode} before serving ${url}`)
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`target did not serve ${url} within ${timeoutMs} ms`)
}

/**
 * The usual target: spawn `command` with `args` (and extra environment), which must serve on `port`; stopped with
 * SIGTERM. Its output goes to the bench's stderr, so a failing start shows why.
 */
export async function commandTarget(
  port: number,
  command: string,
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<RunningTarget> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'inherit', 'inherit'] })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitUntilServing(url, child)
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  if (child.pid === undefined) throw new Error(`${command} has no pid`)
  return {
    url,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}
