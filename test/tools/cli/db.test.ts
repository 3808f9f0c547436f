/**
 * `stratum db migrate|seed|reset` against the libSQL emulator, from Node with the official client: the migrations
 * apply through drizzle's libsql migrator (`applyMigrations`), seeding is idempotent and guarded in production, and
 * reset rebuilds the database from scratch.
 */
import { execFile, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createClient } from '@libsql/client'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createPasswordHasher } from '../../../src/domains/auth/password'
import {
  dropAllTables,
  isLocalDatabase,
  productionSeedSettings,
  reset,
  seed,
  seedPasswords,
  targetEnvironment,
} from '../../../tools/cli/commands/db'
import { specOfTable } from '../../../tools/cli/commands/gen'
import { databaseTarget, dbSettings } from '../../../tools/cli/lib/database-target'
import { applyMigrations } from '../../../tools/cli/lib/migrate'
import { MIGRATIONS_DIR } from '../../../tools/cli/lib/paths'

const base = inject('workerBindings').TEST_LIBSQL_URL as string
const PEPPER = 'cli-test-pepper-0123456789'
const clients: { close(): void }[] = []

afterAll(() => {
  for (const c of clients) c.close()
})

function freshUrl(): string {
  return `${base}/cli_${randomUUID().replaceAll('-', '').slice(0, 12)}/`
}

function client(url: string) {
  const c = createClient({ url })
  clients.push(c)
  return c
}

async function tables(url: string): Promise<string[]> {
  const rs = await client(url).execute(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  )
  return rs.rows.map((r) => String(r.name))
}

async function scalar(url: string, sql: string): Promise<unknown> {
  const rs = await client(url).execute(sql)
  return rs.rows[0]?.[0]
}

const settings = (url: string, extra: Record<string, string> = {}) => ({
  TURSO_DATABASE_URL: url,
  ENVIRONMENT: 'development',
  PASSWORD_PEPPER: PEPPER,
  ...extra,
})

const quiet = { log: () => {} }

describe('applyMigrations (drizzle libsql migrator)', () => {
  it('creates every table on an empty database and records the migration; a second run is a no-op', async () => {
    const url = freshUrl()
    expect(await applyMigrations(url)).toBe(true)
    const created = await tables(url)
    expect(created).toContain('__drizzle_migrations')
    // 13 core tables + the built-in plugins' (config, dict ×2, notice, OAuth2's user_social) + plugin state
    expect(created.filter((t) => t.startsWith('sys_'))).toHaveLength(19)
    const applied = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length
    expect(await scalar(url, 'select count(*) from __drizzle_migrations')).toBe(applied)
    expect(await applyMigrations(url)).toBe(true)
    expect(await scalar(url, 'select count(*) from __drizzle_migrations')).toBe(applied)
  })
})

describe('stratum db seed', () => {
  it('seeds both users with 123456 in development, idempotently', async () => {
    const url = freshUrl()
    await applyMigrations(url)
    const first = await seed({ settings: settings(url), ...quiet })
    // fba's 50 core menus and the 18 buttons modules place by name (test/app/seed.test.ts counts them).
    expect(first.inserted.sys_menu).toBe(68)
    expect(first.inserted.sys_user).toBe(2)
    const again = await seed({ settings: settings(url), ...quiet })
    expect(Object.values(again.inserted).every((n) => n === 0)).toBe(true)
    const hasher = createPasswordHasher({ pepper: PEPPER })
    const rs = await client(url).execute('select username, password from sys_user order by id')
    expect(rs.rows.map((r) => r.username)).toEqual(['admin', 'test'])
    for (const row of rs.rows) expect((await hasher.verify('123456', String(row.password))).ok).toBe(true)
  })

  it('in production: refuses without STRATUM_ADMIN_PASSWORD; with it seeds only admin', async () => {
    const url = freshUrl()
    await applyMigrations(url)
    await expect(seed({ settings: settings(url, { ENVIRONMENT: 'production' }), ...quiet })).rejects.toThrow(
      /STRATUM_ADMIN_PASSWORD/,
    )
    expect(await scalar(url, 'select count(*) from sys_user')).toBe(0)
    const summary = await seed({
      settings: settings(url, { ENVIRONMENT: 'production', STRATUM_ADMIN_PASSWORD: 'Str0ng-admin!' }),
      ...quiet,
    })
    expect(summary.inserted.sys_user).toBe(1)
    const hash = String(await scalar(url, "select password from sys_user where username = 'admin'"))
    const hasher = createPasswordHasher({ pepper: PEPPER })
    expect((await hasher.verify('Str0ng-admin!', hash)).ok).toBe(true)
    expect((await hasher.verify('123456', hash)).ok).toBe(false)
  })

  it('needs PASSWORD_PEPPER', async () => {
    const url = freshUrl()
    await expect(seed({ settings: { TURSO_DATABASE_URL: url, ENVIRONMENT: 'test' }, ...quiet })).rejects.toThrow(
      /PASSWORD_PEPPER/,
    )
  })
})

