/**
 * Applies drizzle-kit migrations from `migrations/` to a libSQL database (local emulator or real Turso) — the same
 * migrator `drizzle-kit migrate` uses, called in-process so `stratum dev` needs no extra child process.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { MIGRATIONS_DIR } from './paths'

/** Returns false when the project has no migrations yet. */
export async function applyMigrations(url: string, authToken?: string, folder = MIGRATIONS_DIR): Promise<boolean> {
  if (!existsSync(join(folder, 'meta', '_journal.json'))) return false
  const client = createClient({ url, authToken: authToken || undefined })
  try {
    await migrate(drizzle({ client }), { migrationsFolder: folder })
    return true
  } finally {
    client.close()
  }
}
