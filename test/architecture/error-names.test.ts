/**
 * The Worker bundle is minified without keeping function names (wrangler.toml `keep_names = false`; docs/decisions.md,
 * "Worker bundle"), so an error class's run-time name must be data it declares, not its class name: logs and the
 * envelope's handling read `err.name`. Every exported error class in src/ is bundled the way wrangler bundles it
 * (esbuild, minified, names not kept) and each instance must still carry its declared name.
 */
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { typeScriptFiles } from '../helpers/source-files'

const ROOT = join(import.meta.dirname, '../..')
const ERROR_CLASS = /^export class (\w+) extends (\w*Error)\b/gm

/** Exported error classes by file (the hosts' Node-only code is left out: it is not in the Worker). */
const errorClasses = typeScriptFiles(join(ROOT, 'src'))
  .filter((file) => !relative(ROOT, file).startsWith('src/hosts/'))
  .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(ERROR_CLASS)].map((m) => ({ file, name: m[1] as string })))

/** Constructor arguments that build each class without throwing (they differ by class). */
const ARGUMENTS: unknown[][] = [[], [[]], [{ message: 'm' }], ['database', 'timeout', undefined], [1]]

function construct(cls: new (...args: unknown[]) => Error): Error {
  for (const args of ARGUMENTS) {
    try {
      return new cls(...args)
    } catch {
      // Try the next argument shape.
    }
  }
  throw new Error(`cannot construct ${cls.name}`)
}

describe('error class names in the minified Worker bundle', () => {
  it('finds the error classes', () => {
    expect(errorClasses.map((c) => c.name)).toEqual(
      expect.arrayContaining(['NotFoundError', 'DependencyUnavailableError', 'ConfigError', 'ReadBatchError']),
    )
  })

  it('keeps every error class’s name once the bundle has dropped function names', async () => {
    const entry = errorClasses.map(({ file, name }) => `export { ${name} } from ${JSON.stringify(file)}`).join('\n')
    const out = join(ROOT, 'node_modules/.cache/stratum-error-names.mjs')
    await build({
      stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      minify: true,
      keepNames: false,
      external: ['cloudflare:*', 'node:*'],
      outfile: out,
      logLevel: 'silent',
    })
    const bundled = (await import(`${pathToFileURL(out).href}?${Date.now()}`)) as Record<
      string,
      new (
        ...args: unknown[]
      ) => Error
    >
    for (const { name } of errorClasses) {
      const cls = bundled[name]
      if (!cls) throw new Error(`${name} is not exported by the bundle`)
      const error = construct(cls)
      expect(error.name, name).toBe(name)
      // An app error without a message key reads its name as its message (logs, health checks).
      if ('key' in error && error.key === undefined) expect(error.message, name).toBe(name)
    }
  })
})
