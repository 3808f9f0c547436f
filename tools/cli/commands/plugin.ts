/**
 * `stratum plugin <new|add|remove|list|sources>` — plugins are installed at build time (docs/plugins.md):
 *   new <name>       scaffold src/plugins/<name>/ (manifest, schema.ts with one table, routes.v1.ts with one route,
 *                    README.md) and test/plugins/<name>.test.ts, register it, write its sources, generate its migration
 *   add <path>       copy a plugin folder into src/plugins/<folder name>, register it, write its sources, generate
 *                    its migration
 *   remove <name>    unregister it, delete its folder, test and sources, generate a migration dropping its tables
 *                    (refused for required plugins such as `dict`)
 *   list             the registered plugins
 *   sources          rewrite public/_plugin-sources/<name>.json (the files `GET /sys/plugins/{plugin}` downloads,
 *                    shipped as static assets, not in the Worker bundle: src/plugins/sources.ts)
 * `--no-migration` skips drizzle-kit. Migrations are generated under an exclusive lock (`flock`, when available, on
 * `STRATUM_DRIZZLE_LOCK` or <tmpdir>/stratum-drizzle.lock) so two people generating at once don't collide.
 *
 * Registry edits (src/plugins/registry.ts): one `import { <camel>Plugin } from './<name>'` line per plugin (wherever
 * Biome sorts it) and one `<camel>Plugin,` line between `// stratum:plugins:start` and `// stratum:plugins:end`.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PROJECT_ROOT } from '../lib/paths'

export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'plugin')

/** Same rule as the build check (src/plugins/check.ts `PLUGIN_NAME_PATTERN`). */
export const PLUGIN_NAME = /^[a-z][a-z0-9_]{0,63}$/

const LIST_START = '// stratum:plugins:start'
const LIST_END = '// stratum:plugins:end'

/** Files never shipped or copied (editor and OS droppings; the download's own manifest). */
const SKIPPED_FILES = new Set(['.DS_Store', 'Thumbs.db', 'plugin.json'])
const MAX_EMBEDDED_BYTES = 512 * 1024

export interface PluginCliOptions {
  /** Project root (default: this repository). */
  root?: string
  log?: (line: string) => void
  /** Generate a migration with drizzle-kit (default true). */
  migrate?: boolean
}

export interface PluginPaths {
  root: string
  plugins: string
  registry: string
  /** public/_plugin-sources: one `<plugin>.json` per registered plugin. */
  sources: string
  tests: string
}

export function pluginPaths(root = PROJECT_ROOT): PluginPaths {
  return {
    root,
    plugins: join(root, 'src', 'plugins'),
    registry: join(root, 'src', 'plugins', 'registry.ts'),
    sources: join(root, 'public', '_plugin-sources'),
    tests: join(root, 'test', 'plugins'),
  }
}

export const camelName = (name: string) => name.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase())
export const pascalName = (name: string) => camelName(name).replace(/^[a-z]/, (ch) => ch.toUpperCase())
export const kebabName = (name: string) => name.replaceAll('_', '-')
export const registryIdentifier = (name: string) => `${camelName(name)}Plugin`

function assertName(name: string | undefined): asserts name is string {
  if (!name || !PLUGIN_NAME.test(name)) {
    throw new Error(
      `plugin name ${JSON.stringify(name ?? '')} is invalid: lowercase letter first, then lowercase letters, digits or _`,
    )
  }
}

// ---- registry -------------------------------------------------------------------------------------------------------

const importPattern = /^import\s+(?:\{\s*(\w+)(?:\s+as\s+(\w+))?\s*\}|(\w+))\s+from\s+'\.\/([a-z][a-z0-9_]*)'\s*;?\s*$/

interface RegistryEntry {
  name: string
  identifier: string
}

function listBounds(lines: string[], file: string): [number, number] {
  const start = lines.findIndex((l) => l.trim() === LIST_START)
  const end = lines.findIndex((l) => l.trim() === LIST_END)
  if (start < 0 || end < start) throw new Error(`${file}: missing the "${LIST_START}" / "${LIST_END}" markers`)
  return [start, end]
}

