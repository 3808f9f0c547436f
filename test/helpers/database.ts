/// <reference types="vite/client" />
/**
 * The test file's own database (see ./isolation.ts), migrated and optionally seeded. Worker tests can't run the Node
 * migrator, so the SQL of `migrations/*.sql` is bundled here (Vite `?raw` glob) and applied in one `client.batch`,
 * once per test file: call `migrateFileDatabase()` or `seedFileDatabase()` in a `beforeAll`, as often as you like.
 *
 *   beforeAll(seedFileDatabase)
 *   const rows = await fileDb().select().from(sysUser)
 */

import { env } from 'cloudflare:workers'
import { createClient } from '@libsql/client/web'
import { inArray } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql/web'
import { seedDatabase } from '../../src/app/seed'
import { createPasswordHasher } from '../../src/domains/auth/password'
import { sysConfig } from '../../src/plugins/config/schema'
import { fileBindings } from './isolation'

/** The password of both seeded users in tests (as in fba's test data). */
export const TEST_SEED_PASSWORD = '123456'

const migrationFiles = import.meta.glob<string>('../../migrations/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
})

/** Every statement of every migration, in migration order. */
export const MIGRATION_STATEMENTS: readonly string[] = Object.keys(migrationFiles)
  .sort()
  .flatMap((file) => (migrationFiles[file] ?? '').split('--> statement-breakpoint'))
  .map((statement) => statement.trim())
  .filter(Boolean)

const url = () => fileBindings.TURSO_DATABASE_URL as string

/** A raw libSQL client on this file's database (closed with the isolate). */
export function fileClient() {
  return createClient({ url: url() })
}

let db: ReturnType<typeof makeDb> | undefined

function makeDb() {
  return drizzle({ client: fileClient(), casing: 'snake_case' })
}

/** Drizzle (web driver, like the Worker's) on this file's database. */
export function fileDb() {
  db ??= makeDb()
  return db
}

let migrated: Promise<void> | undefined
let seeded: Promise<void> | undefined

/** Applies the migrations to this file's database (once per file; later calls wait for the first). */
export function migrateFileDatabase(): Promise<void> {
  migrated ??= (async () => {
    if (!MIGRATION_STATEMENTS.length) return
    const client = fileClient()
    try {
      await client.batch([...MIGRATION_STATEMENTS], 'write')
    } finally {
      client.close()
    }
  })().catch((err: unknown) => {
    migrated = undefined
    throw err
  })
  return migrated
}

/** The config plugin's settings groups as seeded (`seedFileDatabase` switches them off; see there). */
export async function enableSeededSettingsGroups(): Promise<void> {
  await fileDb()
    .update(sysConfig)
    .set({ value: '1' })
    .where(inArray(sysConfig.key, ['LOGIN_CONFIG_STATUS', 'USER_SECURITY_CONFIG_STATUS']))
}

/**
 * Migrates, then seeds the core data (docs/fba-compatibility.md, "Seed data"): both users with `TEST_SEED_PASSWORD`,
 * hashed with the app's `PASSWORD_PEPPER` binding so logins work. Once per file.
 */
export function seedFileDatabase(): Promise<void> {
  seeded ??= (async () => {
    await migrateFileDatabase()
    const pepper = (env as unknown as Record<string, unknown>).PASSWORD_PEPPER
    if (typeof pepper !== 'string' || !pepper)
      throw new Error('seedFileDatabase: the PASSWORD_PEPPER binding is not set')
    const hasher = createPasswordHasher({ pepper })
    await seedDatabase(fileDb(), {
      hashPassword: (plain) => hasher.hash(plain),
      adminPassword: TEST_SEED_PASSWORD,
      testPassword: TEST_SEED_PASSWORD,
    })
    // The config plugin's seeded LOGIN/USER_SECURITY rows would override the test bindings (captcha off, lock
    // thresholds…); switch both groups off so the bindings decide. config-settings.test.ts turns them back on.
    await fileDb()
      .update(sysConfig)
      .set({ value: '0' })
      .where(inArray(sysConfig.key, ['LOGIN_CONFIG_STATUS', 'USER_SECURITY_CONFIG_STATUS']))
  })().catch((err: unknown) => {
    seeded = undefined
    throw err
  })
  return seeded
}
