/**
 * The `dict` plugin (docs/fba-compatibility.md, "Dict plugin"; its seed rows in "Seed data"): dictionary types and
 * values — shapes, filters, orders, 404/409/422, access, the cached lookups and their invalidation, the seed.
 */
import type { z } from '@hono/zod-openapi'
import { eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { sysMenu } from '../../src/domains/menus/schema'
import { dictPlugin } from '../../src/plugins/dict'
import type { DictDataBodySchema, DictTypeBodySchema } from '../../src/plugins/dict/dto'
import type { dictRoutes } from '../../src/plugins/dict/routes.v1'
import { sysDictData, sysDictType } from '../../src/plugins/dict/schema'
import { seedAndSignIn } from '../helpers/auth'
import { fileDb } from '../helpers/database'
import { anyDatetime, DATETIME, RELAXED_AUTH_LIMITS, unique } from '../helpers/fixtures'
import { answer, api, failure, send } from '../helpers/harness'

const TYPES = '/api/v1/sys/dict-types'
const DATAS = '/api/v1/sys/dict-datas'

const TYPE_KEYS = ['id', 'name', 'code', 'remark', 'created_time', 'updated_time'].sort()
const DATA_KEYS = [
  'id',
  'type_id',
  'type_code',
  'label',
  'value',
  'color',
  'sort',
  'status',
  'remark',
  'created_time',
  'updated_time',
].sort()

const SEEDED_CODES = [
  'sys_status',
  'sys_choose',
  'sys_menu_type',
  'sys_login_status',
  'sys_data_rule_operator',
  'sys_data_rule_expression',
  'sys_frontend_config',
  'task_strategy_type',
  'task_period_type',
  'notice',
  'user_online_status',
  'sys_plugin_type',
]

const tokens = seedAndSignIn(['admin', 'test'], { overrides: RELAXED_AUTH_LIMITS })

/** The dictionary routes, signed in as `token` when given. */
const dict = (token?: string, headers?: Record<string, string>) => api<typeof dictRoutes>(token, { headers }).sys
const types = (token?: string) => dict(token)['dict-types']
const datas = (token?: string) => dict(token)['dict-datas']
const typeById = (pk: number | string) => types(tokens.admin)[':pk'].$get({ param: { pk: String(pk) } })
const dataById = (pk: number | string) => datas(tokens.admin)[':pk'].$get({ param: { pk: String(pk) } })
const byTypeCode = (code: string) => datas(tokens.admin)['type-codes'][':code'].$get({ param: { code } })
const updateType = (pk: number | string, json: TypeInput) =>
  types(tokens.admin)[':pk'].$put({ param: { pk: String(pk) }, json })
const updateData = (pk: number | string, json: DataInput) =>
  datas(tokens.admin)[':pk'].$put({ param: { pk: String(pk) }, json })

type TypeInput = z.input<typeof DictTypeBodySchema>
type DataInput = z.input<typeof DictDataBodySchema>

async function createType(fields: Partial<TypeInput> = {}) {
  const body = { name: unique('类型', '_'), code: unique('t', '_'), remark: null, ...fields }
  const created = await answer(types(tokens.admin).$post({ json: body }))
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  const [row] = await fileDb().select().from(sysDictType).where(eq(sysDictType.code, body.code))
  return row!
}

const dataBody = (typeId: number, fields: Partial<DataInput> = {}) => ({
  type_id: typeId,
  label: unique('label', '_'),
  value: unique('v', '_'),
  color: 'green',
  sort: 1,
  status: 1,
  remark: null,
  ...fields,
})

async function createData(typeId: number, fields: Partial<DataInput> = {}) {
  const body = dataBody(typeId, fields)
  const created = await answer(datas(tokens.admin).$post({ json: body }))
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  const [row] = await fileDb().select().from(sysDictData).where(eq(sysDictData.label, body.label))
  return row!
}

describe('seed', () => {
  it('holds the 12 dictionary types and 36 values of the contract', async () => {
    const types = await fileDb()
      .select()
      .from(sysDictType)
      .where(
        inArray(
          sysDictType.id,
          [...Array(12).keys()].map((i) => i + 1),
        ),
      )
    expect(types.map((t) => t.code)).toEqual(SEEDED_CODES)
    const values = await fileDb()
      .select()
      .from(sysDictData)
      .where(
        inArray(
          sysDictData.typeId,
          [...Array(12).keys()].map((i) => i + 1),
        ),
      )
    expect(values).toHaveLength(36)
    expect(values.every((v) => v.status === 1)).toBe(true)
    expect(values.find((v) => v.id === 2)).toMatchObject({
      typeId: 1,
      typeCode: 'sys_status',
      label: '正常',
      value: '1',
      color: 'green',
      sort: 2,
      remark: '正常状态',
    })
    expect(values.find((v) => v.id === 30)).toMatchObject({ typeCode: 'task_period_type', value: 'microseconds' })
    // Every value carries its type's code.
    const codeOf = new Map(types.map((t) => [t.id, t.code]))
    expect(values.every((v) => v.typeCode === codeOf.get(v.typeId))).toBe(true)
  })

  it('is idempotent', async () => {
    const db = fileDb()
    const [first, ...rest] = dictPlugin.seed({ db })
    const results = (await db.batch([first!, ...rest])) as { rowsAffected: number }[]
    expect(results.map((r) => r.rowsAffected)).toEqual([0, 0])
  })

  it('declares the Dict menu under System and its six buttons with their permission codes', async () => {
    const menus = dictPlugin.menus
    expect(menus).toHaveLength(7)
    expect(menus[0]).toMatchObject({
      name: 'PluginDict',
      title: 'dict.menu',
      parent: 'System',
      path: '/plugins/dict',
      component: '/plugins/dict/views/index',
      icon: 'fluent-mdl2:dictionary',
      type: 1,
      sort: 8,
      display: 1,
    })
    expect(menus.slice(1).map((m) => [m.title, m.name, m.parent, m.type, m.perms, m.display])).toEqual([
      ['新增类型', 'AddDictType', 'PluginDict', 2, 'dict:type:add', 0],
      ['修改类型', 'EditDictType', 'PluginDict', 2, 'dict:type:edit', 0],
      ['删除类型', 'DeleteDictType', 'PluginDict', 2, 'dict:type:del', 0],
      ['新增数据', 'AddDictData', 'PluginDict', 2, 'dict:data:add', 0],
      ['修改数据', 'EditDictData', 'PluginDict', 2, 'dict:data:edit', 0],
      ['删除数据', 'DeleteDictData', 'PluginDict', 2, 'dict:data:del', 0],
    ])
  })

  it('seeds the menu rows when the database is seeded', async () => {
    const [menu] = await fileDb().select().from(sysMenu).where(eq(sysMenu.name, 'PluginDict'))
    expect(menu).toMatchObject({ title: 'dict.menu', parentId: 4, type: 1, sort: 8, status: 1 })
    const buttons = await fileDb().select().from(sysMenu).where(eq(sysMenu.parentId, menu!.id))
    expect(buttons.map((b) => b.perms).sort()).toEqual(
      ['dict:data:add', 'dict:data:del', 'dict:data:edit', 'dict:type:add', 'dict:type:del', 'dict:type:edit'].sort(),
    )
  })
})

describe('access', () => {
  const reads = (token?: string) =>
    [
      [`${TYPES}/all`, () => types(token).all.$get()],
      [`${TYPES}/1`, () => types(token)[':pk'].$get({ param: { pk: '1' } })],
      [TYPES, () => types(token).$get({ query: {} })],
      [`${DATAS}/all`, () => datas(token).all.$get()],
      [`${DATAS}/1`, () => datas(token)[':pk'].$get({ param: { pk: '1' } })],
      [
        `${DATAS}/type-codes/sys_status`,
        () => datas(token)['type-codes'][':code'].$get({ param: { code: 'sys_status' } }),
      ],
      [DATAS, () => datas(token).$get({ query: {} })],
    ] as const

  it('needs a token for every route', async () => {
    for (const [path, request] of reads()) expect((await request()).status, path).toBe(401)
    expect((await types().$post({ json: { name: 'x', code: 'x' } })).status).toBe(401)
    expect((await types()[':pk'].$put({ param: { pk: '1' }, json: { name: 'x', code: 'x' } })).status).toBe(401)
    expect((await types().$delete({ json: { pks: [999] } })).status).toBe(401)
    expect((await datas().$post({ json: dataBody(1) })).status).toBe(401)
    expect((await datas()[':pk'].$put({ param: { pk: '1' }, json: dataBody(1) })).status).toBe(401)
    expect((await datas().$delete({ json: { pks: [999] } })).status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    for (const [path, request] of reads(tokens.test)) expect((await request()).status, path).toBe(200)
    expect((await types(tokens.test).$post({ json: { name: 'x', code: unique('x', '_') } })).status).toBe(403)
    const rename = { name: 'x', code: 'sys_status' }
    expect((await types(tokens.test)[':pk'].$put({ param: { pk: '1' }, json: rename })).status).toBe(403)
    expect((await types(tokens.test).$delete({ json: { pks: [999] } })).status).toBe(403)
    expect((await datas(tokens.test).$post({ json: dataBody(1) })).status).toBe(403)
    expect((await datas(tokens.test)[':pk'].$put({ param: { pk: '1' }, json: dataBody(1) })).status).toBe(403)
    expect((await datas(tokens.test).$delete({ json: { pks: [999] } })).status).toBe(403)
  })
})

describe('dictionary types', () => {
  it('GET /all lists every type with the contract fields', async () => {
    const { status, data: all } = await answer(types(tokens.admin).all.$get())
    expect(status).toBe(200)
    expect(all.length).toBeGreaterThanOrEqual(12)
    for (const t of all) expect(Object.keys(t).sort()).toEqual(TYPE_KEYS)
    expect(all.find((t) => t.id === 1)).toEqual({
      id: 1,
      name: '通用状态',
      code: 'sys_status',
      remark: '系统通用状态：1/0',
      created_time: anyDatetime(),
      updated_time: null,
    })
  })

  it('GET /{pk} answers the type or 404', async () => {
    const { status, data } = await answer(typeById(2))
    expect(status).toBe(200)
    expect(data).toMatchObject({ id: 2, name: '通用开关', code: 'sys_choose' })
    const missing = await failure(typeById(99999))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Dictionary type not found')
    expect((await typeById('abc')).status).toBe(422)
  })

  it('GET pages newest first and filters name and code by substring', async () => {
    const a = await createType({ name: unique('Alpha', '_'), code: unique('paging_', '_') })
    const b = await createType({ name: unique('Alpha', '_'), code: unique('paging_', '_') })
    const list = (query: Record<string, string>) => answer(types(tokens.admin).$get({ query }))
    const { status, data: page } = await list({ page: '1', size: '2' })
    expect(status).toBe(200)
    expect(page.items.map((t) => t.id)).toEqual([b.id, a.id])
    expect(page.page).toBe(1)
    expect(page.size).toBe(2)
    expect(page.total).toBeGreaterThanOrEqual(14)
    expect(page.total_pages).toBe(Math.ceil(page.total / 2))
    expect(page.links.first).toBe('/api/v1/sys/dict-types?page=1&size=2')

    const byCode = (await list({ code: 'paging_' })).data
    expect(byCode.items.map((t) => t.code)).toEqual([b.code, a.code])
    const byName = (await list({ name: a.name })).data
    expect(byName.items.map((t) => t.id)).toEqual([a.id])
    // LIKE wildcards in the input match literally.
    expect((await list({ code: '%' })).data.total).toBe(0)
  })

  it('POST creates a type; a taken code is a 409; the body is validated', async () => {
    const code = unique('new_', '_')
    const created = await answer(types(tokens.admin).$post({ json: { name: '新类型', code, remark: 'r' } }))
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ code: 200, data: null })
    const [row] = await fileDb().select().from(sysDictType).where(eq(sysDictType.code, code))
    expect(row).toMatchObject({ name: '新类型', remark: 'r' })

    const dup = await failure(types(tokens.admin).$post({ json: { name: 'other', code } }))
    expect(dup.status).toBe(409)
    expect(dup.body.msg).toBe('Dictionary type already exists')
    expect((await types(tokens.admin).$post({ json: { name: 'other', code: 'sys_status' } })).status).toBe(409)

    const missing = await failure(send('POST', TYPES, { token: tokens.admin, json: { code: unique('c', '_') } }))
    expect(missing.status).toBe(422)
    expect(missing.errors[0]?.loc).toEqual(['body', 'name'])
    const tooLong = await failure(types(tokens.admin).$post({ json: { name: 'x', code: 'c'.repeat(33) } }))
    expect(tooLong.status).toBe(422)
    expect(tooLong.errors[0]?.loc).toEqual(['body', 'code'])
  })

  it('PUT updates a type: 404 unknown, 409 on a code taken by another type', async () => {
    const type = await createType()
    const ok = await updateType(type.id, { name: 'renamed', code: type.code, remark: 'new' })
    expect(ok.status).toBe(200)
    const detail = await answer(typeById(type.id))
    expect(detail.data).toMatchObject({ name: 'renamed', code: type.code, remark: 'new' })
    expect(detail.data.updated_time).toMatch(DATETIME)

    expect((await updateType(99999, { name: 'x', code: unique('c', '_') })).status).toBe(404)
    const taken = await updateType(type.id, { name: 'x', code: 'sys_status' })
    expect(taken.status).toBe(409)
  })

  it('PUT with a new code carries it over to the type’s values and their lookup', async () => {
    const type = await createType()
    const value = await createData(type.id)
    expect((await byTypeCode(type.code)).status).toBe(200)
    const newCode = unique('renamed_', '_')
    expect((await updateType(type.id, { name: type.name, code: newCode })).status).toBe(200)
    const [row] = await fileDb().select().from(sysDictData).where(eq(sysDictData.id, value.id))
    expect(row?.typeCode).toBe(newCode)
    expect((await byTypeCode(type.code)).status).toBe(404)
    const moved = await answer(byTypeCode(newCode))
    expect(moved.status).toBe(200)
    expect(moved.data.map((d) => d.id)).toEqual([value.id])
  })

  it('DELETE removes the types and their values together; unknown ids are ignored', async () => {
    const a = await createType()
    const b = await createType()
    await createData(a.id)
    await createData(a.id)
    await createData(b.id)
    const { status, body } = await answer(types(tokens.admin).$delete({ json: { pks: [a.id, b.id, 99999] } }))
    expect(status).toBe(200)
    expect(body.data).toBeNull()
    expect(
      await fileDb()
        .select()
        .from(sysDictType)
        .where(inArray(sysDictType.id, [a.id, b.id])),
    ).toEqual([])
    expect(
      await fileDb()
        .select()
        .from(sysDictData)
        .where(inArray(sysDictData.typeId, [a.id, b.id])),
    ).toEqual([])
    expect((await byTypeCode(a.code)).status).toBe(404)

    expect((await types(tokens.admin).$delete({ json: { pks: [] } })).status).toBe(422)
    expect((await send('DELETE', TYPES, { token: tokens.admin, json: [a.id] })).status).toBe(422)
  })
})

