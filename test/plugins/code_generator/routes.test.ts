/**
 * The `code_generator` plugin's API (docs/fba-compatibility.md, "Code generator plugin"): every endpoint's shape,
 * 404/409/403, fba's 400 for invalid names, the seeded menu, import from this database's catalogue, preview, paths,
 * the ZIP download and the development-only writes.
 */
import type { z } from '@hono/zod-openapi'
import { eq, inArray } from 'drizzle-orm'
import { unzipSync } from 'fflate'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysMenu } from '../../../src/domains/menus/schema'
import { generateModule } from '../../../src/plugins/code_generator/core/generate'
import { GenBusinessSpecSchema } from '../../../src/plugins/code_generator/core/spec'
import type { ColumnBodySchema } from '../../../src/plugins/code_generator/dto'
import type { codeGeneratorRoutes } from '../../../src/plugins/code_generator/routes.v1'
import { genColumn } from '../../../src/plugins/code_generator/schema'
import { seedAndSignIn } from '../../helpers/auth'
import { fileClient, fileDb } from '../../helpers/database'
import { anyDatetime, unique } from '../../helpers/fixtures'
import { answer, api, failure } from '../../helpers/harness'
import { expectLogs } from '../../helpers/logs'
import { signedInWith } from '../../helpers/permissions'

const tokens = seedAndSignIn()

beforeAll(async () => {
  await fileClient().batch(
    [
      `create table shop_item (
         id integer primary key autoincrement not null,
         title varchar(64) not null,
         price decimal(10, 2) not null default 0,
         in_stock boolean not null default 1,
         note text,
         created_time integer not null,
         updated_time integer
       )`,
      'create table shop_blob (id integer primary key, payload blob)',
    ],
    'write',
  )
})

const DEV = { ENVIRONMENT: 'development' }
const gen = (token?: string, overrides?: Record<string, unknown>, headers?: Record<string, string>) =>
  api<typeof codeGeneratorRoutes>(token, { overrides, headers })['code-generation']

type ColumnInput = z.input<typeof ColumnBodySchema>

const businessBody = (table_name: string, extra: Record<string, unknown> = {}) => ({
  app_name: 'shop',
  table_name,
  doc_comment: 'Shop things',
  ...extra,
})

async function createBusiness(table: string, extra: Record<string, unknown> = {}): Promise<number> {
  const created = await answer(gen(tokens.admin).businesses.$post({ json: businessBody(table, extra) }))
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  expect(created.data).toBeNull()
  const all = await answer(gen(tokens.admin).businesses.all.$get())
  return all.data.find((b) => b.table_name === table)?.id ?? -1
}

async function addColumn(business: number, name: string, extra: Partial<ColumnInput> = {}): Promise<number> {
  const body: ColumnInput = { name, type: 'varchar', sort: 1, length: 32, gen_business_id: business, ...extra }
  const created = await answer(gen(tokens.admin).columns.$post({ json: body }))
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  const rows = await fileDb().select().from(genColumn).where(eq(genColumn.genBusinessId, business))
  return rows.find((r) => r.name === name)?.id ?? -1
}

describe('seed', () => {
  it('adds the top-level menu and its eight buttons, the column buttons carrying codegen:column:*', async () => {
    const names = ['PluginCodeGenerator', 'AddGenCodeModel', 'EditGenCodeModel', 'DeleteGenCodeModel', 'WriteGenCode']
    const menus = await fileDb().select().from(sysMenu).where(inArray(sysMenu.name, names))
    const byName = new Map(menus.map((m) => [m.name, m]))
    expect(byName.get('PluginCodeGenerator')).toMatchObject({
      title: 'code_generator.menu',
      parentId: null,
      path: '/plugins/code-generator',
      component: '/plugins/code_generator/views/index',
      icon: 'tabler:code',
      type: 1,
      sort: 10,
    })
    const parentId = byName.get('PluginCodeGenerator')?.id
    expect(byName.get('AddGenCodeModel')).toMatchObject({ parentId, type: 2, perms: 'codegen:column:add' })
    expect(byName.get('EditGenCodeModel')).toMatchObject({ parentId, perms: 'codegen:column:edit' })
    expect(byName.get('DeleteGenCodeModel')).toMatchObject({ parentId, perms: 'codegen:column:del' })
    expect(byName.get('WriteGenCode')).toMatchObject({ parentId, perms: 'codegen:local:write' })
    const buttons = await fileDb()
      .select()
      .from(sysMenu)
      .where(eq(sysMenu.parentId, parentId ?? -1))
    expect(buttons).toHaveLength(8)
  })
})