describe('stratum db reset', () => {
  it('drops everything (including stray tables), migrates and seeds', async () => {
    const url = freshUrl()
    await applyMigrations(url)
    await seed({ settings: settings(url), ...quiet })
    const c = client(url)
    await c.batch(
      [
        "update sys_user set nickname = 'changed' where id = 1",
        'create table stray (id integer primary key, user_id integer references sys_user(id))',
        'insert into stray (user_id) values (1)',
        'create view stray_view as select id from stray',
      ],
      'write',
    )
    const lines: string[] = []
    const summary = await reset({ settings: settings(url), log: (l) => lines.push(l) })
    expect(summary.inserted.sys_user).toBe(2)
    expect(await tables(url)).not.toContain('stray')
    expect(await scalar(url, "select count(*) from sqlite_master where name = 'stray_view'")).toBe(0)
    expect(await scalar(url, 'select nickname from sys_user where id = 1')).toBe('用户88888')
    expect(await scalar(url, 'select count(*) from sys_menu where id <= 50')).toBe(50)
    expect(lines.join('\n')).toMatch(/dropped \d+ table/)
  })

  it('refuses production, and a remote database without ENVIRONMENT — before touching anything', async () => {
    const url = freshUrl()
    await applyMigrations(url)
    await expect(reset({ settings: settings(url, { ENVIRONMENT: 'production' }), ...quiet })).rejects.toThrow(
      /refusing to reset/,
    )
    expect(await tables(url)).toContain('sys_user')
    await expect(
      reset({ settings: { TURSO_DATABASE_URL: 'libsql://db.example.turso.io', PASSWORD_PEPPER: PEPPER }, ...quiet }),
    ).rejects.toThrow(/ENVIRONMENT is not set/)
  })

  it('checks the seed settings before dropping', async () => {
    const url = freshUrl()
    await applyMigrations(url)
    await expect(
      reset({ settings: { TURSO_DATABASE_URL: url, ENVIRONMENT: 'development' }, ...quiet }),
    ).rejects.toThrow(/PASSWORD_PEPPER/)
    expect(await tables(url)).toContain('sys_user')
  })

  it('dropAllTables handles an empty database', async () => {
    expect(await dropAllTables(client(freshUrl()))).toEqual([])
  })
})

