/**
 * Writes a generated module into a checkout (docs/codegen.md) — for `stratum gen` and for the local writer that
 * `stratum dev` runs for the admin UI's "write" button (a Worker has no file system):
 *   1. refuses files that exist, unless `force` (nothing is written then);
 *   2. writes the module's files and its test;
 *   3. registers the module in src/app/domains.ts;
 *   4. runs `drizzle-kit generate --name <table>` (so the schema snapshot and the journal entry that later migrations
 *      diff against are drizzle-kit's own), then makes its CREATE statements `IF NOT EXISTS`: an imported table
 *      already exists in the database it came from.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, isAbsolute, join, normalize } from 'node:path'
import { addRegistration, DOMAINS_FILE, type Registration } from '../../../src/plugins/code_generator/core/generate'
import { generateMigration } from '../commands/plugin'

export interface ModuleFiles {
  /** Path → text, as the generator returns them (the migration preview and the module-list snippet included). */
  files: Readonly<Record<string, string>>
  registration: Registration
  table: string
}

export interface WriteOptions {
  root: string
  force?: boolean
  /** Run drizzle-kit (default true). */
  migrate?: boolean
  log?: (line: string) => void
}

export type WriteResult = { written: string[]; existing?: undefined } | { existing: string[]; written?: undefined }

/** The files written as they are: not the migration preview (drizzle-kit writes the migration) nor the module list. */
export function writablePaths(module: ModuleFiles): string[] {
  return Object.keys(module.files).filter((path) => path !== DOMAINS_FILE && !path.startsWith('migrations/'))
}

function safePath(root: string, path: string): string {
  const clean = normalize(path)
  if (isAbsolute(clean) || clean.startsWith('..') || !/^(src|test)\//.test(clean))
    throw new Error(`refusing to write ${JSON.stringify(path)}: generated files go under src/ or test/`)
  return join(root, clean)
}

/** The paths among the module's files that exist in `root`. */
export function existingPaths(module: ModuleFiles, root: string): string[] {
  return writablePaths(module).filter((path) => existsSync(safePath(root, path)))
}

export function writeModule(module: ModuleFiles, options: WriteOptions): WriteResult {
  const { root, log = console.log } = options
  // drizzle-kit names the migration file after it.
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(module.table))
    throw new Error(`not a table name: ${JSON.stringify(module.table)}`)
  const paths = writablePaths(module)
  const existing = existingPaths(module, root)
  if (existing.length && !options.force) return { existing }
  for (const path of paths) {
    const file = safePath(root, path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, module.files[path] ?? '')
    log(`stratum: wrote ${path}`)
  }
  const domains = join(root, DOMAINS_FILE)
  const before = readFileSync(domains, 'utf8')
  const after = addRegistration(before, module.registration)
  if (after !== before) {
    writeFileSync(domains, after)
    log(`stratum: registered ${module.registration.entry.trim().replace(/,$/, '')} in ${DOMAINS_FILE}`)
  }
  const written = [...paths, ...(after !== before ? [DOMAINS_FILE] : [])]
  if (options.migrate !== false) {
    const migration = generateTableMigration(root, module.table, log)
    if (migration) written.push(migration)
  }
  return { written }
}

/** drizzle-kit's migration for the table, made idempotent; its path, or undefined when there was nothing to migrate. */
function generateTableMigration(root: string, table: string, log: (line: string) => void): string | undefined {
  const journalPath = join(root, 'migrations', 'meta', '_journal.json')
  const tags = () =>
    existsSync(journalPath)
      ? (JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] }).entries.map((e) => e.tag)
      : []
  const before = new Set(tags())
  generateMigration(root, table, log)
  const added = tags().find((tag) => !before.has(tag))
  if (!added) return undefined
  const path = join('migrations', `${added}.sql`)
  const file = join(root, path)
  const sql = readFileSync(file, 'utf8')
  writeFileSync(
    file,
    sql
      .replace(/^CREATE TABLE `/gm, 'CREATE TABLE IF NOT EXISTS `')
      .replace(/^CREATE (UNIQUE )?INDEX `/gm, 'CREATE $1INDEX IF NOT EXISTS `'),
  )
  log(`stratum: wrote ${path}`)
  return path
}

// ---- the local writer of `stratum dev` ------------------------------------------------------------------------------

export interface LocalWriter {
  /** For .dev.vars: the Worker's `CODEGEN_WRITER_URL` and `CODEGEN_WRITER_TOKEN` (src/plugins/code_generator). */
  vars: { CODEGEN_WRITER_URL: string; CODEGEN_WRITER_TOKEN: string }
  close(): Promise<void>
}

const MAX_BODY_BYTES = 4 * 1024 * 1024

/**
 * An HTTP server on 127.0.0.1 that writes what the Worker's `POST /code-generation/generations/{pk}` sends
 * (src/plugins/code_generator/writer.ts): 200 `{written}`, 409 `{existing}`, 401 without the token, 400 for a bad body.
 */
export async function startLocalWriter(options: {
  root: string
  log?: (line: string) => void
  /** Run drizzle-kit for each write (default true). */
  migrate?: boolean
}): Promise<LocalWriter> {
  const token = randomBytes(24).toString('base64url')
  const expected = Buffer.from(`Bearer ${token}`)
  const server: Server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const given = Buffer.from(req.headers.authorization ?? '')
    if (req.method !== 'POST' || given.length !== expected.length || !timingSafeEqual(given, expected))
      return answer(401, { error: 'unauthorized' })
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) req.destroy()
      else chunks.push(chunk)
    })
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ModuleFiles & { force?: boolean }
        const result = writeModule(body, {
          root: options.root,
          force: body.force === true,
          migrate: options.migrate ?? true,
          log: options.log,
        })
        answer(result.existing ? 409 : 200, result)
      } catch (err) {
        answer(400, { error: err instanceof Error ? err.message : String(err) })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    vars: { CODEGEN_WRITER_URL: `http://127.0.0.1:${port}/`, CODEGEN_WRITER_TOKEN: token },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
