/**
 * `stratum plugin …` from Node: the scaffolder's output, registry edits that survive Biome's import sorting, add and
 * remove (refusing required plugins), and the shipped plugin sources (public/_plugin-sources) being in sync with the
 * plugin folders.
 * Each scaffolding test runs in a temporary project holding a copy of the registry and the `notice` plugin; the
 * scaffolded test is run against the real app by hand (see docs/plugins.md, "Acceptance").
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createZip } from '../../../src/plugins/zip'
import {
  addPlugin,
  collectSources,
  listPlugins,
  newPlugin,
  pluginPaths,
  readSources,
  registeredPlugins,
  registerPlugin,
  removePlugin,
  scaffoldFiles,
  unregisterPlugin,
} from '../../../tools/cli/commands/plugin'
import { PROJECT_ROOT } from '../../../tools/cli/lib/paths'

const quiet = { log: () => {}, migrate: false }
const temps: string[] = []

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-plugin-cli-'))
  temps.push(dir)
  return dir
}

/** A project with the real registry reduced to `notice` (plus a required fake `dict`). */
function tempProject(): string {
  const root = tempDir()
  mkdirSync(join(root, 'src', 'plugins'), { recursive: true })
  mkdirSync(join(root, 'test', 'plugins'), { recursive: true })
  cpSync(join(PROJECT_ROOT, 'src', 'plugins', 'notice'), join(root, 'src', 'plugins', 'notice'), { recursive: true })
  mkdirSync(join(root, 'src', 'plugins', 'dict'))
  writeFileSync(
    join(root, 'src', 'plugins', 'dict', 'index.ts'),
    "export const dictPlugin = definePlugin({ name: 'dict', required: true })\n",
  )
  writeFileSync(
    join(root, 'src', 'plugins', 'registry.ts'),
    [
      "import { dictPlugin } from './dict'",
      "import { noticePlugin } from './notice'",
      "import type { PluginManifest } from './types'",
      '',
      'export const PLUGINS: readonly PluginManifest[] = [',
      '  // stratum:plugins:start',
      '  dictPlugin,',
      '  noticePlugin,',
      '  // stratum:plugins:end',
      ']',
      '',
    ].join('\n'),
  )
  return root
}

const read = (root: string, file: string) => readFileSync(join(root, file), 'utf8')

describe('the shipped sources', () => {
  it('public/_plugin-sources matches the registered plugins’ folders (else run `stratum plugin sources`)', () => {
    const committed = readSources()
    expect(committed).toEqual(collectSources())
    expect(Object.keys(committed)).toEqual(expect.arrayContaining(['notice']))
    expect(Object.keys(committed.notice ?? {})).toEqual(
      expect.arrayContaining(['README.md', 'index.ts', 'schema.ts', 'routes.v1.ts', 'seed.ts']),
    )
  })
})

describe('the registry', () => {
  it('reads the real registry', () => {
    const names = registeredPlugins().map((e) => e.name)
    expect(names).toContain('notice')
    expect(registeredPlugins().find((e) => e.name === 'notice')?.identifier).toBe('noticePlugin')
  })

  it('adds and removes entries wherever Biome sorted the imports, restoring the file exactly', () => {
    const root = tempProject()
    const paths = pluginPaths(root)
    const before = read(root, 'src/plugins/registry.ts')
    registerPlugin('code_gen', paths)
    const after = read(root, 'src/plugins/registry.ts')
    // Where Biome's import sorting puts it, so `biome check` stays clean.
    expect(after).toMatch(/^import \{ codeGenPlugin \} from '\.\/code_gen'\nimport \{ dictPlugin \}/)
    expect(after).toMatch(/ {2}noticePlugin,\n {2}codeGenPlugin,\n {2}\/\/ stratum:plugins:end/)
    expect(registeredPlugins(paths).map((e) => e.name)).toEqual(['dict', 'notice', 'code_gen'])
    registerPlugin('code_gen', paths) // idempotent
    expect(read(root, 'src/plugins/registry.ts')).toBe(after)
    expect(unregisterPlugin('code_gen', paths)).toBe(true)
    expect(read(root, 'src/plugins/registry.ts')).toBe(before)
    expect(unregisterPlugin('code_gen', paths)).toBe(false)
  })
})

describe('stratum plugin new', () => {
  it('scaffolds the manifest, one table, one route, a README and a test, registers and embeds it', () => {
    const root = tempProject()
    const created = newPlugin('demo_x', { ...quiet, root })
    expect(created.sort()).toEqual(
      [
        'src/plugins/demo_x/README.md',
        'src/plugins/demo_x/index.ts',
        'src/plugins/demo_x/routes.v1.ts',
        'src/plugins/demo_x/schema.ts',
        'test/plugins/demo_x.test.ts',
      ].sort(),
    )
    const index = read(root, 'src/plugins/demo_x/index.ts')
    expect(index).toContain('export const demoXPlugin = definePlugin({')
    expect(index).toContain("name: 'demo_x'")
    expect(index).toContain('routes: { v1: demoXRoutes }')
    expect(read(root, 'src/plugins/demo_x/schema.ts')).toContain("sqliteTable('demo_x_item'")
    expect(read(root, 'src/plugins/demo_x/routes.v1.ts')).toContain("path: '/demo-x/items'")
    expect(read(root, 'test/plugins/demo_x.test.ts')).toContain("api<typeof demoXRoutes>(token)['demo-x'].items.$get()")
    for (const text of Object.values(scaffoldFiles('demo_x'))) expect(text).not.toMatch(/__\w+__/)
    expect(registeredPlugins(pluginPaths(root)).map((e) => e.name)).toEqual(['dict', 'notice', 'demo_x'])
    const sources = readSources(pluginPaths(root))
    expect(readdirSync(join(root, 'public/_plugin-sources')).sort()).toEqual([
      'demo_x.json',
      'dict.json',
      'notice.json',
    ])
    expect(Object.keys(sources.demo_x ?? {}).sort()).toEqual(['README.md', 'index.ts', 'routes.v1.ts', 'schema.ts'])
  })

  it('refuses a bad name or one in use', () => {
    const root = tempProject()
    expect(() => newPlugin('Demo', { ...quiet, root })).toThrow(/plugin name "Demo" is invalid/)
    expect(() => newPlugin('1demo', { ...quiet, root })).toThrow(/is invalid/)
    expect(() => newPlugin(undefined, { ...quiet, root })).toThrow(/is invalid/)
    expect(() => newPlugin('notice', { ...quiet, root })).toThrow('src/plugins/notice already exists')
  })
})

