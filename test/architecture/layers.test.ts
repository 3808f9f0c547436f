/**
 * The layering of src/ (docs/architecture.md), checked with the same dependency-cruiser rules `npm run lint` runs:
 * the real tree passes, and each rule fails on a deliberately wrong import in a small tree made for the test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { cruise, type ICruiseOptions, type IViolation } from 'dependency-cruiser'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as {
  forbidden: NonNullable<ICruiseOptions['ruleSet']>['forbidden']
  options: ICruiseOptions
}

async function violations(baseDir: string): Promise<IViolation[]> {
  const { tsConfig: _tsConfig, ...options } = config.options
  const result = await cruise(['src'], {
    ...options,
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  })
  if (typeof result.output === 'string') throw new Error('expected a cruise result, got text')
  return result.output.summary.violations
}

const trees: string[] = []
afterAll(() => {
  for (const dir of trees) rmSync(dir, { recursive: true, force: true })
})

/** A throwaway tree with these files (path → source), laid out like src/. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-layers-'))
  trees.push(dir)
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), source)
  }
  return dir
}

const rulesBroken = async (files: Record<string, string>) =>
  [...new Set((await violations(tree(files))).map((v) => v.rule.name))].sort()

describe('layers', () => {
  it('src/ follows every rule (no upward import, no cycle)', async () => {
    const found = await violations(root)
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([])
  }, 60_000)

  it('the kernel may not import the HTTP layer (type-only imports count)', async () => {
    expect(
      await rulesBroken({
        'src/http/context.ts': 'export interface AppEnv { Variables: object }\n',
        'src/core/trace.ts': "import type { AppEnv } from '../http/context'\nexport type T = AppEnv\n",
      }),
    ).toEqual(['core-imports-only-core'])
  })

  it('adapters may not import the HTTP layer', async () => {
    expect(
      await rulesBroken({
        'src/http/context.ts': 'export const x = 1\n',
        'src/infra/email.ts': "import { x } from '../http/context'\nexport const y = x\n",
      }),
    ).toEqual(['infra-imports-only-core'])
  })

  it('the HTTP layer may not import a domain', async () => {
    expect(
      await rulesBroken({
        'src/domains/auth/authenticate.ts': 'export const authenticate = () => 1\n',
        'src/http/access.ts':
          "import { authenticate } from '../domains/auth/authenticate'\nexport const a = authenticate\n",
      }),
    ).toEqual(['http-stays-below-features'])
  })

  it('domains may not import the app assembly or a plugin', async () => {
    expect(
      await rulesBroken({
        'src/app/domains.ts': 'export const DOMAINS = []\n',
        'src/plugins/dict/service.ts': 'export const dict = 1\n',
        'src/domains/data-rules/catalogue.ts':
          "import { DOMAINS } from '../../app/domains'\nimport { dict } from '../../plugins/dict/service'\nexport const c = [DOMAINS, dict]\n",
      }),
    ).toEqual(['domains-do-not-import-plugins', 'features-do-not-import-the-app'])
  })

  it('nothing in the app imports a host entry (host-only code stays out of the Worker bundle)', async () => {
    expect(
      await rulesBroken({
        'src/hosts/runtime.ts': 'export const port = 8787\n',
        'src/app/app.ts': "import { port } from '../hosts/runtime'\nexport const p = port\n",
      }),
    ).toEqual(['nothing-imports-a-host'])
  })

  it('no import cycles, even within a layer', async () => {
    expect(
      await rulesBroken({
        'src/http/context.ts': "import type { P } from './settings'\nexport type C = { p: P }\n",
        'src/http/settings.ts': "import type { C } from './context'\nexport type P = (c: C) => void\n",
      }),
    ).toEqual(['no-cycles'])
  })
})
