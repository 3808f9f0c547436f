/**
 * libSQL emulator under drizzle: `drizzle-orm/libsql` (Node, HTTP URL) and `drizzle-kit migrate` (dialect turso).
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type Client, createClient } from '@libsql/client'
import { eq, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql'
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningLibsqlEmulator, startLibsqlEmulator } from '../../../tools/emulators/libsql/index.js'

const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }),
})

let emu: RunningLibsqlEmulator
let client: Client
let tmp: string

beforeAll(async () => {
  emu = await startLibsqlEmulator({ port: 0, memory: true })
  client = createClient({ url: emu.databaseUrl('drizzle') })
  tmp = await mkdtemp(join(tmpdir(), 'libsql-drizzle-'))
  await client.execute(
    'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name TEXT, created_at INTEGER)',
  )
})

afterAll(async () => {
  client.close()
  await emu.close()
  await rm(tmp, { recursive: true, force: true })
})

describe('drizzle-orm/libsql', () => {
  it('inserts, selects and updates', async () => {
    const db = drizzle(client)
    const when = new Date('2026-01-02T03:04:05.678Z')
    const [created] = await db.insert(users).values({ email: 'a@x', name: 'A', createdAt: when }).returning()
    expect(created).toEqual({ id: 1, email: 'a@x', name: 'A', createdAt: when })
    await db.update(users).set({ name: 'A2' }).where(eq(users.id, 1))
    const rows = await db.select().from(users).where(eq(users.email, 'a@x'))
    expect(rows).toEqual([{ id: 1, email: 'a@x', name: 'A2', createdAt: when }])
    const [{ n }] = (await db.select({ n: sql<number>`count(*)` }).from(users)) as [{ n: number }]
    expect(n).toBe(1)
  })

  it('runs db.batch in one round trip and rolls it back on failure', async () => {
    const db = drizzle(client)
    await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' })
    const [inserted, all] = await db.batch([
      db.insert(users).values({ email: 'b@x' }).returning({ id: users.id }),
      db.select().from(users),
    ])
    expect(inserted).toHaveLength(1)
    expect(all).toHaveLength(2)
    const stats = (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as {
      databases: Record<string, { pipelines: number }>
    }
    expect(stats.databases.drizzle!.pipelines).toBe(1)

    await expect(
      db.batch([db.insert(users).values({ email: 'c@x' }), db.insert(users).values({ email: 'a@x' })]),
    ).rejects.toThrow(/UNIQUE/)
    expect(await db.select().from(users).where(eq(users.email, 'c@x'))).toEqual([])
  })

  it('commits and rolls back transactions', async () => {
    const db = drizzle(client)
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ email: 'tx@x' })
      await tx.update(users).set({ name: 'in tx' }).where(eq(users.email, 'tx@x'))
    })
    expect((await db.select().from(users).where(eq(users.email, 'tx@x')))[0]!.name).toBe('in tx')

    await expect(
      db.transaction(async (tx) => {
        await tx.insert(users).values({ email: 'gone@x' })
        tx.rollback()
      }),
    ).rejects.toThrow(/Rollback/)
    expect(await db.select().from(users).where(eq(users.email, 'gone@x'))).toEqual([])
  })
})

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

describe('drizzle-kit migrate', () => {
  it('applies a hand-written migration (dialect turso) once', async () => {
    const out = join(tmp, 'migrations')
    await mkdir(join(out, 'meta'), { recursive: true })
    await writeFile(
      join(out, '0000_init.sql'),
      [
        'CREATE TABLE `orgs` (`id` integer PRIMARY KEY NOT NULL, `name` text NOT NULL);',
        'CREATE TABLE `members` (`id` integer PRIMARY KEY NOT NULL, `org_id` integer NOT NULL REFERENCES `orgs`(`id`));',
        'CREATE INDEX `members_org_idx` ON `members` (`org_id`);',
      ].join('\n--> statement-breakpoint\n'),
    )
    await writeFile(
      join(out, 'meta', '_journal.json'),
      JSON.stringify({
        version: '7',
        dialect: 'sqlite',
        entries: [{ idx: 0, version: '6', when: 1_767_225_600_000, tag: '0000_init', breakpoints: true }],
      }),
    )
    const config = join(tmp, 'drizzle.config.json')
    await writeFile(config, JSON.stringify({ dialect: 'turso', out, dbCredentials: { url: emu.databaseUrl('kit') } }))
    // Put this Node first on PATH so npx runs drizzle-kit with the same (>= 22) runtime.
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` }
    for (let i = 0; i < 2; i++) {
      const result = await run('npx', ['drizzle-kit', 'migrate', '--config', config], env)
      expect(result.code, result.output).toBe(0)
    }
    const kit = createClient({ url: emu.databaseUrl('kit') })
    try {
      const tables = await kit.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")
      expect(tables.rows.map((r) => r.name)).toEqual(
        expect.arrayContaining(['__drizzle_migrations', 'members', 'members_org_idx', 'orgs']),
      )
      expect((await kit.execute('SELECT count(*) AS n FROM __drizzle_migrations')).rows[0]!.n).toBe(1)
      // Foreign keys are back on after drizzle's `PRAGMA foreign_keys=off` migration batch.
      await expect(kit.execute('INSERT INTO members VALUES (1, 42)')).rejects.toThrow(/FOREIGN KEY/)
    } finally {
      kit.close()
    }
  })
})
