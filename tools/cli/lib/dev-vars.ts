/**
 * `.dev.vars` handling for `stratum dev`: the file wrangler reads for local secrets. Keys the local stack manages
 * are rewritten on every start; keys a developer added by hand are kept; any known config key set in the
 * environment of `npm run dev` wins over both, so a one-off setting needs no file edit.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { parseEnvFile } from '../../../src/core/env-file'

export type Vars = Record<string, string>

/** The one `.dev.vars` parser, shared with the Node, Bun and Deno hosts (src/core/env-file.ts). */
export const parseDevVars = parseEnvFile

/**
 * Plain when safe; single quotes otherwise (dotenv, which wrangler uses, takes them literally); double quotes only
 * when the value has a single quote (dotenv does not unescape `\"`).
 */
const quote = (value: string) => {
  if (/^[\w./:@+-]*$/.test(value)) return value
  return value.includes("'") ? `"${value}"` : `'${value}'`
}

export function formatDevVars(vars: Vars, header: string): string {
  const lines = Object.entries(vars).map(([k, v]) => `${k}=${quote(v)}`)
  return `${header
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n')}\n${lines.join('\n')}\n`
}

/** Existing file < managed (emulator) values < environment overrides for `knownKeys`. */
export function mergeDevVars(
  existing: Vars,
  managed: Vars,
  env: NodeJS.ProcessEnv,
  knownKeys: readonly string[],
): Vars {
  const merged: Vars = { ...existing, ...managed }
  for (const key of knownKeys) {
    const value = env[key]
    if (value !== undefined) merged[key] = value
  }
  return merged
}

/**
 * `SETTINGS_FROM_ENV` for one run (core/config.ts): the login and user-security keys set in the environment of
 * `npm run dev`, plus any it names itself. So `LOGIN_CAPTCHA_ENABLED=false npm run dev` beats the seeded `config` row
 * for that run only: the next run without it names nothing, although `.dev.vars` keeps the value.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv, settingKeys: readonly string[]): string {
  const named = (env.SETTINGS_FROM_ENV ?? '').split(',').map((k) => k.trim())
  const set = settingKeys.filter((key) => env[key] !== undefined)
  return [...new Set([...named, ...set])].filter(Boolean).join(',')
}

export function readDevVars(path: string): Vars {
  return existsSync(path) ? parseDevVars(readFileSync(path, 'utf8')) : {}
}

export function writeDevVars(path: string, vars: Vars): void {
  writeFileSync(
    path,
    formatDevVars(
      vars,
      'Written by `stratum dev` (npm run dev). Emulator endpoints are rewritten on each start;\nkeys you add are kept. Environment variables override values here. Do not commit.',
    ),
    { mode: 0o600 },
  )
}