/** The registered plugins (folder name and registry identifier), in registry order. */
export function registeredPlugins(paths: PluginPaths = pluginPaths()): RegistryEntry[] {
  const lines = readFileSync(paths.registry, 'utf8').split('\n')
  const byIdentifier = new Map<string, string>()
  for (const line of lines) {
    const m = importPattern.exec(line)
    if (m) byIdentifier.set((m[2] ?? m[1] ?? m[3]) as string, m[4] as string)
  }
  const [start, end] = listBounds(lines, paths.registry)
  const entries: RegistryEntry[] = []
  for (const line of lines.slice(start + 1, end)) {
    const identifier = /^\s*(\w+)\s*,?\s*(\/\/.*)?$/.exec(line)?.[1]
    if (!identifier) continue
    const name = byIdentifier.get(identifier)
    if (!name) throw new Error(`${paths.registry}: ${identifier} is listed but not imported from './<name>'`)
    entries.push({ name, identifier })
  }
  return entries
}

export function registerPlugin(name: string, paths: PluginPaths = pluginPaths()): void {
  assertName(name)
  if (registeredPlugins(paths).some((e) => e.name === name)) return
  const identifier = registryIdentifier(name)
  const lines = readFileSync(paths.registry, 'utf8').split('\n')
  const [, end] = listBounds(lines, paths.registry)
  const indent = /^\s*/.exec(lines[end] ?? '')?.[0] ?? '  '
  lines.splice(end, 0, `${indent}${identifier},`)
  // Where Biome's import sorting puts it: before the first (one-line) import from a later module, else last.
  const spec = `./${name}`
  const imports = lines
    .map((line, i) => ({ i, from: /^import\s.*\sfrom\s+'([^']+)'/.exec(line)?.[1] }))
    .filter((x): x is { i: number; from: string } => x.from !== undefined)
  const later = imports.find((x) => x.from > spec)
  const index = later ? later.i : (imports.at(-1)?.i ?? -1) + 1
  lines.splice(index, 0, `import { ${identifier} } from '${spec}'`)
  writeFileSync(paths.registry, lines.join('\n'))
}

export function unregisterPlugin(name: string, paths: PluginPaths = pluginPaths()): boolean {
  const entry = registeredPlugins(paths).find((e) => e.name === name)
  if (!entry) return false
  const lines = readFileSync(paths.registry, 'utf8').split('\n')
  const [start, end] = listBounds(lines, paths.registry)
  const kept = lines.filter((line, i) => {
    if (i > start && i < end && new RegExp(`^\\s*${entry.identifier}\\s*,?\\s*(//.*)?$`).test(line)) return false
    const m = importPattern.exec(line)
    return !(m && m[4] === name)
  })
  writeFileSync(paths.registry, kept.join('\n'))
  return true
}

// ---- shipped sources ------------------------------------------------------------------------------------------------

function filesUnder(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(d, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full)
      } else if (entry.isFile() && !SKIPPED_FILES.has(entry.name)) out.push(full)
    }
  }
  walk(dir)
  return out
}

/** What public/_plugin-sources should hold: registered plugin → path inside its folder → text. */
export function collectSources(paths: PluginPaths = pluginPaths()): Record<string, Record<string, string>> {
  const sources: Record<string, Record<string, string>> = {}
  for (const { name } of [...registeredPlugins(paths)].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const dir = join(paths.plugins, name)
    if (!existsSync(dir)) continue
    const files: Record<string, string> = {}
    for (const file of filesUnder(dir).sort()) {
      if (statSync(file).size > MAX_EMBEDDED_BYTES) continue
      files[relative(dir, file).split(sep).join('/')] = readFileSync(file, 'utf8')
    }
    sources[name] = files
  }
  return sources
}

export function renderSources(files: Record<string, string>): string {
  return `${JSON.stringify(files, null, 2)}\n`
}

/**
 * Rewrites public/_plugin-sources (one `<plugin>.json` per registered plugin; files of plugins no longer registered
 * are deleted); returns whether anything changed.
 */
export function writeSources(paths: PluginPaths = pluginPaths()): boolean {
  const sources = collectSources(paths)
  mkdirSync(paths.sources, { recursive: true })
  let changed = false
  for (const file of readdirSync(paths.sources)) {
    if (file.endsWith('.json') && !Object.hasOwn(sources, file.slice(0, -'.json'.length))) {
      rmSync(join(paths.sources, file))
      changed = true
    }
  }
  for (const [name, files] of Object.entries(sources)) {
    const file = join(paths.sources, `${name}.json`)
    const next = renderSources(files)
    if (existsSync(file) && readFileSync(file, 'utf8') === next) continue
    writeFileSync(file, next)
    changed = true
  }
  return changed
}

/** What public/_plugin-sources holds now, read back the way `collectSources` builds it. */
export function readSources(paths: PluginPaths = pluginPaths()): Record<string, Record<string, string>> {
  const sources: Record<string, Record<string, string>> = {}
  if (!existsSync(paths.sources)) return sources
  for (const file of readdirSync(paths.sources).sort()) {
    if (file.endsWith('.json'))
      sources[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(paths.sources, file), 'utf8'))
  }
  return sources
}

