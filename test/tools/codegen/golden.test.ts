/**
 * Golden tests of the code generator's core (src/plugins/code_generator/core): each spec of ./specs.ts generates
 * exactly the files under ./golden/<spec>/ (`<path>.golden`; run `npx vitest run --project node -u` to accept a
 * deliberate change, then read the diff). The fresh-clone test (test/tools/cli/codegen-e2e.test.ts) proves such
 * output type-checks, lints and passes its own test; this one pins it line by line.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dateTimeText, decimalText, optionalIntQuery } from '../../../src/core/schemas'
import { generateModule } from '../../../src/plugins/code_generator/core/generate'
import { CodegenError, GenBusinessSpecSchema } from '../../../src/plugins/code_generator/core/spec'
import { PROJECT_ROOT } from '../../../tools/cli/lib/paths'
import { CLASS_V2, SHOP_ORDER } from './specs'

describe.each([
  ['shop_order', SHOP_ORDER],
  ['class_v2', CLASS_V2],
])('golden: %s', (name, spec) => {
  const { files } = generateModule(spec)
  it('generates the expected file list', () => {
    expect(Object.keys(files)).toMatchSnapshot()
  })
  it.each(Object.keys(files))('%s', async (path) => {
    await expect(files[path]).toMatchFileSnapshot(`./golden/${name}/${path}.golden`)
  })
})

describe('format', () => {
  it("is Biome-clean as written (the project's settings)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratum-golden-'))
    try {
      // The project's Biome settings, outside its git checkout (so without its ignore file).
      const config = JSON.parse(readFileSync(join(PROJECT_ROOT, 'biome.json'), 'utf8'))
      delete config.$schema
      writeFileSync(join(dir, 'biome.json'), JSON.stringify({ ...config, vcs: { enabled: false } }))
      for (const [name, spec] of [
        ['shop_order', SHOP_ORDER],
        ['class_v2', CLASS_V2],
      ] as const) {
        for (const [path, text] of Object.entries(generateModule(spec).files)) {
          if (!path.endsWith('.ts')) continue
          mkdirSync(dirname(join(dir, name, path)), { recursive: true })
          writeFileSync(join(dir, name, path), text)
        }
      }
      const biome = spawnSync(join(PROJECT_ROOT, 'node_modules/.bin/biome'), ['check', 'shop_order', 'class_v2'], {
        cwd: dir,
        encoding: 'utf8',
      })
      expect(biome.status, biome.stdout + biome.stderr).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('names', () => {
  it('keeps SQL names, camelCases properties, snake_cases wire fields and suffixes reserved identifiers', () => {
    const { files, model } = generateModule(CLASS_V2)
    expect(model).toMatchObject({
      folder: 'school-class',
      table: 'classTable',
      className: 'SchoolClass',
      schemaName: 'ClassInfo',
      path: '/school-admin/school-class',
      permPrefix: 'school_admin:school_class',
      version: 'v2',
    })
    expect(files['src/domains/school-class/schema.ts']).toContain("roomNumber: integer('roomNumber').notNull(),")
    expect(files['src/domains/school-class/dto.ts']).toContain('roomNumber: body.room_number,')
    expect(files).toHaveProperty(['src/domains/school-class/routes.v2.ts'])
    expect(files).not.toHaveProperty(['src/domains/school-class/routes.v1.ts'])
  })
})

describe('reserved words', () => {
  it('become identifiers with a suffix wherever the generated files declare them', () => {
    const spec = GenBusinessSpecSchema.parse({
      app_name: 'a',
      table_name: 'text',
      filename: 'delete',
      doc_comment: 'Texts',
      columns: [{ name: 'class', type: 'TEXT', sort: 1 }],
    })
    const { files } = generateModule(spec)
    expect(files['src/domains/delete/schema.ts']).toContain("export const textTable = sqliteTable('text', {")
    expect(files['src/domains/delete/schema.ts']).toContain("class: text('class').notNull(),")
    expect(files['src/domains/delete/routes.v1.ts']).toContain('const deleteCrud = crudRoutes({')
    expect(files['src/domains/delete/routes.v1.ts']).toContain('export function deleteRoutes() {')
  })
})

describe('body helpers the generated DTOs use (src/core/schemas.ts)', () => {
  it('dateTimeText reads the wire datetime as UTC; decimalText keeps decimals exact; optionalIntQuery ignores blanks', () => {
    expect(dateTimeText().parse('2026-05-16 12:00:00')).toEqual(new Date(Date.UTC(2026, 4, 16, 12)))
    expect(dateTimeText().parse('2026-05-16T12:00:00')).toEqual(new Date(Date.UTC(2026, 4, 16, 12)))
    for (const bad of ['2026-05-16', '2026-13-45 99:00:00', 'soon'])
      expect(dateTimeText().safeParse(bad).success).toBe(false)
    expect(decimalText().parse('-12.50')).toBe('-12.50')
    for (const bad of ['1e3', '12.', 'NaN']) expect(decimalText().safeParse(bad).success).toBe(false)
    expect(optionalIntQuery('x').parse('')).toBeUndefined()
    expect(optionalIntQuery('x').parse('7')).toBe(7)
    expect(optionalIntQuery('x').safeParse('7.5').success).toBe(false)
  })
})

describe('refusals', () => {
  const withColumns = (columns: object[], extra: object = {}) =>
    GenBusinessSpecSchema.parse({ app_name: 'a', table_name: 'things', doc_comment: 'Things', columns, ...extra })
  const refusal = (columns: object[], extra: object = {}) => {
    try {
      generateModule(withColumns(columns, extra))
    } catch (err) {
      expect(err).toBeInstanceOf(CodegenError)
      return (err as Error).message
    }
    throw new Error('generated')
  }
  const label = { name: 'label', type: 'TEXT', sort: 1 }

  it('names the column and says what to change', () => {
    expect(refusal([{ name: 'data', type: 'BLOB', sort: 1 }])).toBe(
      'things.data: BLOB columns have no JSON form in an admin API; store a file URL or base64 TEXT instead',
    )
    expect(refusal([{ name: 'shape', type: 'GEOMETRY', sort: 1 }])).toBe(
      'things.shape: unsupported column type GEOMETRY',
    )
    expect(
      refusal([
        { name: 'a', type: 'INTEGER', is_pk: true },
        { name: 'b', type: 'INTEGER', is_pk: true },
      ]),
    ).toBe('things: composite primary keys (a, b) are not supported; give the table an integer primary key named id')
    expect(refusal([{ name: 'code', type: 'VARCHAR', is_pk: true }, label])).toMatch(
      /^things\.code: the primary key must be an INTEGER column named id/,
    )
    expect(refusal([{ name: 'id', type: 'TEXT', is_pk: true }, label])).toMatch(/got TEXT id$/)
    expect(
      refusal([
        { name: 'user_id', type: 'INTEGER' },
        { name: 'userId', type: 'INTEGER' },
      ]),
    ).toBe('things: columns user_id and userId both become userId; rename one of them')
    expect(refusal([{ name: 'createdTime', type: 'INTEGER' }])).toBe(
      'things: columns created_time and createdTime both become createdTime; rename one of them',
    )
    expect(refusal([{ name: '2fa', type: 'TEXT' }])).toMatch(/^things\.2fa: a column name must start with a letter/)
    expect(refusal([{ name: 'constructor', type: 'TEXT' }])).toBe(
      'things.constructor: constructor cannot be a property name',
    )
    expect(refusal([{ name: 'id', type: 'INTEGER', is_pk: true }])).toBe(
      'things: no columns besides the primary key to generate',
    )
  })
})
