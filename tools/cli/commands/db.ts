/**
 * `stratum db <migrate|seed|reset>` against TURSO_DATABASE_URL (environment first, then .dev.vars):
 *   migrate  apply migrations/                                                       (npm run db:migrate)
 *   seed     insert the core seed data; idempotent                                   (npm run db:seed)
 *   reset    drop every table, migrate, seed; refused in production                  (npm run db:reset)
 *
 * Seed passwords: `STRATUM_ADMIN_PASSWORD` / `STRATUM_TEST_PASSWORD` when set; otherwise `123456` for both users,
 * but only in development and test. In production the admin password is required (never a default; at least
 * 8 characters) and the `test` user is created only when `STRATUM_TEST_PASSWORD` is set. Hashes use `PASSWORD_PEPPER`
 * — it must be the Worker's value, or nobody can log in.
 *
 * `--production` (README "Deploying"): the deployed database. Settings come from the environment only — never from
 * `.dev.vars`, whose local URL and pepper must not leak into a deployment — and ENVIRONMENT is production.
 * `db seed --production` creates the first admin: the password is `STRATUM_ADMIN_PASSWORD` or, on a terminal, asked
 * for twice without echo.
 *
 * Safety: the environment is `ENVIRONMENT` (environment, then .dev.vars). When it is not set and the database is not
 * local, the target is treated as production.
 */
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { type SeedSummary, seedDatabase } from '../../../src/app/seed'
import { isTursoHosted } from '../../../src/core/config'
import { createPasswordHasher } from '../../../src/domains/auth/password'
import { databaseTarget, dbSettings, type CliEnv as Env } from '../lib/database-target'
import { applyMigrations } from '../lib/migrate'
import { askSecret, canPrompt } from '../lib/prompt'

export const DEV_SEED_PASSWORD = '123456'
/** Shortest admin password a production seed accepts. */
export const PRODUCTION_ADMIN_PASSWORD_MIN_LENGTH = 8

/** `file:`/`:memory:` databases and loopback hosts. */
export function isLocalDatabase(url: string): boolean {
  if (url.startsWith('file:') || url === ':memory:') return true
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
    return host === 'localhost' || host === '::1' || /^127\./.test(host)
  } catch {
    return false
  }
}

export type TargetEnvironment = 'development' | 'test' | 'production'

/** The environment the target database belongs to (see the header for the rule). */
export function targetEnvironment(settings: Env, url: string): TargetEnvironment {
  const value = settings.ENVIRONMENT
  if (value === 'development' || value === 'test' || value === 'production') return value
  if (value) throw new Error(`ENVIRONMENT must be development, test or production (got ${JSON.stringify(value)})`)
  return isLocalDatabase(url) ? 'development' : 'production'
}

export interface SeedPasswords {
  adminPassword: string
  testPassword: string | undefined
}

export function seedPasswords(settings: Env, environment: TargetEnvironment): SeedPasswords {
  const admin = settings.STRATUM_ADMIN_PASSWORD || undefined
  const test = settings.STRATUM_TEST_PASSWORD || undefined
  if (environment === 'production') {
    if (!admin) {
      throw new Error(
        'refusing to seed a production database with the default password: set STRATUM_ADMIN_PASSWORD ' +
          '(and STRATUM_TEST_PASSWORD to also create the `test` user)',
      )
    }
    checkProductionPassword('STRATUM_ADMIN_PASSWORD', admin)
    if (test) checkProductionPassword('STRATUM_TEST_PASSWORD', test)
    return { adminPassword: admin, testPassword: test }
  }
  return { adminPassword: admin ?? DEV_SEED_PASSWORD, testPassword: test ?? DEV_SEED_PASSWORD }
}

function checkProductionPassword(name: string, password: string): void {
  if (password === DEV_SEED_PASSWORD) throw new Error(`${name} must not be the development password in production`)
  if (password.length < PRODUCTION_ADMIN_PASSWORD_MIN_LENGTH)
    throw new Error(`${name} must be at least ${PRODUCTION_ADMIN_PASSWORD_MIN_LENGTH} characters in production`)
}

/**
 * Settings of `--production`: the environment only (see the header), ENVIRONMENT production. Every missing key is
 * named in one error. `needs` lists the keys the command itself requires.
 */