// ---- migrations -----------------------------------------------------------------------------------------------------

function hasFlock(): boolean {
  return spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0
}

/** `drizzle-kit generate --name <migration>` in `root`, under the shared lock when `flock` exists. */
export function generateMigration(root: string, migration: string, log: (line: string) => void): void {
  const local = join(root, 'node_modules', '.bin', 'drizzle-kit')
  const kit = existsSync(local) ? [local] : ['npx', 'drizzle-kit']
  const command = [...kit, 'generate', '--name', migration]
  const lock = process.env.STRATUM_DRIZZLE_LOCK ?? join(tmpdir(), 'stratum-drizzle.lock')
  const argv = hasFlock() ? ['flock', lock, ...command] : command
  log(`stratum: ${argv.join(' ')}`)
  const result = spawnSync(argv[0] as string, argv.slice(1), { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`drizzle-kit generate failed (exit ${result.status ?? result.signal})`)
}

// ---- commands -------------------------------------------------------------------------------------------------------

function render(template: string, name: string): string {
  const values: [string, string][] = [
    ['__table_var__', `${camelName(name)}Item`],
    // The route prefix as a member of the typed test client: `.demo`, or `['my-plugin']` when it has a dash.
    ['.__kebab_member__', kebabName(name).includes('-') ? `['${kebabName(name)}']` : `.${kebabName(name)}`],
    ['__table__', `${name}_item`],
    ['__Pascal__', pascalName(name)],
    ['__camel__', camelName(name)],
    ['__kebab__', kebabName(name)],
    ['__title__', pascalName(name).replace(/([a-z0-9])([A-Z])/g, '$1 $2')],
    ['__name__', name],
  ]
  return values.reduce((text, [key, value]) => text.replaceAll(key, value), template)
}

/** The scaffold's files, relative to the project root. */
export function scaffoldFiles(name: string): Record<string, string> {
  assertName(name)
  const read = (file: string) => render(readFileSync(join(TEMPLATES_DIR, file), 'utf8'), name)
  return {
    [`src/plugins/${name}/index.ts`]: read('index.ts.tpl'),
    [`src/plugins/${name}/schema.ts`]: read('schema.ts.tpl'),
    [`src/plugins/${name}/routes.v1.ts`]: read('routes.v1.ts.tpl'),
    [`src/plugins/${name}/README.md`]: read('README.md.tpl'),
    [`test/plugins/${name}.test.ts`]: read('plugin.test.ts.tpl'),
  }
}

function assertFree(name: string, paths: PluginPaths): void {
  if (existsSync(join(paths.plugins, name))) throw new Error(`src/plugins/${name} already exists`)
  if (registeredPlugins(paths).some((e) => e.name === name)) throw new Error(`plugin "${name}" is already registered`)
}

export function newPlugin(name: string | undefined, options: PluginCliOptions = {}): string[] {
  assertName(name)
  const paths = pluginPaths(options.root)
  const log = options.log ?? console.log
  assertFree(name, paths)
  const files = scaffoldFiles(name)
  for (const file of Object.keys(files)) {
    if (existsSync(join(paths.root, file))) throw new Error(`${file} already exists`)
  }
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(paths.root, file)), { recursive: true })
    writeFileSync(join(paths.root, file), text)
  }
  registerPlugin(name, paths)
  writeSources(paths)
  log(`stratum: created ${Object.keys(files).join(', ')}; registered "${name}" in src/plugins/registry.ts`)
  if (options.migrate !== false) generateMigration(paths.root, `plugin_${name}`, log)
  log(`stratum: next: npx vitest run --project workers test/plugins/${name}.test.ts`)
  return Object.keys(files)
}

