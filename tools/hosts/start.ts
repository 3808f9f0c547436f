/**
 * `npm run start:bun` / `npm run start:deno` (docs/hosts.md): the host's entry under Bun or Deno, installed from npm
 * into `~/.cache/stratum/` when missing. Arguments after `--` reach the entry (e.g. `--env-file .env`).
 */
import { spawn } from 'node:child_process'
import { type HostName, hostCommand } from './runtimes'

const name = process.argv[2] as HostName
if (name !== 'node' && name !== 'bun' && name !== 'deno') {
  console.error('usage: tsx tools/hosts/start.ts node|bun|deno [-- entry arguments]')
  process.exit(2)
}
const { command, args } = hostCommand(name, process.argv.slice(3))
const child = spawn(command, args, { stdio: 'inherit' })
// The host handles SIGINT/SIGTERM itself (drains background work); pass them on and exit with its code.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
