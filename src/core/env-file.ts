/**
 * `.dev.vars`-style files (`KEY=value` lines, `#` comments, optional matching quotes): what wrangler reads for local
 * secrets, and what the Node, Bun and Deno hosts read beside the process environment (docs/hosts.md). One parser, so
 * `stratum dev` (tools/cli/lib/dev-vars.ts) and every host read a file the same way.
 */
export type EnvVars = Record<string, string>

export function parseEnvFile(text: string): EnvVars {
  const vars: EnvVars = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    const key = line.slice(0, eq).trim()
    let value = line.slice(eq + 1).trim()
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]))
      value = value.slice(1, -1)
    vars[key] = value
  }
  return vars
}
