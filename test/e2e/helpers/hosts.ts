/**
 * The Node, Bun and Deno hosts (src/hosts/) as child processes for the smoke suite: started with the env file
 * `npm run dev` wrote (the same emulators), on a free port whose URL is also their `PUBLIC_URL`, so QStash delivers
 * their tasks to them.
 */
import { spawn } from 'node:child_process'
import { freePort } from '../../../tools/emulators/shared/http'
import { type HostName, hostCommand } from '../../../tools/hosts/runtimes'
import { type Started, startProcess, waitFor } from './processes'

export interface RunningHost extends Started {
  name: HostName
  url: string
}

export async function startHost(name: HostName, envFile: string): Promise<RunningHost> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const { command, args } = hostCommand(name, ['--env-file', envFile])
  const proc = startProcess(command, args, { PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url })
  try {
    await waitFor(`${url}/api/v1/health/ping`, 90_000)
  } catch (err) {
    await proc.stop()
    throw new Error(`the ${name} host did not start: ${String(err)}\n${proc.output()}`)
  }
  return { name, url, ...proc }
}

/** Runs a host to its exit with `env` (a start that must fail): its exit code and what it printed. */
export function runHostToExit(
  name: HostName,
  envFile: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const { command, args } = hostCommand(name, ['--env-file', envFile])
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString()
  })
  // A host that starts after all is stopped: the caller's assertion on the exit code then fails.
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    }),
  )
}