describe('stratum plugin remove', () => {
  it('undoes `new` completely', () => {
    const root = tempProject()
    const registry = read(root, 'src/plugins/registry.ts')
    newPlugin('demo', { ...quiet, root })
    removePlugin('demo', { ...quiet, root })
    expect(existsSync(join(root, 'src/plugins/demo'))).toBe(false)
    expect(existsSync(join(root, 'test/plugins/demo.test.ts'))).toBe(false)
    expect(read(root, 'src/plugins/registry.ts')).toBe(registry)
    expect(Object.keys(readSources(pluginPaths(root))).sort()).toEqual(['dict', 'notice'])
  })

  it('refuses required plugins, plugins others depend on, and unknown plugins', () => {
    const root = tempProject()
    expect(() => removePlugin('dict', { ...quiet, root })).toThrow('plugin "dict" is required and cannot be removed')
    newPlugin('needs_notice', { ...quiet, root })
    const index = join(root, 'src/plugins/needs_notice/index.ts')
    writeFileSync(
      index,
      read(root, 'src/plugins/needs_notice/index.ts').replace(
        "kind: 'app',",
        "kind: 'app',\n  dependencies: ['notice'],",
      ),
    )
    expect(() => removePlugin('notice', { ...quiet, root })).toThrow(
      'plugin "notice" is needed by "needs_notice"; remove them first',
    )
    expect(() => removePlugin('ghost', { ...quiet, root })).toThrow('plugin "ghost" is not installed')
    expect(existsSync(join(root, 'src/plugins/dict'))).toBe(true)
  })
})

describe('stratum plugin add', () => {
  it('copies a plugin folder in (without a downloaded plugin.json) and registers it', () => {
    const root = tempProject()
    const source = join(tempDir(), 'extra')
    mkdirSync(join(source, 'nested'), { recursive: true })
    writeFileSync(join(source, 'index.ts'), "export const extraPlugin = definePlugin({ name: 'extra' })\n")
    writeFileSync(join(source, 'nested', 'util.ts'), 'export const x = 1\n')
    writeFileSync(join(source, 'plugin.json'), '{}\n')
    expect(addPlugin(source, { ...quiet, root })).toBe('extra')
    expect(read(root, 'src/plugins/extra/nested/util.ts')).toBe('export const x = 1\n')
    expect(existsSync(join(root, 'src/plugins/extra/plugin.json'))).toBe(false)
    expect(registeredPlugins(pluginPaths(root)).map((e) => e.name)).toContain('extra')
    expect(() => addPlugin(source, { ...quiet, root })).toThrow('src/plugins/extra already exists')
  })

  it('refuses a folder without a manifest, or whose manifest does not match the folder name', () => {
    const root = tempProject()
    const empty = join(tempDir(), 'empty')
    mkdirSync(empty)
    expect(() => addPlugin(empty, { ...quiet, root })).toThrow(/has no index.ts/)
    const wrong = join(tempDir(), 'wrong')
    mkdirSync(wrong)
    writeFileSync(join(wrong, 'index.ts'), "export const wrongPlugin = definePlugin({ name: 'other' })\n")
    expect(() => addPlugin(wrong, { ...quiet, root })).toThrow(/the manifest's name must be "wrong"/)
    expect(() => addPlugin(join(tempDir(), 'missing'), { ...quiet, root })).toThrow(/is not a folder/)
  })
})

describe('stratum plugin list', () => {
  it('prints one line per registered plugin', () => {
    const root = tempProject()
    const lines: string[] = []
    listPlugins({ root, log: (l) => lines.push(l) })
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^dict\s+\?\s+required/)
    expect(lines[1]).toMatch(/^notice\s+0\.0\.2\s+extend\s+Notices$/)
  })
})

describe('plugin downloads', () => {
  const hasUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0

  it.skipIf(!hasUnzip)('are ZIPs that Info-ZIP `unzip` tests and extracts', async () => {
    const dir = tempDir()
    const zip = await createZip([
      { name: 'notice/README.md', data: '# Notice\n' },
      { name: 'notice/通知.ts', data: 'export const x = "你好"\n' },
    ])
    writeFileSync(join(dir, 'notice.zip'), zip)
    const test = spawnSync('unzip', ['-t', 'notice.zip'], { cwd: dir, encoding: 'utf8' })
    expect(test.status, test.stdout + test.stderr).toBe(0)
    expect(test.stdout).toContain('No errors detected')
    expect(spawnSync('unzip', ['-q', 'notice.zip', '-d', 'out'], { cwd: dir }).status).toBe(0)
    expect(readFileSync(join(dir, 'out', 'notice', 'README.md'), 'utf8')).toBe('# Notice\n')
    expect(readFileSync(join(dir, 'out', 'notice', '通知.ts'), 'utf8')).toBe('export const x = "你好"\n')
  })
})