describe('/code-generation/businesses', () => {
  it('creates, reads (detail, all, paged by table_name, id desc), updates and deletes a business', async () => {
    const first = await createBusiness('paged_one')
    const second = await createBusiness('paged_two', { class_name: 'Two', api_version: 'v2', gen_path: 'out' })
    const detail = await answer(gen(tokens.admin).businesses[':pk'].$get({ param: { pk: String(second) } }))
    expect(detail.data).toEqual({
      id: second,
      app_name: 'shop',
      table_name: 'paged_two',
      doc_comment: 'Shop things',
      table_comment: null,
      class_name: 'Two',
      schema_name: null,
      filename: null,
      datetime_mixin: true,
      api_version: 'v2',
      tag: null,
      gen_path: 'out',
      remark: null,
      created_time: anyDatetime(),
      updated_time: null,
    })
    const page = await answer(gen(tokens.admin).businesses.$get({ query: { table_name: 'paged_', size: '1' } }))
    expect(page.data).toMatchObject({ total: 2, page: 1, size: 1, total_pages: 2 })
    expect(page.data.items.map((b) => b.id)).toEqual([second])

    const updated = await answer(
      gen(tokens.admin).businesses[':pk'].$put({ param: { pk: String(first) }, json: businessBody('paged_one_b') }),
    )
    expect(updated.status).toBe(200)
    const after = await answer(gen(tokens.admin).businesses[':pk'].$get({ param: { pk: String(first) } }))
    expect(after.data).toMatchObject({ table_name: 'paged_one_b', updated_time: anyDatetime() })

    const column = await addColumn(first, 'title')
    expect((await answer(gen(tokens.admin).businesses[':pk'].$delete({ param: { pk: String(first) } }))).status).toBe(
      200,
    )
    expect((await failure(gen(tokens.admin).businesses[':pk'].$get({ param: { pk: String(first) } }))).status).toBe(404)
    // Its columns went with it (fba leaves them behind).
    expect((await failure(gen(tokens.admin).columns[':pk'].$get({ param: { pk: String(column) } }))).status).toBe(404)
  })

  it('answers 409 for a second business of the same table, 404 for an unknown one', async () => {
    const id = await createBusiness('dup_table')
    const dup = await failure(gen(tokens.admin).businesses.$post({ json: businessBody('dup_table') }))
    expect(dup.status).toBe(409)
    expect(dup.body.msg).toBe('A code generation business for this table already exists')
    await createBusiness('dup_other')
    const clash = await failure(
      gen(tokens.admin).businesses[':pk'].$put({ param: { pk: String(id) }, json: businessBody('dup_other') }),
    )
    expect(clash.status).toBe(409)
    const missing = await failure(gen(tokens.admin).businesses[':pk'].$get({ param: { pk: '999999' } }))
    expect(missing.body).toMatchObject({ code: 404, msg: 'Code generation business not found' })
    expect((await failure(gen(tokens.admin).businesses[':pk'].$delete({ param: { pk: '999999' } }))).status).toBe(404)
    expect((await failure(gen(tokens.admin).businesses[':pk'].$get({ param: { pk: '999999' } }))).status).toBe(404)
  })

  it("answers fba's 400 for an app or table name that is not letters and underscores (localized)", async () => {
    for (const [field, json] of [
      ['app_name', businessBody('ok_name', { app_name: '1shop' })],
      ['table_name', businessBody('bad-name')],
      ['table_name', businessBody('_leading')],
    ] as const) {
      const bad = await failure(gen(tokens.admin).businesses.$post({ json }))
      expect(bad.status).toBe(400)
      expect(bad.body.msg).toBe(
        `${field} must start with an English letter and hold only English letters and underscores`,
      )
    }
    const zh = await failure(
      gen(tokens.admin, undefined, { 'Accept-Language': 'zh-CN' }).businesses.$post({ json: businessBody('bad-name') }),
    )
    expect(zh.body.msg).toBe('table_name 必须以英文字母开头且只能包含英文字母和下划线')
  })

  it('needs a signed-in user to read and codegen:business:add|edit|del to write', async () => {
    expect((await failure(gen().businesses.all.$get())).status).toBe(401)
    expect((await failure(gen(tokens.test).businesses.$post({ json: businessBody('perm_table') }))).status).toBe(403)
    const adder = await signedInWith(['codegen:business:add'])
    expect((await answer(gen(adder).businesses.$post({ json: businessBody('perm_table') }))).status).toBe(200)
    expect((await answer(gen(tokens.test).businesses.all.$get())).status).toBe(200)
  })
})

