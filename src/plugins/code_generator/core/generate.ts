/**
 * The code generator (docs/codegen.md): a business spec in, a map of files out — pure, no I/O, so the Worker can
 * preview and zip it and the CLI can write it. Paths are relative to the repository root.
 */
import { buildModel, type Model } from './model'
import { renderDto, renderRepository, renderSchema } from './render-data'
import {
  moduleExport,
  renderMessages,
  renderModule,
  renderPerms,
  renderRoutes,
  renderSeed,
  renderService,
} from './render-module'
import { renderMigration } from './render-sql'
import { renderTest } from './render-test'
import type { GenBusinessSpec } from './spec'

/** The app's module list, where the registration goes (docs/architecture.md). */
export const DOMAINS_FILE = 'src/app/domains.ts'

/** Where the table's migration is shown; writing runs drizzle-kit, which names it `NNNN_<table>.sql`. */
export const migrationPath = (m: Model) => `migrations/${m.spec.table_name}.sql`

export interface Registration {
  /** The import line for src/app/domains.ts. */
  importLine: string
  /** The entry appended to the module list. */
  entry: string
}

export function registration(m: Model): Registration {
  return {
    importLine: `import { ${moduleExport(m)} } from '../domains/${m.folder}/module'`,
    entry: `  ${moduleExport(m)},`,
  }
}

export interface GeneratedModule {
  model: Model
  /** Path → text, in the order a reviewer reads them. */
  files: Record<string, string>
  registration: Registration
}

/** Generates the module of `spec`; throws `CodegenError` when the spec cannot be generated. */
export function generateModule(spec: GenBusinessSpec): GeneratedModule {
  const m = buildModel(spec)
  const dir = `src/domains/${m.folder}`
  const reg = registration(m)
  const files: Record<string, string> = {
    [`${dir}/schema.ts`]: renderSchema(m),
    [`${dir}/repository.ts`]: renderRepository(m),
    [`${dir}/service.ts`]: renderService(m),
    [`${dir}/dto.ts`]: renderDto(m),
    [`${dir}/routes.${m.version}.ts`]: renderRoutes(m),
    [`${dir}/perms.ts`]: renderPerms(m),
    [`${dir}/seed.ts`]: renderSeed(m),
    [`${dir}/messages.ts`]: renderMessages(m),
    [`${dir}/module.ts`]: renderModule(m),
    [`test/domains/${m.folder}/${m.folder}.test.ts`]: renderTest(m),
    [migrationPath(m)]: renderMigration(m),
    // What registration adds to the module list (writing patches the file itself: addRegistration).
    [DOMAINS_FILE]: `${reg.importLine}\n\nexport const DOMAINS = [\n  // …\n${reg.entry}\n]\n`,
  }
  return { model: m, files, registration: reg }
}

/**
 * `src/app/domains.ts` with the module registered: its import among the domain imports (kept in Biome's order) and
 * its entry last in the module list (list order is seed order, so a new module comes after the owners it may reference).
 * Unchanged when it is registered already; throws when the file does not have the expected shape.
 */
export function addRegistration(source: string, reg: Registration): string {
  if (source.includes(reg.importLine)) return source
  const lines = source.split('\n')
  // The list is the array literal of `…Module,` entries (however it is declared); the entry goes after its last one.
  const end = lines.findIndex((l, i) => /^\]/.test(l) && /^\s+\w+Module,$/.test(lines[i - 1] ?? ''))
  if (end < 0) throw new Error(`${DOMAINS_FILE}: no module list (an array of \`…Module,\` lines) found`)
  lines.splice(end, 0, reg.entry)
  const key = (line: string) => /from '([^']+)'/.exec(line)?.[1] ?? ''
  const target = key(reg.importLine)
  const domainImports = lines
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.startsWith('import ') && key(line).startsWith('../domains/'))
  const after = domainImports.filter(({ line }) => key(line) < target)
  const at = after.length ? (after.at(-1)?.index ?? 0) + 1 : (domainImports[0]?.index ?? 0)
  lines.splice(at, 0, reg.importLine)
  return lines.join('\n')
}
