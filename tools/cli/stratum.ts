/**
 * The `stratum` CLI (Node; never shipped in the Worker).
 *   stratum dev          emulators + migrations + wrangler dev     (npm run dev)
 *   stratum emulators    emulators only                            (npm run emulators)
 *   stratum db migrate   apply migrations/ to TURSO_DATABASE_URL   (npm run db:migrate)
 *   stratum db seed      insert the core seed data (idempotent)    (npm run db:seed)
 *   stratum db reset     drop all tables, migrate, seed (not prod) (npm run db:reset)
 *   stratum plugin …     new <name> | add <path> | remove <name> | list | sources (docs/plugins.md)
 */
import { db } from './commands/db'
import { dev } from './commands/dev'
import { plugin } from './commands/plugin'

const USAGE = 'usage: stratum <dev|emulators|db migrate|db seed|db reset|plugin new|add|remove|list|sources>'

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  switch (command) {
    case 'dev':
      return dev({ worker: true })
    case 'emulators':
      return dev({ worker: false })
    case 'db':
      return db(rest[0])
    case 'plugin':
      return plugin(rest)
    default:
      console.error(USAGE)
      process.exitCode = 2
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`stratum: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
