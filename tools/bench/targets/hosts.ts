/**
 * The Node, Bun and Deno hosts (src/hosts/, docs/hosts.md) as bench targets, each with bare Hono on the same host
 * as its ceiling (./bare-hono.host.ts). Started the way `npm run start:<host>` starts them (tools/hosts/runtimes.ts),
 * with the bench's vars in the environment and an empty env file (a developer's `.dev.vars` must not leak in), cron
 * timers off (nothing but the measured requests runs).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../../cli/lib/paths'
import { type HostName, hostCommand, runtimeBinary } from '../../hosts/runtimes'
import { type BenchTarget, commandTarget, freePort } from '../lib/targets'

/** `BENCH_HOSTS` (default `node,bun,deno`; empty: workerd only). */
export function benchHosts(): HostName[] {
  const names = (process.env.BENCH_HOSTS ?? 'node,bun,deno').split(',').map((s) => s.trim())
  return names.filter((n): n is HostName => n === 'node' || n === 'bun' || n === 'deno')
}

/** The app on `name`. */
export function hostApp(name: HostName): BenchTarget {
  return {
    name,
    async start({ vars, workDir }) {
      const port = await freePort()
      const envFile = join(workDir, `${name}.vars`)
      writeFileSync(envFile, '')
      const { command, args } = hostCommand(name, ['--env-file', envFile])
      const env = { ...vars, PORT: String(port), HOST: '127.0.0.1', STRATUM_CRON: 'off' }
      return commandTarget(port, command, args, env, PROJECT_ROOT)
    },
  }
}

/** Bare Hono on `name`'s own server: that host's ceiling. */
export function hostBareHono(name: HostName): BenchTarget {
  const entry = join(PROJECT_ROOT, 'tools/bench/targets/bare-hono.host.ts')
  return {
    name: `bare Hono (${name})`,
    async start() {
      const port = await freePort()
      const [command, args] =
        name === 'node'
          ? [process.execPath, ['--import', 'tsx', entry]]
          : name === 'bun'
            ? [runtimeBinary('bun'), [entry]]
            : [runtimeBinary('deno'), ['run', '-A', entry]]
      return commandTarget(port, command, args, { PORT: String(port) }, PROJECT_ROOT)
    },
  }
}