describe('dictionary values', () => {
  it('GET /all lists every value with the contract fields', async () => {
    const { status, data: values } = await answer(datas(tokens.admin).all.$get())
    expect(status).toBe(200)
    expect(values.length).toBeGreaterThanOrEqual(36)
    for (const v of values) expect(Object.keys(v).sort()).toEqual(DATA_KEYS)
    expect(values.find((v) => v.id === 1)).toEqual({
      id: 1,
      type_id: 1,
      type_code: 'sys_status',
      label: '停用',
      value: '0',
      color: 'red',
      sort: 1,
      status: 1,
      remark: '停用状态',
      created_time: anyDatetime(),
      updated_time: null,
    })
  })

  it('GET /{pk} answers the value or 404', async () => {
    const { status, data } = await answer(dataById(12))
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual(DATA_KEYS)
    expect(data).toMatchObject({ id: 12, type_code: 'sys_data_rule_operator', label: 'AND', value: '0' })
    const missing = await failure(dataById(99999))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Dictionary data not found')
  })

  it('GET /type-codes/{code} answers the enabled values, highest sort first; 404 when there are none', async () => {
    const seeded = await answer(byTypeCode('sys_menu_type'))
    expect(seeded.status).toBe(200)
    const rows = seeded.data
    expect(rows.map((r) => r.label)).toEqual(['外链', '内嵌', '按钮', '菜单', '目录'])
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(DATA_KEYS)

    const type = await createType()
    const on = await createData(type.id, { sort: 1 })
    const top = await createData(type.id, { sort: 9 })
    await createData(type.id, { sort: 5, status: 0 })
    const lookup = await answer(byTypeCode(type.code))
    expect(lookup.data.map((d) => d.id)).toEqual([top.id, on.id])

    const unknown = await failure(byTypeCode('no_such_code'))
    expect(unknown.status).toBe(404)
    expect(unknown.body.msg).toBe('Dictionary data not found')
    const onlyDisabled = await createType()
    await createData(onlyDisabled.id, { status: 0 })
    expect((await byTypeCode(onlyDisabled.code)).status).toBe(404)
  })

  it('GET pages in sort order and filters by type_code (exact), label, value, status and type_id', async () => {
    const type = await createType()
    const b = await createData(type.id, { sort: 2, label: unique('Beta', '_'), value: 'bb1' })
    const a = await createData(type.id, { sort: 1, label: unique('Alpha', '_'), value: 'aa1' })
    const c = await createData(type.id, { sort: 3, label: unique('Gamma', '_'), value: 'cc1', status: 0 })
    const list = (query: Record<string, string>) => datas(tokens.admin).$get({ query })
    const ids = async (query: Record<string, string>) => {
      const { status, data } = await answer(list(query))
      expect(status, new URLSearchParams(query).toString()).toBe(200)
      return data.items.map((i) => i.id)
    }
    const typeId = String(type.id)
    expect(await ids({ type_id: typeId })).toEqual([a.id, b.id, c.id])
    expect(await ids({ type_code: type.code })).toEqual([a.id, b.id, c.id])
    expect(await ids({ type_code: type.code.slice(0, -1) })).toEqual([])
    expect(await ids({ type_id: typeId, label: 'Alph' })).toEqual([a.id])
    expect(await ids({ type_id: typeId, value: 'b1' })).toEqual([b.id])
    expect(await ids({ type_id: typeId, status: '0' })).toEqual([c.id])
    expect(await ids({ type_id: typeId, status: '1', page: '2', size: '1' })).toEqual([b.id])

    const page = await answer(list({ type_id: typeId, size: '2' }))
    expect(page.data).toMatchObject({ total: 3, page: 1, size: 2, total_pages: 2 })
    expect((await list({ status: '2' })).status).toBe(422)
    expect((await list({ type_id: 'x' })).status).toBe(422)
  })

  it('POST stores the type’s code; 404 for an unknown type; 409 for a label taken within the type', async () => {
    const type = await createType()
    const label = unique('label', '_')
    const created = await datas(tokens.admin).$post({ json: dataBody(type.id, { label, value: '1', color: null }) })
    expect(created.status).toBe(200)
    const [row] = await fileDb().select().from(sysDictData).where(eq(sysDictData.label, label))
    expect(row).toMatchObject({ typeId: type.id, typeCode: type.code, value: '1', color: null, status: 1 })

    const unknownType = await failure(datas(tokens.admin).$post({ json: dataBody(99999) }))
    expect(unknownType.status).toBe(404)
    expect(unknownType.body.msg).toBe('Dictionary type not found')

    const dup = await failure(datas(tokens.admin).$post({ json: dataBody(type.id, { label }) }))
    expect(dup.status).toBe(409)
    expect(dup.body.msg).toBe('Dictionary data already exists')
    // The same label in another type is fine.
    const other = await createType()
    expect((await datas(tokens.admin).$post({ json: dataBody(other.id, { label }) })).status).toBe(200)
  })

  it('POST validates the body', async () => {
    const { type_id: _, ...noType } = dataBody(1)
    const missing = await failure(send('POST', DATAS, { token: tokens.admin, json: noType }))
    expect(missing.status).toBe(422)
    expect(missing.errors[0]?.loc).toEqual(['body', 'type_id'])
    const badStatus = await failure(datas(tokens.admin).$post({ json: dataBody(1, { status: 2 }) }))
    expect(badStatus.status).toBe(422)
    expect(badStatus.errors[0]?.loc).toEqual(['body', 'status'])
    const badSort = await failure(send('POST', DATAS, { token: tokens.admin, json: { ...dataBody(1), sort: 'first' } }))
    expect(badSort.errors[0]?.loc).toEqual(['body', 'sort'])
    const longLabel = await failure(datas(tokens.admin).$post({ json: dataBody(1, { label: 'x'.repeat(33) }) }))
    expect(longLabel.errors[0]?.loc).toEqual(['body', 'label'])
  })

  it('PUT updates a value, moving it to another type if asked; 404 and 409 as on create', async () => {
    const type = await createType()
    const other = await createType()
    const value = await createData(type.id)
    const taken = await createData(other.id)

    const updated = await updateData(value.id, dataBody(type.id, { label: value.label, value: 'z', sort: 7 }))
    expect(updated.status).toBe(200)
    const detail = await answer(dataById(value.id))
    expect(detail.data).toMatchObject({ label: value.label, value: 'z', sort: 7, type_code: type.code })
    expect(detail.data.updated_time).toMatch(DATETIME)

    const moved = await updateData(value.id, dataBody(other.id, { label: value.label }))
    expect(moved.status).toBe(200)
    const [row] = await fileDb().select().from(sysDictData).where(eq(sysDictData.id, value.id))
    expect(row).toMatchObject({ typeId: other.id, typeCode: other.code })

    expect((await updateData(99999, dataBody(type.id))).status).toBe(404)
    const noType = await failure(updateData(value.id, dataBody(99999)))
    expect(noType.status).toBe(404)
    expect(noType.body.msg).toBe('Dictionary type not found')
    const dup = await updateData(value.id, dataBody(other.id, { label: taken.label }))
    expect(dup.status).toBe(409)
  })

  it('DELETE removes the values; unknown ids are ignored', async () => {
    const type = await createType()
    const a = await createData(type.id)
    const b = await createData(type.id)
    const { status } = await answer(datas(tokens.admin).$delete({ json: { pks: [a.id, 99999] } }))
    expect(status).toBe(200)
    const left = await fileDb().select().from(sysDictData).where(eq(sysDictData.typeId, type.id))
    expect(left.map((r) => r.id)).toEqual([b.id])
    expect((await dataById(a.id)).status).toBe(404)
    expect((await send('DELETE', DATAS, { token: tokens.admin, json: { pks: ['x'] } })).status).toBe(422)
  })

  it('answers errors in the request language', async () => {
    const zh = await failure(
      dict(tokens.admin, { 'Accept-Language': 'zh-CN' })['dict-types'][':pk'].$get({ param: { pk: '99999' } }),
    )
    expect(zh.body.msg).toBe('字典类型不存在')
  })
})