describe('settings', () => {
  it('treats loopback and file databases as local', () => {
    expect(isLocalDatabase('http://127.0.0.1:8081/db/')).toBe(true)
    expect(isLocalDatabase('http://localhost:8080')).toBe(true)
    expect(isLocalDatabase('http://[::1]:8080')).toBe(true)
    expect(isLocalDatabase('file:local.db')).toBe(true)
    expect(isLocalDatabase('libsql://db-org.turso.io')).toBe(false)
  })

  it('reach the database from the environment over .dev.vars, for `stratum db` and `stratum gen <table>` alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratum-target-'))
    try {
      const url = freshUrl()
      await client(url).execute('create table shop_item (id integer primary key, name text not null)')
      const file = join(dir, '.dev.vars')
      writeFileSync(file, `TURSO_DATABASE_URL=${url}\nTURSO_AUTH_TOKEN=file-token\n`)
      const fromFile = { STRATUM_DEV_VARS: file }
      expect(databaseTarget(dbSettings(fromFile))).toEqual({ url, authToken: 'file-token' })
      const overridden = { ...fromFile, TURSO_DATABASE_URL: 'http://127.0.0.1:1/env/' }
      expect(databaseTarget(dbSettings(overridden))).toEqual({
        url: 'http://127.0.0.1:1/env/',
        authToken: 'file-token',
      })
      const spec = await specOfTable('shop_item', { dryRun: true, force: false }, fromFile)
      expect(spec.table_name).toBe('shop_item')
      const nowhere = { STRATUM_DEV_VARS: join(dir, 'none.vars') }
      expect(() => databaseTarget(dbSettings(nowhere))).toThrow(/^TURSO_DATABASE_URL is not set/)
      await expect(specOfTable('shop_item', { dryRun: true, force: false }, nowhere)).rejects.toThrow(
        /^TURSO_DATABASE_URL is not set/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('defaults the environment to development locally and production remotely', () => {
    expect(targetEnvironment({}, 'http://127.0.0.1:1/')).toBe('development')
    expect(targetEnvironment({}, 'libsql://x.turso.io')).toBe('production')
    expect(targetEnvironment({ ENVIRONMENT: 'test' }, 'libsql://x.turso.io')).toBe('test')
    expect(() => targetEnvironment({ ENVIRONMENT: 'prod' }, 'http://127.0.0.1:1/')).toThrow(/ENVIRONMENT/)
  })

  it('chooses seed passwords per environment', () => {
    expect(seedPasswords({}, 'development')).toEqual({ adminPassword: '123456', testPassword: '123456' })
    expect(seedPasswords({ STRATUM_ADMIN_PASSWORD: 'a' }, 'test')).toEqual({
      adminPassword: 'a',
      testPassword: '123456',
    })
    expect(seedPasswords({ STRATUM_ADMIN_PASSWORD: 'Str0ng-admin!' }, 'production')).toEqual({
      adminPassword: 'Str0ng-admin!',
      testPassword: undefined,
    })
    expect(() => seedPasswords({}, 'production')).toThrow(/STRATUM_ADMIN_PASSWORD/)
  })

  it('never takes the development password, nor a short one, in production', () => {
    expect(() => seedPasswords({ STRATUM_ADMIN_PASSWORD: '123456' }, 'production')).toThrow(/development password/)
    expect(() => seedPasswords({ STRATUM_ADMIN_PASSWORD: 'short' }, 'production')).toThrow(/at least 8/)
    expect(() =>
      seedPasswords({ STRATUM_ADMIN_PASSWORD: 'Str0ng-admin!', STRATUM_TEST_PASSWORD: '123456' }, 'production'),
    ).toThrow(/STRATUM_TEST_PASSWORD/)
  })
})

describe('stratum db seed --production (the first admin of a deployment)', () => {
  const answers = (...values: string[]) => {
    const questions: string[] = []
    const ask = async (question: string) => {
      questions.push(question)
      return values.shift() ?? ''
    }
    return { ask, questions }
  }

  it('names every missing setting in one error; a Turso-hosted database also needs its token', async () => {
    await expect(productionSeedSettings({}, undefined)).rejects.toThrow(
      /environment only; missing: TURSO_DATABASE_URL, PASSWORD_PEPPER, STRATUM_ADMIN_PASSWORD \(or run it in a terminal/,
    )
    await expect(
      productionSeedSettings({ TURSO_DATABASE_URL: 'libsql://db-org.turso.io', PASSWORD_PEPPER: PEPPER }, undefined),
    ).rejects.toThrow(/missing: STRATUM_ADMIN_PASSWORD .*, TURSO_AUTH_TOKEN$/)
  })

  it('asks for the password twice on a terminal; no default, no mismatch, no short password', async () => {
    const env = { TURSO_DATABASE_URL: 'http://127.0.0.1:1/', PASSWORD_PEPPER: PEPPER, ENVIRONMENT: 'development' }
    const asked = answers('Str0ng-admin!', 'Str0ng-admin!')
    const settings = await productionSeedSettings(env, asked.ask)
    expect(settings).toMatchObject({ ENVIRONMENT: 'production', STRATUM_ADMIN_PASSWORD: 'Str0ng-admin!' })
    expect(asked.questions).toHaveLength(2)
    await expect(productionSeedSettings(env, answers('Str0ng-admin!', 'other-one').ask)).rejects.toThrow(/differ/)
    await expect(productionSeedSettings(env, answers('', '').ask)).rejects.toThrow(/at least 8/)
    await expect(productionSeedSettings(env, answers('123456', '123456').ask)).rejects.toThrow(/development password/)
    // A password in the environment is not asked for.
    const quietly = answers()
    await productionSeedSettings({ ...env, STRATUM_ADMIN_PASSWORD: 'Str0ng-admin!' }, quietly.ask)
    expect(quietly.questions).toEqual([])
  })

  const dir = mkdtempSync(join(tmpdir(), 'stratum-seed-prod-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  // A developer's .dev.vars pointing elsewhere: --production must not read it.
  const devVars = join(dir, '.dev.vars')
  writeFileSync(devVars, `TURSO_DATABASE_URL=${freshUrl()}\nPASSWORD_PEPPER=dev-vars-pepper-0123456789\n`)
  const cli = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'tools/cli/stratum.ts', 'db', 'seed', '--production'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STRATUM_DEV_VARS: devVars, ENVIRONMENT: 'development', ...env },
    })

  it('creates only the admin, with the password from STRATUM_ADMIN_PASSWORD and the environment only', async () => {
    const url = freshUrl()
    await applyMigrations(url)
    const run = cli({ TURSO_DATABASE_URL: url, PASSWORD_PEPPER: PEPPER, STRATUM_ADMIN_PASSWORD: 'Str0ng-admin!' })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/\(production\).*sys_user \+1/)
    expect(run.stdout).toMatch(/user admin created with the given password\n/)
    expect(`${run.stdout}${run.stderr}`).not.toContain('Str0ng-admin!')
    const rs = await client(url).execute('select username, password from sys_user')
    expect(rs.rows.map((r) => r.username)).toEqual(['admin'])
    const hasher = createPasswordHasher({ pepper: PEPPER })
    expect((await hasher.verify('Str0ng-admin!', String(rs.rows[0]?.password))).ok).toBe(true)
    // Again: nothing changes, and it says so.
    const again = cli({ TURSO_DATABASE_URL: url, PASSWORD_PEPPER: PEPPER, STRATUM_ADMIN_PASSWORD: 'An0ther-one!' })
    expect(again.status, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/admin already exists; its password is unchanged/)
  })

  it('without a password and no terminal: exits 1 naming what to set, and writes nothing', async () => {
    const url = freshUrl()
    await applyMigrations(url)
    const run = cli({ TURSO_DATABASE_URL: url, PASSWORD_PEPPER: PEPPER })
    expect(run.status).toBe(1)
    expect(run.stderr.trim()).toBe(
      'stratum: --production takes its settings from the environment only; missing: STRATUM_ADMIN_PASSWORD (or run it in a terminal to be asked)',
    )
    expect(await scalar(url, 'select count(*) from sys_user')).toBe(0)
  })

  it('on an unmigrated database says to migrate first', async () => {
    const run = cli({
      TURSO_DATABASE_URL: freshUrl(),
      PASSWORD_PEPPER: PEPPER,
      STRATUM_ADMIN_PASSWORD: 'Str0ng-admin!',
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/has no tables yet: run `npm run db:migrate -- --production` first/)
  })
})

describe('the CLI', () => {
  it('`stratum db seed` runs end to end', async () => {
    const url = freshUrl()
    await applyMigrations(url)
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'tools/cli/stratum.ts', 'db', 'seed'],
      {
        env: {
          ...process.env,
          ...settings(url),
          STRATUM_DEV_VARS: '/nonexistent/.dev.vars',
        },
      },
    )
    expect(stdout).toMatch(/seeded .* sys_menu \+68/)
    expect(await scalar(url, 'select count(*) from sys_user')).toBe(2)
  })
})
