/**
 * The `stratum` CLI (Node; never shipped in the Worker).
 *   stratum dev          emulators + migrations + wrangler dev     (npm run dev)
 *   stratum emulators    emulators only                            (npm run emulators)
 *   stratum emulators --only <name> | --stop <name>   run or stop one emulator alone (libsql, redis, qstash)
 *   stratum db migrate   apply migrations/ to TURSO_DATABASE_URL   (npm run db:migrate)
 *   stratum db seed      insert the core seed data (idempotent)    (npm run db:seed)
 *   stratum db migrate|seed --production   the deployed database; seed creates the first admin (README "Deploying")
 *   stratum db reset     drop all tables, migrate, seed (not prod) (npm run db:reset)
 *   stratum plugin …     new <name> | add <path> | remove <name> | list | sources (docs/plugins.md)
 *   stratum gen …        <table> [--version v1|v2] [--dry-run] [--force] | --spec <file.json> (docs/codegen.md)
 *   stratum routes       rewrite src/app/route-index.ts, the lazy routers' routes (docs/architecture.md)
 */
// First: on a Node too old for the tools, one line saying so and how to fix it, before anything else loads.
import './check-node.cjs'

const USAGE =
  'usage: stratum <dev|emulators [--only|--stop libsql|redis|qstash]|db migrate|db seed|db reset|plugin new|add|remove|list|sources|gen <table>|gen --spec <file>|routes>'

// Each command loads only its own code (`stratum gen` and `plugin` need not load the whole app, as `db` does).
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  switch (command) {
    case 'dev':
      return (await import('./commands/dev')).dev({ worker: true })
    case 'emulators':
      // `--only <name>` / `--stop <name>`: one emulator alone (commands/emulators.ts); without flags, all of them.
      return rest.length
        ? (await import('./commands/emulators')).emulators(rest)
        : (await import('./commands/dev')).dev({ worker: false })
    case 'db':
      return (await import('./commands/db')).db(rest)
    case 'plugin':
      return (await import('./commands/plugin')).plugin(rest)
    case 'gen':
      await (await import('./commands/gen')).gen(rest)
      return
    case 'routes': {
      const changed = await (await import('./lib/route-index')).writeRouteIndex()
      console.log(changed ? 'src/app/route-index.ts rewritten' : 'src/app/route-index.ts is up to date')
      return
    }
    default:
      console.error(USAGE)
      process.exitCode = 2
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`stratum: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