describe('cache', () => {
  it('serves type-code lookups from the cache until a write drops it', async () => {
    const type = await createType()
    const value = await createData(type.id, { value: 'before' })
    const lookup = async () => (await answer(byTypeCode(type.code))).data
    expect((await lookup())[0]?.value).toBe('before')
    // A change behind the API's back is not seen: the answer is cached.
    await fileDb().update(sysDictData).set({ value: 'behind' }).where(eq(sysDictData.id, value.id))
    expect((await lookup())[0]?.value).toBe('before')
    // Any dictionary write drops every cached lookup — here an unrelated type.
    await createType()
    expect((await lookup())[0]?.value).toBe('behind')
  })

  it('serves single values from the cache until a write drops it', async () => {
    const type = await createType()
    const value = await createData(type.id, { value: 'one' })
    const detail = async () => (await answer(dataById(value.id))).data
    expect((await detail()).value).toBe('one')
    await fileDb().update(sysDictData).set({ value: 'two' }).where(eq(sysDictData.id, value.id))
    expect((await detail()).value).toBe('one')
    await updateData(value.id, dataBody(type.id, { label: value.label, value: 'three' }))
    expect((await detail()).value).toBe('three')
  })

  it('makes every kind of write visible on the next read', async () => {
    const type = await createType()
    const lookup = async () => {
      const res = await byTypeCode(type.code)
      return res.status === 200 ? (await answer(res)).data : []
    }
    expect(await lookup()).toEqual([])
    const a = await createData(type.id, { sort: 1 })
    expect((await lookup()).map((d) => d.id)).toEqual([a.id])
    const b = await createData(type.id, { sort: 2 })
    expect((await lookup()).map((d) => d.id)).toEqual([b.id, a.id])
    await updateData(a.id, dataBody(type.id, { label: a.label, sort: 1, status: 0 }))
    expect((await lookup()).map((d) => d.id)).toEqual([b.id])
    await datas(tokens.admin).$delete({ json: { pks: [b.id] } })
    expect(await lookup()).toEqual([])
    await updateData(a.id, dataBody(type.id, { label: a.label, sort: 1, status: 1 }))
    expect((await lookup()).map((d) => d.id)).toEqual([a.id])
    await types(tokens.admin).$delete({ json: { pks: [type.id] } })
    expect(await lookup()).toEqual([])
    expect((await dataById(a.id)).status).toBe(404)
  })
})
