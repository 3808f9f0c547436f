/**
 * `stratum gen` — the code generator from the command line (docs/codegen.md):
 *   stratum gen <table> [--app <name>] [--version v1|v2] [--dry-run] [--force]
 *                          a module from a table of the configured database (TURSO_DATABASE_URL, as `stratum db`)
 *   stratum gen --spec <file.json> [--dry-run] [--force]
 *                          a module from a business spec (fba's business fields plus `columns`)
 * Prints every path it writes; refuses to overwrite existing files unless `--force`; `--dry-run` only lists them.
 * Writing registers the module in src/app/domains.ts and runs drizzle-kit for its migration.
 */
import { readFileSync } from 'node:fs'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { tableColumns } from '../../../src/plugins/code_generator/catalogue'
import { defaultAppName, specFromTable } from '../../../src/plugins/code_generator/core/from-table'
import { generateModule } from '../../../src/plugins/code_generator/core/generate'
import { type GenBusinessSpec, GenBusinessSpecSchema } from '../../../src/plugins/code_generator/core/spec'
import { existingPaths, writablePaths, writeModule } from '../lib/codegen-writer'
import { type CliEnv, databaseTarget, dbSettings } from '../lib/database-target'
import { PROJECT_ROOT } from '../lib/paths'

const USAGE =
  'usage: stratum gen <table> [--app <name>] [--version v1|v2] [--dry-run] [--force] | stratum gen --spec <file.json> [--dry-run] [--force]'

export interface GenOptions {
  table?: string
  spec?: string
  app?: string
  version?: 'v1' | 'v2'
  dryRun: boolean
  force: boolean
}

export function parseGenArgs(args: readonly string[]): GenOptions {
  const options: GenOptions = { dryRun: false, force: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    const value = () => {
      const next = args[++i]
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value; ${USAGE}`)
      return next
    }
    if (arg === '--dry-run') options.dryRun = true
    else if (arg === '--force') options.force = true
    else if (arg === '--spec') options.spec = value()
    else if (arg === '--app') options.app = value()
    else if (arg === '--version') {
      const version = value()
      if (version !== 'v1' && version !== 'v2') throw new Error(`--version must be v1 or v2; ${USAGE}`)
      options.version = version
    } else if (!arg.startsWith('--') && options.table === undefined) options.table = arg
    else throw new Error(`unexpected ${arg}; ${USAGE}`)
  }
  if (!options.table === !options.spec) throw new Error(USAGE)
  return options
}

/** The spec of a `--spec` file, with every problem named. */
export function readSpecFile(path: string): GenBusinessSpec {
  const parsed = GenBusinessSpecSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success)
    throw new Error(
      `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`,
    )
  return parsed.data
}

/** The spec of a table of the configured database. */
export async function specOfTable(table: string, options: GenOptions, env?: CliEnv): Promise<GenBusinessSpec> {
  // The database `stratum db` works on.
  const { url, authToken } = databaseTarget(dbSettings(env))
  const client = createClient({ url, authToken })
  try {
    const columns = await tableColumns(drizzle({ client }), table)
    if (!columns) throw new Error(`${url} has no table ${table} (internal and gen_* tables are not generated)`)
    const app = options.app ?? defaultAppName(table)
    return GenBusinessSpecSchema.parse(specFromTable(app, table, columns, { apiVersion: options.version ?? 'v1' }))
  } finally {
    client.close()
  }
}

export interface GenRunOptions {
  root?: string
  log?: (line: string) => void
  /** Environment to read the database from (default: process.env, then .dev.vars). */
  env?: CliEnv
  /** Run drizzle-kit (default true). */
  migrate?: boolean
}

export async function gen(args: readonly string[], run: GenRunOptions = {}): Promise<string[]> {
  const root = run.root ?? PROJECT_ROOT
  const log = run.log ?? console.log
  const options = parseGenArgs(args)
  let spec = options.spec ? readSpecFile(options.spec) : await specOfTable(options.table ?? '', options, run.env)
  if (options.spec && options.version) spec = { ...spec, api_version: options.version }
  const module = { ...generateModule(spec), table: spec.table_name }
  if (options.dryRun) {
    const existing = new Set(existingPaths(module, root))
    for (const path of writablePaths(module))
      log(`stratum: would write ${path}${existing.has(path) ? ' (exists)' : ''}`)
    log(`stratum: would register ${module.registration.entry.trim().replace(/,$/, '')} and generate a migration`)
    return []
  }
  const result = writeModule(module, { root, force: options.force, migrate: run.migrate ?? true, log })
  if (result.existing)
    throw new Error(`refusing to overwrite ${result.existing.join(', ')} (use --force to overwrite them)`)
  return result.written
}