export function productionSettings(env: Env, needs: readonly string[]): Env {
  const settings: Env = {
    ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
    ENVIRONMENT: 'production',
  }
  const missing = needs.filter((key) => !settings[key])
  const url = settings.TURSO_DATABASE_URL
  if (url && isTursoHosted(url) && !settings.TURSO_AUTH_TOKEN) missing.push('TURSO_AUTH_TOKEN')
  if (missing.length)
    throw new Error(`--production takes its settings from the environment only; missing: ${missing.join(', ')}`)
  return settings
}

/**
 * `db seed --production`: the production settings plus the first admin's password — `STRATUM_ADMIN_PASSWORD`, or
 * asked for twice through `ask` (on a terminal). No default, ever.
 */
export async function productionSeedSettings(
  env: Env,
  ask: ((question: string) => Promise<string>) | undefined,
): Promise<Env> {
  const needs = ['TURSO_DATABASE_URL', 'PASSWORD_PEPPER']
  if (!env.STRATUM_ADMIN_PASSWORD && !ask) needs.push('STRATUM_ADMIN_PASSWORD (or run it in a terminal to be asked)')
  const settings = productionSettings(env, needs)
  passwordPepper(settings)
  if (!settings.STRATUM_ADMIN_PASSWORD && ask) {
    const password = await ask('Password for the first admin (user admin): ')
    checkProductionPassword('the admin password', password)
    if ((await ask('The same password again: ')) !== password) throw new Error('the two passwords differ')
    settings.STRATUM_ADMIN_PASSWORD = password
  }
  return settings
}

export function passwordPepper(settings: Env): string {
  const pepper = settings.PASSWORD_PEPPER
  if (!pepper) {
    throw new Error(
      'PASSWORD_PEPPER is not set: `npm run dev`/`npm run emulators` write one to .dev.vars; for a deployed database ' +
        "use the Worker's secret value (hashes made with another pepper never verify)",
    )
  }
  if (pepper.length < 16) throw new Error('PASSWORD_PEPPER must be at least 16 characters')
  return pepper
}

export interface DbCommandOptions {
  settings?: Env
  log?: (line: string) => void
}

async function withDb<T>(
  url: string,
  authToken: string | undefined,
  run: (db: ReturnType<typeof drizzle>, client: ReturnType<typeof createClient>) => Promise<T>,
): Promise<T> {
  const client = createClient({ url, authToken })
  try {
    return await run(drizzle({ client, casing: 'snake_case' }), client)
  } finally {
    client.close()
  }
}

/** `stratum db seed`. */
export async function seed(options: DbCommandOptions = {}): Promise<SeedSummary> {
  const settings = options.settings ?? dbSettings()
  const log = options.log ?? console.log
  const { url, authToken } = databaseTarget(settings)
  const environment = targetEnvironment(settings, url)
  const passwords = seedPasswords(settings, environment)
  // The Worker's count (PASSWORD_HASH_ITERATIONS), so its first login does not rehash what the seed wrote.
  const iterations = settings.PASSWORD_HASH_ITERATIONS ? Number(settings.PASSWORD_HASH_ITERATIONS) : undefined
  const hasher = createPasswordHasher({ pepper: passwordPepper(settings), iterations })
  const summary = await withDb(url, authToken, (db) =>
    seedDatabase(db, { hashPassword: (plain) => hasher.hash(plain), ...passwords }),
  ).catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err)
    if (!/no such table/i.test(message)) throw err
    const migrate = environment === 'production' ? 'npm run db:migrate -- --production' : 'npm run db:migrate'
    throw new Error(`${url} has no tables yet: run \`${migrate}\` first (${message})`, { cause: err })
  })
  const inserted = Object.entries(summary.inserted).filter(([, n]) => n > 0)
  log(
    inserted.length
      ? `stratum: seeded ${url} (${environment}): ${inserted.map(([t, n]) => `${t} +${n}`).join(', ')}`
      : `stratum: ${url} (${environment}) already holds the seed data; nothing changed`,
  )
  if (inserted.some(([t]) => t === 'sys_user')) {
    const test = passwords.testPassword === DEV_SEED_PASSWORD ? `, test / ${DEV_SEED_PASSWORD}` : ''
    log(
      settings.STRATUM_ADMIN_PASSWORD
        ? `stratum: user admin created with the given password${test}`
        : `stratum: users admin / test, password ${DEV_SEED_PASSWORD}`,
    )
  } else if (environment === 'production')
    log('stratum: user admin already exists; its password is unchanged (change it in the admin UI)')
  return summary
}

