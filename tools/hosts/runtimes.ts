/**
 * The Bun and Deno executables for the non-Workers hosts (docs/hosts.md): the one on PATH, else the npm package's
 * (`bun`, `deno`) installed under `~/.cache/stratum/<name>` — as `.ci/run` installs Node 22 — and installed there on
 * first use (about 5 s each from the npm registry). How each host's entry is started lives here too, so the smoke
 * suite (test/e2e/hosts.test.ts) and `npm run start:<host>` run the same command.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { HostName } from '../../src/hosts/host-name'

export type { HostName }

/** Versions installed when missing (pinned, like every dependency). */
const PACKAGES = { bun: 'bun@1.4.5', deno: 'deno@2.9.6' } as const

const cacheDir = (name: string) => join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'stratum', name)

const onPath = (name: string): string | undefined => {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() || undefined : undefined
}

/** The executable of `name`: on PATH, in the cache, or installed into the cache now. */
export function runtimeBinary(name: 'bun' | 'deno'): string {
  const cached = join(cacheDir(name), 'node_modules', '.bin', name)
  const found = onPath(name) ?? (existsSync(cached) ? cached : undefined)
  if (found) return found
  mkdirSync(cacheDir(name), { recursive: true })
  console.log(`stratum: installing ${PACKAGES[name]} from the npm registry into ${cacheDir(name)}`)
  execFileSync('npm', ['install', '--prefix', cacheDir(name), '--no-save', '--no-audit', '--no-fund', PACKAGES[name]], {
    stdio: 'ignore',
  })
  return cached
}

/** The command starting a host's entry (src/hosts/<name>.ts) from the project root; `args` follow the entry. */
export function hostCommand(name: HostName, args: string[] = []): { command: string; args: string[] } {
  switch (name) {
    case 'node':
      return { command: process.execPath, args: ['--import', 'tsx', 'src/hosts/node.ts', ...args] }
    case 'bun':
      return { command: runtimeBinary('bun'), args: ['src/hosts/bun.ts', ...args] }
    case 'deno':
      return {
        command: runtimeBinary('deno'),
        // Extensionless imports (`--sloppy-imports`) and hono/jsx (deno.json), as tsconfig.json has them; a request's
        // signal aborts only when its client goes away, not after every response (Deno's legacy behaviour would also
        // abort `waitUntil` work that passes it on).
        args: [
          'run',
          '-A',
          '--sloppy-imports',
          '--unstable-no-legacy-abort',
          '--config',
          'src/hosts/deno.json',
          'src/hosts/deno.ts',
          ...args,
        ],
      }
  }
}
