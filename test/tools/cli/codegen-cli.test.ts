/**
 * `stratum gen` (tools/cli/commands/gen.ts) and the local writer behind the admin UI's "write" button
 * (tools/cli/lib/codegen-writer.ts), in a scratch root with this repository's module list: arguments, `--spec`,
 * `--dry-run`, refusing to overwrite without `--force`, the registration, and the writer's protocol as the Worker's
 * client (src/plugins/code_generator/writer.ts) speaks it. drizzle-kit is left out here (codegen-e2e.test.ts runs it).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateModule } from '../../../src/plugins/code_generator/core/generate'
import { GenBusinessSpecSchema } from '../../../src/plugins/code_generator/core/spec'
import { writeThroughLocalWriter } from '../../../src/plugins/code_generator/writer'
import { gen, parseGenArgs } from '../../../tools/cli/commands/gen'
import { startLocalWriter } from '../../../tools/cli/lib/codegen-writer'
import { PROJECT_ROOT } from '../../../tools/cli/lib/paths'

const dir = mkdtempSync(join(tmpdir(), 'stratum-gen-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SPEC = {
  app_name: 'shop',
  table_name: 'shop_coupon',
  doc_comment: 'Coupons',
  columns: [{ name: 'code', type: 'VARCHAR', length: 16, sort: 1 }],
}

/** A scratch root holding this repository's module list. */
function scratchRoot(name: string): string {
  const root = join(dir, name)
  mkdirSync(join(root, 'src', 'app'), { recursive: true })
  writeFileSync(join(root, 'src/app/domains.ts'), readFileSync(join(PROJECT_ROOT, 'src/app/domains.ts')))
  return root
}

describe('stratum gen arguments', () => {
  it('takes a table or --spec, with --version, --app, --dry-run and --force', () => {
    expect(parseGenArgs(['shop_order', '--version', 'v2', '--dry-run'])).toEqual({
      table: 'shop_order',
      version: 'v2',
      dryRun: true,
      force: false,
    })
    expect(parseGenArgs(['--spec', 'x.json', '--force'])).toMatchObject({ spec: 'x.json', force: true })
    expect(() => parseGenArgs([])).toThrow(/^usage: stratum gen/)
    expect(() => parseGenArgs(['a', '--spec', 'x.json'])).toThrow(/^usage/)
    expect(() => parseGenArgs(['a', '--version', 'v3'])).toThrow(/--version must be v1 or v2/)
    expect(() => parseGenArgs(['a', '--app'])).toThrow(/--app needs a value/)
    expect(() => parseGenArgs(['a', '--wat'])).toThrow(/unexpected --wat/)
  })
})

describe('stratum gen --spec', () => {
  const specFile = join(dir, 'coupon.json')
  writeFileSync(specFile, JSON.stringify(SPEC))

  it('lists what it would write with --dry-run, writing nothing', async () => {
    const root = scratchRoot('dry')
    const lines: string[] = []
    expect(await gen(['--spec', specFile, '--dry-run'], { root, log: (l) => lines.push(l) })).toEqual([])
    expect(lines).toContain('stratum: would write src/domains/shop-coupon/schema.ts')
    expect(lines).toContain('stratum: would write test/domains/shop-coupon/shop-coupon.test.ts')
    expect(existsSync(join(root, 'src/domains'))).toBe(false)
  })

  it('writes the module and registers it; refuses to overwrite unless --force', async () => {
    const root = scratchRoot('write')
    const lines: string[] = []
    const written = await gen(['--spec', specFile, '--version', 'v2'], {
      root,
      log: (l) => lines.push(l),
      migrate: false,
    })
    expect(written).toContain('src/domains/shop-coupon/routes.v2.ts')
    expect(written).toContain('src/app/domains.ts')
    expect(lines).toContain('stratum: wrote src/domains/shop-coupon/module.ts')
    expect(lines).toContain('stratum: registered shopCouponModule in src/app/domains.ts')
    const domains = readFileSync(join(root, 'src/app/domains.ts'), 'utf8')
    expect(domains).toContain("import { shopCouponModule } from '../domains/shop-coupon/module'")
    expect(domains).toMatch(/\n {2}shopCouponModule,\n\]/)

    await expect(gen(['--spec', specFile], { root, log: () => {}, migrate: false })).rejects.toThrow(
      /^refusing to overwrite src\/domains\/shop-coupon\/schema\.ts, .* \(use --force to overwrite them\)$/,
    )
    writeFileSync(join(root, 'src/domains/shop-coupon/perms.ts'), '// edited\n')
    await gen(['--spec', specFile, '--force'], { root, log: () => {}, migrate: false })
    expect(readFileSync(join(root, 'src/domains/shop-coupon/perms.ts'), 'utf8')).toContain('SHOP_COUPON_PERMS')
    // Registered once, however often it is written.
    expect(readFileSync(join(root, 'src/app/domains.ts'), 'utf8').split('shopCouponModule,').length).toBe(2)
  })

  it('names every problem of a bad spec file', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ ...SPEC, table_name: 'bad-name', columns: [] }))
    await expect(gen(['--spec', bad], { root: scratchRoot('bad'), log: () => {} })).rejects.toThrow(
      /bad\.json: table_name: .*; columns: /,
    )
  })
})

describe('the local writer of `stratum dev`', () => {
  it("writes what the Worker's client sends: 401 without its token, 409 for existing files unless force", async () => {
    const root = scratchRoot('writer')
    // drizzle-kit is the e2e test's part.
    const writer = await startLocalWriter({ root, log: () => {}, migrate: false })
    try {
      const module = generateModule(GenBusinessSpecSchema.parse(SPEC))
      const request = { files: module.files, registration: module.registration, table: 'shop_coupon', force: false }
      const settings = {
        CODE_GENERATOR_DOWNLOAD_ZIP_FILENAME: 'x',
        CODEGEN_WRITER_URL: writer.vars.CODEGEN_WRITER_URL,
        CODEGEN_WRITER_TOKEN: writer.vars.CODEGEN_WRITER_TOKEN,
        CODEGEN_WRITER_TIMEOUT_MS: 10_000,
      }
      const written = await writeThroughLocalWriter(settings, request)
      expect(written).toContain('src/domains/shop-coupon/schema.ts')
      expect(existsSync(join(root, 'src/domains/shop-coupon/schema.ts'))).toBe(true)

      await expect(writeThroughLocalWriter(settings, request)).rejects.toMatchObject({
        status: 409,
        key: 'codegen.file_exists',
      })
      expect(await writeThroughLocalWriter(settings, { ...request, force: true })).toContain(
        'src/domains/shop-coupon/schema.ts',
      )
      await expect(
        writeThroughLocalWriter({ ...settings, CODEGEN_WRITER_TOKEN: 'wrong' }, request),
      ).rejects.toMatchObject({
        status: 503,
      })
    } finally {
      await writer.close()
    }
  })
})