/**
 * Drops every table, view and trigger (not SQLite's or libSQL's own) in one batch, children before parents, with
 * foreign-key checks deferred to the commit. Returns the dropped tables.
 */
export async function dropAllTables(client: ReturnType<typeof createClient>): Promise<string[]> {
  const objects = await client.execute(
    `select type, name from sqlite_master
      where type in ('table', 'view', 'trigger')
        and name not like 'sqlite\\_%' escape '\\' and name not like 'libsql\\_%' escape '\\'
        and name not like '\\_cf\\_%' escape '\\' and name not like '\\_litestream%' escape '\\'`,
  )
  const tables = objects.rows.filter((r) => r.type === 'table').map((r) => String(r.name))
  const others = objects.rows.filter((r) => r.type !== 'table').map((r) => [String(r.type), String(r.name)] as const)
  const fks = await client.execute(
    `select m.name as child, f."table" as parent
       from sqlite_master m join pragma_foreign_key_list(m.name) f where m.type = 'table'`,
  )
  // Topological order: a table is dropped once no remaining table references it.
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]))
  for (const row of fks.rows) {
    const child = String(row.child)
    const parent = String(row.parent)
    if (child !== parent) parents.get(child)?.add(parent)
  }
  const order: string[] = []
  const remaining = new Set(tables)
  while (remaining.size) {
    const free = [...remaining].filter((t) => ![...remaining].some((other) => parents.get(other)?.has(t)))
    const next = free.length ? free : [...remaining] // a cycle: deferred FK checks take care of it
    for (const t of next) {
      order.push(t)
      remaining.delete(t)
    }
  }
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`
  await client.batch(
    [
      'PRAGMA defer_foreign_keys = ON',
      ...others.map(([type, name]) => `DROP ${type.toUpperCase()} IF EXISTS ${quote(name)}`),
      ...order.map((t) => `DROP TABLE IF EXISTS ${quote(t)}`),
    ],
    'write',
  )
  return order
}

/** `stratum db reset`: drop everything, migrate, seed. */
export async function reset(options: DbCommandOptions = {}): Promise<SeedSummary> {
  const settings = options.settings ?? dbSettings()
  const log = options.log ?? console.log
  const { url, authToken } = databaseTarget(settings)
  const environment = targetEnvironment(settings, url)
  if (environment === 'production') {
    throw new Error(
      `refusing to reset ${url}: it is a production database` +
        (settings.ENVIRONMENT ? '' : ' (remote and ENVIRONMENT is not set; set ENVIRONMENT=development to reset it)'),
    )
  }
  // Fail on missing seed settings before anything is dropped.
  seedPasswords(settings, environment)
  passwordPepper(settings)
  const dropped = await withDb(url, authToken, (_db, client) => dropAllTables(client))
  log(`stratum: dropped ${dropped.length} table(s) from ${url}`)
  if (await applyMigrations(url, authToken)) log('stratum: migrations applied')
  return seed({ settings, log })
}

const USAGE = 'usage: stratum db <migrate [--production]|seed [--production]|reset>'

export async function db(args: readonly string[]): Promise<void> {
  const [sub, ...flags] = args
  const unknown = flags.filter((f) => f !== '--production' || sub === 'reset')
  if (unknown.length) throw new Error(`unknown option ${unknown.join(' ')}; ${USAGE}`)
  const production = flags.includes('--production')
  switch (sub) {
    case 'migrate': {
      const { url, authToken } = databaseTarget(
        production ? productionSettings(process.env, ['TURSO_DATABASE_URL']) : dbSettings(),
      )
      const applied = await applyMigrations(url, authToken)
      console.log(applied ? `stratum: migrations applied to ${url}` : 'stratum: no migrations yet')
      return
    }
    case 'seed':
      await seed(
        production ? { settings: await productionSeedSettings(process.env, canPrompt() ? askSecret : undefined) } : {},
      )
      return
    case 'reset':
      await reset()
      return
    default:
      throw new Error(USAGE)
  }
}