describe('/code-generation/columns', () => {
  it('lists the column types, sorted', async () => {
    const types = await answer(gen(tokens.test).columns.types.$get())
    expect(types.data).toEqual([
      'BIGINT',
      'BLOB',
      'BOOLEAN',
      'DATE',
      'DATETIME',
      'DECIMAL',
      'DOUBLE',
      'INTEGER',
      'TEXT',
      'VARCHAR',
    ])
  })

  it('creates (type normalized, pd_type derived), reads, updates and deletes a column; the business lists them by sort', async () => {
    const business = await createBusiness('col_table')
    const second = await addColumn(business, 'b_second', { sort: 2, type: 'integer' })
    const first = await addColumn(business, 'a_first', { sort: 1, comment: 'First', default: "'x'" })
    const detail = await answer(gen(tokens.admin).columns[':pk'].$get({ param: { pk: String(second) } }))
    expect(detail.data).toEqual({
      id: second,
      name: 'b_second',
      comment: null,
      type: 'INTEGER',
      pd_type: 'int',
      default: null,
      sort: 2,
      length: 32,
      is_pk: false,
      is_nullable: false,
      gen_business_id: business,
    })
    const listed = await answer(gen(tokens.admin).businesses[':pk'].columns.$get({ param: { pk: String(business) } }))
    expect(listed.data.map((c) => c.name)).toEqual(['a_first', 'b_second'])

    const body = { name: 'a_renamed', type: 'TEXT', sort: 1, length: 0, gen_business_id: business }
    const updated = await answer(gen(tokens.admin).columns[':pk'].$put({ param: { pk: String(first) }, json: body }))
    expect(updated.status).toBe(200)
    expect((await answer(gen(tokens.admin).columns[':pk'].$get({ param: { pk: String(first) } }))).data).toMatchObject({
      name: 'a_renamed',
      type: 'TEXT',
      pd_type: 'str',
      comment: null,
    })
    expect((await answer(gen(tokens.admin).columns[':pk'].$delete({ param: { pk: String(first) } }))).status).toBe(200)
    expect((await failure(gen(tokens.admin).columns[':pk'].$delete({ param: { pk: String(first) } }))).status).toBe(404)
  })

  it('answers 409 for a name taken in the business, 404 for an unknown business or column, 422 for an unknown type', async () => {
    const business = await createBusiness('col_errors')
    const a = await addColumn(business, 'a')
    await addColumn(business, 'b')
    const json = { name: 'a', type: 'VARCHAR', sort: 1, length: 8, gen_business_id: business }
    const dup = await failure(gen(tokens.admin).columns.$post({ json }))
    expect(dup.body).toMatchObject({ code: 409, msg: 'A model column with this name already exists' })
    const rename = await failure(
      gen(tokens.admin).columns[':pk'].$put({ param: { pk: String(a) }, json: { ...json, name: 'b' } }),
    )
    expect(rename.status).toBe(409)
    const orphan = await failure(gen(tokens.admin).columns.$post({ json: { ...json, gen_business_id: 999999 } }))
    expect(orphan.body.msg).toBe('Code generation business not found')
    const missing = await failure(gen(tokens.admin).columns[':pk'].$get({ param: { pk: '999999' } }))
    expect(missing.body).toMatchObject({ code: 404, msg: 'Code generation model column not found' })
    const badType = await failure(gen(tokens.admin).columns.$post({ json: { ...json, name: 'c', type: 'GEOMETRY' } }))
    expect(badType.status).toBe(422)
    expect(badType.errors.map((e) => e.loc)).toContainEqual(['body', 'type'])
    expect((await failure(gen(tokens.test).columns.$post({ json: { ...json, name: 'd' } }))).status).toBe(403)
  })
})