export function addPlugin(source: string | undefined, options: PluginCliOptions = {}): string {
  if (!source) throw new Error('usage: stratum plugin add <path to a plugin folder>')
  const from = resolve(source)
  if (!existsSync(from) || !statSync(from).isDirectory()) throw new Error(`${source} is not a folder`)
  if (!existsSync(join(from, 'index.ts'))) throw new Error(`${source} has no index.ts (the plugin manifest)`)
  const name = basename(from)
  assertName(name)
  const paths = pluginPaths(options.root)
  const log = options.log ?? console.log
  assertFree(name, paths)
  const identifier = registryIdentifier(name)
  const manifest = readFileSync(join(from, 'index.ts'), 'utf8')
  if (!new RegExp(`export\\s+const\\s+${identifier}\\b`).test(manifest)) {
    throw new Error(`${source}/index.ts must export its manifest as \`export const ${identifier} = definePlugin(…)\``)
  }
  if (!new RegExp(`name:\\s*['"]${name}['"]`).test(manifest)) {
    throw new Error(`${source}/index.ts: the manifest's name must be "${name}" (the folder name)`)
  }
  cpSync(from, join(paths.plugins, name), {
    recursive: true,
    filter: (src) => !SKIPPED_FILES.has(basename(src)) && basename(src) !== 'node_modules',
  })
  registerPlugin(name, paths)
  writeSources(paths)
  log(`stratum: copied ${source} to src/plugins/${name}; registered "${name}" in src/plugins/registry.ts`)
  if (options.migrate !== false) generateMigration(paths.root, `plugin_${name}`, log)
  return name
}

/** Whether the plugin's manifest declares `required: true` (read from its source, without running it). */
export function isRequiredPlugin(name: string, paths: PluginPaths = pluginPaths()): boolean {
  const index = join(paths.plugins, name, 'index.ts')
  return existsSync(index) && /\brequired:\s*true\b/.test(readFileSync(index, 'utf8'))
}

export function removePlugin(name: string | undefined, options: PluginCliOptions = {}): void {
  assertName(name)
  const paths = pluginPaths(options.root)
  const log = options.log ?? console.log
  const registered = registeredPlugins(paths).some((e) => e.name === name)
  const dir = join(paths.plugins, name)
  if (!registered && !existsSync(dir)) throw new Error(`plugin "${name}" is not installed`)
  if (isRequiredPlugin(name, paths)) throw new Error(`plugin "${name}" is required and cannot be removed`)
  const dependents = registeredPlugins(paths).filter(
    (e) =>
      e.name !== name &&
      new RegExp(`dependencies:\\s*\\[[^\\]]*['"]${name}['"]`).test(
        existsSync(join(paths.plugins, e.name, 'index.ts'))
          ? readFileSync(join(paths.plugins, e.name, 'index.ts'), 'utf8')
          : '',
      ),
  )
  if (dependents.length) {
    throw new Error(
      `plugin "${name}" is needed by ${dependents.map((e) => `"${e.name}"`).join(', ')}; remove them first`,
    )
  }
  unregisterPlugin(name, paths)
  rmSync(dir, { recursive: true, force: true })
  const test = join(paths.tests, `${name}.test.ts`)
  rmSync(test, { force: true })
  writeSources(paths)
  log(`stratum: removed src/plugins/${name} and test/plugins/${name}.test.ts; unregistered "${name}"`)
  if (options.migrate !== false) generateMigration(paths.root, `remove_plugin_${name}`, log)
  log(
    'stratum: its menus stay in sys_menu (delete them in the admin UI); GET /sys/plugins/changed reports the leftover',
  )
}

export function listPlugins(options: PluginCliOptions = {}): RegistryEntry[] {
  const paths = pluginPaths(options.root)
  const log = options.log ?? console.log
  const entries = registeredPlugins(paths)
  for (const { name } of entries) {
    const index = join(paths.plugins, name, 'index.ts')
    const text = existsSync(index) ? readFileSync(index, 'utf8') : ''
    const field = (key: string) => new RegExp(`\\b${key}:\\s*'([^']*)'`).exec(text)?.[1]
    const flags = [field('kind'), isRequiredPlugin(name, paths) ? 'required' : undefined].filter(Boolean).join(', ')
    log(
      `${name.padEnd(16)} ${(field('version') ?? '?').padEnd(9)} ${flags.padEnd(16)} ${field('summary') ?? ''}`.trimEnd(),
    )
  }
  return entries
}

export async function plugin(argv: string[]): Promise<void> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')))
  const [sub, arg] = argv.filter((a) => !a.startsWith('--'))
  const options: PluginCliOptions = { migrate: !flags.has('--no-migration') }
  switch (sub) {
    case 'new':
      newPlugin(arg, options)
      return
    case 'add':
      addPlugin(arg, options)
      return
    case 'remove':
      removePlugin(arg, options)
      return
    case 'list':
      listPlugins(options)
      return
    case 'sources':
      console.log(writeSources() ? 'stratum: public/_plugin-sources updated' : 'stratum: sources up to date')
      return
    default:
      throw new Error('usage: stratum plugin <new <name>|add <path>|remove <name>|list|sources> [--no-migration]')
  }
}
