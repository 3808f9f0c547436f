/**
 * The database the CLI works on (`stratum db`, `stratum gen <table>`): TURSO_DATABASE_URL and TURSO_AUTH_TOKEN from the
 * environment first, then `.dev.vars`. Kept apart from commands/db.ts, which loads the app for seeding, so a command
 * that only reads the database does not load it.
 */
import { join } from 'node:path'
import { readDevVars } from './dev-vars'
import { PROJECT_ROOT } from './paths'

export type CliEnv = Record<string, string | undefined>

/** Settings for the db commands: the process environment wins over `.dev.vars` (`STRATUM_DEV_VARS` names another). */
export function dbSettings(env: CliEnv = process.env): CliEnv {
  const file = readDevVars(env.STRATUM_DEV_VARS ?? join(PROJECT_ROOT, '.dev.vars'))
  return { ...file, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) }
}

export function databaseTarget(settings: CliEnv = dbSettings()): { url: string; authToken?: string } {
  const url = settings.TURSO_DATABASE_URL
  if (!url) throw new Error('TURSO_DATABASE_URL is not set (run `npm run emulators` or set it in the environment)')
  return { url, authToken: settings.TURSO_AUTH_TOKEN || undefined }
}