describe('/code-generation/generations', () => {
  it('lists the database tables (not internal or gen_* ones) to callers holding codegen:table:import', async () => {
    expect((await failure(gen().generations.tables.$get({ query: {} }))).status).toBe(401)
    expect((await failure(gen(tokens.test).generations.tables.$get({ query: {} }))).status).toBe(403)
    const importer = await signedInWith(['codegen:table:import'])
    const tables = await answer(gen(importer).generations.tables.$get({ query: { table_schema: 'main' } }))
    expect(tables.data).toContainEqual({ table_name: 'shop_item', table_comment: null })
    expect(tables.data).toContainEqual({ table_name: 'sys_user', table_comment: null })
    const names = tables.data.map((t) => t.table_name)
    expect(names.filter((n) => /^(sqlite_|gen_|__drizzle|_cf_|libsql_)/.test(n))).toEqual([])
  })

  it('imports a table as a business with its columns (development only): types, lengths, defaults, pk, mixin', async () => {
    const json = { app: 'shop', table_schema: 'main', table_name: 'shop_item' }
    const outside = await failure(gen(tokens.admin).generations.imports.$post({ json }))
    expect(outside.body).toMatchObject({ code: 403, msg: 'Only available in development (ENVIRONMENT=development)' })

    expect((await answer(gen(tokens.admin, DEV).generations.imports.$post({ json }))).status).toBe(200)
    const all = await answer(gen(tokens.admin).businesses.all.$get())
    const business = all.data.find((b) => b.table_name === 'shop_item')
    expect(business).toMatchObject({ app_name: 'shop', doc_comment: 'Shop item', datetime_mixin: true })
    const columns = await answer(
      gen(tokens.admin).businesses[':pk'].columns.$get({ param: { pk: String(business?.id) } }),
    )
    expect(
      columns.data.map(({ name, type, length, is_pk, is_nullable, default: d, sort }) => ({
        name,
        type,
        length,
        is_pk,
        is_nullable,
        default: d,
        sort,
      })),
    ).toEqual([
      { name: 'id', type: 'INTEGER', length: 0, is_pk: true, is_nullable: false, default: null, sort: 1 },
      { name: 'title', type: 'VARCHAR', length: 64, is_pk: false, is_nullable: false, default: null, sort: 2 },
      { name: 'price', type: 'DECIMAL', length: 0, is_pk: false, is_nullable: false, default: '0', sort: 3 },
      { name: 'in_stock', type: 'BOOLEAN', length: 0, is_pk: false, is_nullable: false, default: '1', sort: 4 },
      { name: 'note', type: 'TEXT', length: 0, is_pk: false, is_nullable: true, default: null, sort: 5 },
    ])

    const again = await failure(gen(tokens.admin, DEV).generations.imports.$post({ json }))
    expect(again.body).toMatchObject({ code: 409, msg: 'A business for the same database table already exists' })
    const unknown = await failure(
      gen(tokens.admin, DEV).generations.imports.$post({ json: { ...json, table_name: 'nope' } }),
    )
    expect(unknown.body).toMatchObject({ code: 404, msg: 'Database table not found' })
    const internal = await failure(
      gen(tokens.admin, DEV).generations.imports.$post({ json: { ...json, table_name: 'gen_business' } }),
    )
    expect(internal.status).toBe(404)
    const badName = await failure(gen(tokens.admin, DEV).generations.imports.$post({ json: { ...json, app: '9app' } }))
    expect(badName.status).toBe(400)
  })

  it('previews, lists the paths of and downloads the generated module', async () => {
    await answer(
      gen(tokens.admin, DEV).generations.imports.$post({
        json: { app: 'shop', table_schema: 'main', table_name: 'shop_blob' },
      }),
    )
    const business = await createBusiness('shop_widget', { gen_path: 'generated/' })
    await addColumn(business, 'label', { length: 40 })
    await addColumn(business, 'weight', { type: 'DOUBLE', is_nullable: true, sort: 2 })

    const preview = await answer(gen(tokens.test).generations[':pk'].preview.$get({ param: { pk: String(business) } }))
    const spec = GenBusinessSpecSchema.parse({
      ...businessBody('shop_widget', { gen_path: 'generated/' }),
      columns: [
        { name: 'label', type: 'VARCHAR', sort: 1, length: 40 },
        { name: 'weight', type: 'DOUBLE', sort: 2, length: 32, is_nullable: true },
      ],
    })
    expect(preview.data).toEqual(generateModule(spec).files)
    expect(Object.keys(preview.data)).toContain('src/domains/shop-widget/routes.v1.ts')

    const paths = await answer(gen(tokens.test).generations[':pk'].paths.$get({ param: { pk: String(business) } }))
    expect(paths.data).toEqual(Object.keys(preview.data).map((p) => `generated/${p}`))

    const res = await gen(tokens.test).generations[':pk'].$get({ param: { pk: String(business) } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/x-zip-compressed')
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename=stratum_generator.zip')
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
    expect(Object.keys(files)).toEqual(Object.keys(preview.data))
    const schema = new TextDecoder().decode(files['src/domains/shop-widget/schema.ts'])
    expect(schema).toBe(preview.data['src/domains/shop-widget/schema.ts'])

    const renamed = await gen(tokens.test, { CODE_GENERATOR_DOWNLOAD_ZIP_FILENAME: 'mine' }).generations[':pk'].$get({
      param: { pk: String(business) },
    })
    expect(renamed.headers.get('Content-Disposition')).toBe('attachment; filename=mine.zip')
    await renamed.body?.cancel()

    // A table the generator cannot turn into code: a 400 saying why.
    const all = await answer(gen(tokens.admin).businesses.all.$get())
    const blob = all.data.find((b) => b.table_name === 'shop_blob')?.id
    const refused = await failure(gen(tokens.test).generations[':pk'].preview.$get({ param: { pk: String(blob) } }))
    expect(refused.status).toBe(400)
    expect(refused.body.msg).toMatch(/^Cannot generate code: shop_blob\.payload: BLOB columns have no JSON form/)
    expect((await failure(gen(tokens.test).generations[':pk'].paths.$get({ param: { pk: '999999' } }))).status).toBe(
      404,
    )
    expect((await failure(gen().generations[':pk'].preview.$get({ param: { pk: String(business) } }))).status).toBe(401)
  })

  it('writes only in development, with codegen:local:write, through the local writer of `npm run dev`', async () => {
    const business = await createBusiness(unique('write', '_').replace(/\d/g, 'x'))
    await addColumn(business, 'label')
    const param = { pk: String(business) }
    expect((await failure(gen(tokens.test, DEV).generations[':pk'].$post({ param, query: {} }))).status).toBe(403)
    const outside = await failure(gen(tokens.admin).generations[':pk'].$post({ param, query: {} }))
    expect(outside.body).toMatchObject({ code: 403, msg: 'Only available in development (ENVIRONMENT=development)' })
    const logs = expectLogs({ status: 503 })
    const noWriter = await failure(gen(tokens.admin, DEV).generations[':pk'].$post({ param, query: {} }))
    expect(noWriter.status).toBe(503)
    expect(noWriter.body.msg).toMatch(/^No local code writer is running/)
    expect(logs.lines).toHaveLength(1)
  })
})
