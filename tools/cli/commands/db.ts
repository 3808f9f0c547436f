/** `stratum db migrate`: applies `migrations/` to TURSO_DATABASE_URL (env or .dev.vars). */
import { join } from 'node:path'
import { readDevVars } from '../lib/dev-vars'
import { applyMigrations } from '../lib/migrate'
import { PROJECT_ROOT } from '../lib/paths'

export function databaseTarget(): { url: string; authToken?: string } {
  const file = readDevVars(process.env.STRATUM_DEV_VARS ?? join(PROJECT_ROOT, '.dev.vars'))
  const url = process.env.TURSO_DATABASE_URL ?? file.TURSO_DATABASE_URL
  if (!url) throw new Error('TURSO_DATABASE_URL is not set (run `npm run emulators` or set it in the environment)')
  return { url, authToken: process.env.TURSO_AUTH_TOKEN ?? file.TURSO_AUTH_TOKEN }
}

export async function db(sub: string | undefined): Promise<void> {
  if (sub !== 'migrate') throw new Error('usage: stratum db migrate')
  const { url, authToken } = databaseTarget()
  const applied = await applyMigrations(url, authToken)
  console.log(applied ? `stratum: migrations applied to ${url}` : 'stratum: no migrations yet')
}
