/**
 * The `dict` plugin (contract §2.14, Appendix A.2–A.4): dictionary types and values — shapes, filters, orders,
 * 404/409/422, access, the cached lookups and their invalidation, the seed.
 */
import { eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysMenu } from '../../src/domains/menus/schema'
import { sysConfig } from '../../src/plugins/config/schema'
import { dictPlugin } from '../../src/plugins/dict'
import { sysDictData, sysDictType } from '../../src/plugins/dict/schema'
import { api, DATETIME, errorsOf } from '../domains/depts/helpers'
import { type Body, call } from '../helpers/app'
import { login } from '../helpers/auth'
import { fileDb, seedFileDatabase } from '../helpers/database'

/** Generous limits: this file logs in a few times from the same (unknown) client. */
const RELAXED = { RATE_LIMIT_LOGIN: '1000/60s', RATE_LIMIT_CAPTCHA: '1000/60s' }

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

let admin: string
let tester: string

beforeAll(async () => {
  await seedFileDatabase()
  // The config plugin's seeded LOGIN rows turn the captcha on; this file logs in directly, as the env says.
  await fileDb()
    .update(sysConfig)
    .set({ value: '0' })
    .where(inArray(sysConfig.key, ['LOGIN_CONFIG_STATUS', 'USER_SECURITY_CONFIG_STATUS']))
  admin = (await login('admin', undefined, RELAXED)).accessToken
  tester = (await login('test', undefined, RELAXED)).accessToken
})

let counter = 0
const unique = (prefix: string) => `${prefix}${++counter}_${crypto.randomUUID().slice(0, 6)}`

async function createType(fields: Record<string, unknown> = {}) {
  const body = { name: unique('类型'), code: unique('t'), remark: null, ...fields }
  const { res, body: answer } = await api('POST', TYPES, admin, body)
  expect(res.status, JSON.stringify(answer)).toBe(200)
  const [row] = await fileDb()
    .select()
    .from(sysDictType)
    .where(eq(sysDictType.code, body.code as string))
  return row!
}

const dataBody = (typeId: number, fields: Record<string, unknown> = {}) => ({
  type_id: typeId,
  label: unique('label'),
  value: unique('v'),
  color: 'green',
  sort: 1,
  status: 1,
  remark: null,
  ...fields,
})

async function createData(typeId: number, fields: Record<string, unknown> = {}) {
  const body = dataBody(typeId, fields)
  const { res, body: answer } = await api('POST', DATAS, admin, body)
  expect(res.status, JSON.stringify(answer)).toBe(200)
  const [row] = await fileDb()
    .select()
    .from(sysDictData)
    .where(eq(sysDictData.label, body.label as string))
  return row!
}

const dataOf = <T>(body: Body) => body.data as T

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
  const reads = [
    `${TYPES}/all`,
    `${TYPES}/1`,
    TYPES,
    `${DATAS}/all`,
    `${DATAS}/1`,
    `${DATAS}/type-codes/sys_status`,
    DATAS,
  ]

  it('needs a token for every route', async () => {
    for (const path of reads) expect((await api('GET', path, undefined)).res.status, path).toBe(401)
    expect((await api('POST', TYPES, undefined, { name: 'x', code: 'x' })).res.status).toBe(401)
    expect((await api('PUT', `${TYPES}/1`, undefined, { name: 'x', code: 'x' })).res.status).toBe(401)
    expect((await api('DELETE', TYPES, undefined, { pks: [999] })).res.status).toBe(401)
    expect((await api('POST', DATAS, undefined, dataBody(1))).res.status).toBe(401)
    expect((await api('PUT', `${DATAS}/1`, undefined, dataBody(1))).res.status).toBe(401)
    expect((await api('DELETE', DATAS, undefined, { pks: [999] })).res.status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    for (const path of reads) expect((await api('GET', path, tester)).res.status, path).toBe(200)
    expect((await api('POST', TYPES, tester, { name: 'x', code: unique('x') })).res.status).toBe(403)
    expect((await api('PUT', `${TYPES}/1`, tester, { name: 'x', code: 'sys_status' })).res.status).toBe(403)
    expect((await api('DELETE', TYPES, tester, { pks: [999] })).res.status).toBe(403)
    expect((await api('POST', DATAS, tester, dataBody(1))).res.status).toBe(403)
    expect((await api('PUT', `${DATAS}/1`, tester, dataBody(1))).res.status).toBe(403)
    expect((await api('DELETE', DATAS, tester, { pks: [999] })).res.status).toBe(403)
  })
})

describe('dictionary types', () => {
  it('GET /all lists every type with the contract fields', async () => {
    const { res, body } = await api('GET', `${TYPES}/all`, admin)
    expect(res.status).toBe(200)
    const types = dataOf<Record<string, unknown>[]>(body)
    expect(types.length).toBeGreaterThanOrEqual(12)
    for (const t of types) expect(Object.keys(t).sort()).toEqual(TYPE_KEYS)
    expect(types.find((t) => t.id === 1)).toEqual({
      id: 1,
      name: '通用状态',
      code: 'sys_status',
      remark: '系统通用状态：1/0',
      created_time: expect.stringMatching(DATETIME),
      updated_time: null,
    })
  })

  it('GET /{pk} answers the type or 404', async () => {
    const { res, body } = await api('GET', `${TYPES}/2`, admin)
    expect(res.status).toBe(200)
    expect(body.data).toMatchObject({ id: 2, name: '通用开关', code: 'sys_choose' })
    const missing = await api('GET', `${TYPES}/99999`, admin)
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Dictionary type not found')
    expect((await api('GET', `${TYPES}/abc`, admin)).res.status).toBe(422)
  })

  it('GET pages newest first and filters name and code by substring', async () => {
    const a = await createType({ name: unique('Alpha'), code: unique('paging_') })
    const b = await createType({ name: unique('Alpha'), code: unique('paging_') })
    const { res, body } = await api('GET', `${TYPES}?page=1&size=2`, admin)
    expect(res.status).toBe(200)
    const page = dataOf<{
      items: { id: number }[]
      total: number
      page: number
      size: number
      total_pages: number
      links: Record<string, unknown>
    }>(body)
    expect(page.items.map((t) => t.id)).toEqual([b.id, a.id])
    expect(page.page).toBe(1)
    expect(page.size).toBe(2)
    expect(page.total).toBeGreaterThanOrEqual(14)
    expect(page.total_pages).toBe(Math.ceil(page.total / 2))
    expect(page.links.first).toBe('/api/v1/sys/dict-types?page=1&size=2')

    const byCode = dataOf<{ items: { code: string }[] }>((await api('GET', `${TYPES}?code=paging_`, admin)).body)
    expect(byCode.items.map((t) => t.code)).toEqual([b.code, a.code])
    const byName = dataOf<{ items: { id: number }[] }>(
      (await api('GET', `${TYPES}?name=${encodeURIComponent(a.name)}`, admin)).body,
    )
    expect(byName.items.map((t) => t.id)).toEqual([a.id])
    // LIKE wildcards in the input match literally.
    expect(dataOf<{ total: number }>((await api('GET', `${TYPES}?code=%25`, admin)).body).total).toBe(0)
  })

  it('POST creates a type; a taken code is a 409; the body is validated', async () => {
    const code = unique('new_')
    const created = await api('POST', TYPES, admin, { name: '新类型', code, remark: 'r' })
    expect(created.res.status).toBe(200)
    expect(created.body).toMatchObject({ code: 200, data: null })
    const [row] = await fileDb().select().from(sysDictType).where(eq(sysDictType.code, code))
    expect(row).toMatchObject({ name: '新类型', remark: 'r' })

    const dup = await api('POST', TYPES, admin, { name: 'other', code })
    expect(dup.res.status).toBe(409)
    expect(dup.body.msg).toBe('Dictionary type already exists')
    expect((await api('POST', TYPES, admin, { name: 'other', code: 'sys_status' })).res.status).toBe(409)

    const missing = await api('POST', TYPES, admin, { code: unique('c') })
    expect(missing.res.status).toBe(422)
    expect(errorsOf(missing.body)[0]?.loc).toEqual(['body', 'name'])
    const tooLong = await api('POST', TYPES, admin, { name: 'x', code: 'c'.repeat(33) })
    expect(tooLong.res.status).toBe(422)
    expect(errorsOf(tooLong.body)[0]?.loc).toEqual(['body', 'code'])
  })

  it('PUT updates a type: 404 unknown, 409 on a code taken by another type', async () => {
    const type = await createType()
    const ok = await api('PUT', `${TYPES}/${type.id}`, admin, { name: 'renamed', code: type.code, remark: 'new' })
    expect(ok.res.status).toBe(200)
    const detail = await api('GET', `${TYPES}/${type.id}`, admin)
    expect(detail.body.data).toMatchObject({ name: 'renamed', code: type.code, remark: 'new' })
    expect((detail.body.data as { updated_time: string }).updated_time).toMatch(DATETIME)

    expect((await api('PUT', `${TYPES}/99999`, admin, { name: 'x', code: unique('c') })).res.status).toBe(404)
    const taken = await api('PUT', `${TYPES}/${type.id}`, admin, { name: 'x', code: 'sys_status' })
    expect(taken.res.status).toBe(409)
  })

  it('PUT with a new code carries it over to the type’s values and their lookup', async () => {
    const type = await createType()
    const value = await createData(type.id)
    expect((await api('GET', `${DATAS}/type-codes/${type.code}`, admin)).res.status).toBe(200)
    const newCode = unique('renamed_')
    expect((await api('PUT', `${TYPES}/${type.id}`, admin, { name: type.name, code: newCode })).res.status).toBe(200)
    const [row] = await fileDb().select().from(sysDictData).where(eq(sysDictData.id, value.id))
    expect(row?.typeCode).toBe(newCode)
    expect((await api('GET', `${DATAS}/type-codes/${type.code}`, admin)).res.status).toBe(404)
    const moved = await api('GET', `${DATAS}/type-codes/${newCode}`, admin)
    expect(moved.res.status).toBe(200)
    expect(dataOf<{ id: number }[]>(moved.body).map((d) => d.id)).toEqual([value.id])
  })

  it('DELETE removes the types and their values together; unknown ids are ignored', async () => {
    const a = await createType()
    const b = await createType()
    await createData(a.id)
    await createData(a.id)
    await createData(b.id)
    const { res, body } = await api('DELETE', TYPES, admin, { pks: [a.id, b.id, 99999] })
    expect(res.status).toBe(200)
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
    expect((await api('GET', `${DATAS}/type-codes/${a.code}`, admin)).res.status).toBe(404)

    expect((await api('DELETE', TYPES, admin, { pks: [] })).res.status).toBe(422)
    expect((await api('DELETE', TYPES, admin, [a.id])).res.status).toBe(422)
  })
})

describe('dictionary values', () => {
  it('GET /all lists every value with the contract fields', async () => {
    const { res, body } = await api('GET', `${DATAS}/all`, admin)
    expect(res.status).toBe(200)
    const values = dataOf<Record<string, unknown>[]>(body)
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
      created_time: expect.stringMatching(DATETIME),
      updated_time: null,
    })
  })

  it('GET /{pk} answers the value or 404', async () => {
    const { res, body } = await api('GET', `${DATAS}/12`, admin)
    expect(res.status).toBe(200)
    expect(Object.keys(body.data as object).sort()).toEqual(DATA_KEYS)
    expect(body.data).toMatchObject({ id: 12, type_code: 'sys_data_rule_operator', label: 'AND', value: '0' })
    const missing = await api('GET', `${DATAS}/99999`, admin)
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Dictionary data not found')
  })

  it('GET /type-codes/{code} answers the enabled values, highest sort first; 404 when there are none', async () => {
    const seeded = await api('GET', `${DATAS}/type-codes/sys_menu_type`, admin)
    expect(seeded.res.status).toBe(200)
    const rows = dataOf<Record<string, unknown>[]>(seeded.body)
    expect(rows.map((r) => r.label)).toEqual(['外链', '内嵌', '按钮', '菜单', '目录'])
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(DATA_KEYS)

    const type = await createType()
    const on = await createData(type.id, { sort: 1 })
    const top = await createData(type.id, { sort: 9 })
    await createData(type.id, { sort: 5, status: 0 })
    const lookup = await api('GET', `${DATAS}/type-codes/${type.code}`, admin)
    expect(dataOf<{ id: number }[]>(lookup.body).map((d) => d.id)).toEqual([top.id, on.id])

    const unknown = await api('GET', `${DATAS}/type-codes/no_such_code`, admin)
    expect(unknown.res.status).toBe(404)
    expect(unknown.body.msg).toBe('Dictionary data not found')
    const onlyDisabled = await createType()
    await createData(onlyDisabled.id, { status: 0 })
    expect((await api('GET', `${DATAS}/type-codes/${onlyDisabled.code}`, admin)).res.status).toBe(404)
  })

  it('GET pages in sort order and filters by type_code (exact), label, value, status and type_id', async () => {
    const type = await createType()
    const b = await createData(type.id, { sort: 2, label: unique('Beta'), value: 'bb1' })
    const a = await createData(type.id, { sort: 1, label: unique('Alpha'), value: 'aa1' })
    const c = await createData(type.id, { sort: 3, label: unique('Gamma'), value: 'cc1', status: 0 })
    const ids = async (query: string) => {
      const { res, body } = await api('GET', `${DATAS}?${query}`, admin)
      expect(res.status, query).toBe(200)
      return dataOf<{ items: { id: number }[] }>(body).items.map((i) => i.id)
    }
    expect(await ids(`type_id=${type.id}`)).toEqual([a.id, b.id, c.id])
    expect(await ids(`type_code=${type.code}`)).toEqual([a.id, b.id, c.id])
    expect(await ids(`type_code=${type.code.slice(0, -1)}`)).toEqual([])
    expect(await ids(`type_id=${type.id}&label=Alph`)).toEqual([a.id])
    expect(await ids(`type_id=${type.id}&value=b1`)).toEqual([b.id])
    expect(await ids(`type_id=${type.id}&status=0`)).toEqual([c.id])
    expect(await ids(`type_id=${type.id}&status=1&page=2&size=1`)).toEqual([b.id])

    const page = await api('GET', `${DATAS}?type_id=${type.id}&size=2`, admin)
    expect(page.body.data).toMatchObject({ total: 3, page: 1, size: 2, total_pages: 2 })
    expect((await api('GET', `${DATAS}?status=2`, admin)).res.status).toBe(422)
    expect((await api('GET', `${DATAS}?type_id=x`, admin)).res.status).toBe(422)
  })

  it('POST stores the type’s code; 404 for an unknown type; 409 for a label taken within the type', async () => {
    const type = await createType()
    const label = unique('label')
    const created = await api('POST', DATAS, admin, dataBody(type.id, { label, value: '1', color: null }))
    expect(created.res.status).toBe(200)
    const [row] = await fileDb().select().from(sysDictData).where(eq(sysDictData.label, label))
    expect(row).toMatchObject({ typeId: type.id, typeCode: type.code, value: '1', color: null, status: 1 })

    const unknownType = await api('POST', DATAS, admin, dataBody(99999))
    expect(unknownType.res.status).toBe(404)
    expect(unknownType.body.msg).toBe('Dictionary type not found')

    const dup = await api('POST', DATAS, admin, dataBody(type.id, { label }))
    expect(dup.res.status).toBe(409)
    expect(dup.body.msg).toBe('Dictionary data already exists')
    // The same label in another type is fine.
    const other = await createType()
    expect((await api('POST', DATAS, admin, dataBody(other.id, { label }))).res.status).toBe(200)
  })

  it('POST validates the body', async () => {
    const { type_id: _, ...noType } = dataBody(1)
    const missing = await api('POST', DATAS, admin, noType)
    expect(missing.res.status).toBe(422)
    expect(errorsOf(missing.body)[0]?.loc).toEqual(['body', 'type_id'])
    const badStatus = await api('POST', DATAS, admin, dataBody(1, { status: 2 }))
    expect(badStatus.res.status).toBe(422)
    expect(errorsOf(badStatus.body)[0]?.loc).toEqual(['body', 'status'])
    const badSort = await api('POST', DATAS, admin, dataBody(1, { sort: 'first' }))
    expect(errorsOf(badSort.body)[0]?.loc).toEqual(['body', 'sort'])
    const longLabel = await api('POST', DATAS, admin, dataBody(1, { label: 'x'.repeat(33) }))
    expect(errorsOf(longLabel.body)[0]?.loc).toEqual(['body', 'label'])
  })

  it('PUT updates a value, moving it to another type if asked; 404 and 409 as on create', async () => {
    const type = await createType()
    const other = await createType()
    const value = await createData(type.id)
    const taken = await createData(other.id)

    const updated = await api(
      'PUT',
      `${DATAS}/${value.id}`,
      admin,
      dataBody(type.id, { label: value.label, value: 'z', sort: 7 }),
    )
    expect(updated.res.status).toBe(200)
    const detail = await api('GET', `${DATAS}/${value.id}`, admin)
    expect(detail.body.data).toMatchObject({ label: value.label, value: 'z', sort: 7, type_code: type.code })
    expect((detail.body.data as { updated_time: string }).updated_time).toMatch(DATETIME)

    const moved = await api('PUT', `${DATAS}/${value.id}`, admin, dataBody(other.id, { label: value.label }))
    expect(moved.res.status).toBe(200)
    const [row] = await fileDb().select().from(sysDictData).where(eq(sysDictData.id, value.id))
    expect(row).toMatchObject({ typeId: other.id, typeCode: other.code })

    expect((await api('PUT', `${DATAS}/99999`, admin, dataBody(type.id))).res.status).toBe(404)
    const noType = await api('PUT', `${DATAS}/${value.id}`, admin, dataBody(99999))
    expect(noType.res.status).toBe(404)
    expect(noType.body.msg).toBe('Dictionary type not found')
    const dup = await api('PUT', `${DATAS}/${value.id}`, admin, dataBody(other.id, { label: taken.label }))
    expect(dup.res.status).toBe(409)
  })

  it('DELETE removes the values; unknown ids are ignored', async () => {
    const type = await createType()
    const a = await createData(type.id)
    const b = await createData(type.id)
    const { res } = await api('DELETE', DATAS, admin, { pks: [a.id, 99999] })
    expect(res.status).toBe(200)
    const left = await fileDb().select().from(sysDictData).where(eq(sysDictData.typeId, type.id))
    expect(left.map((r) => r.id)).toEqual([b.id])
    expect((await api('GET', `${DATAS}/${a.id}`, admin)).res.status).toBe(404)
    expect((await api('DELETE', DATAS, admin, { pks: ['x'] })).res.status).toBe(422)
  })

  it('answers errors in the request language', async () => {
    const zh = await call(`${TYPES}/99999`, {
      headers: { Authorization: `Bearer ${admin}`, 'Accept-Language': 'zh-CN' },
    })
    expect(((await zh.json()) as Body).msg).toBe('字典类型不存在')
  })
})

describe('cache', () => {
  it('serves type-code lookups from the cache until a write drops it', async () => {
    const type = await createType()
    const value = await createData(type.id, { value: 'before' })
    const lookup = async () =>
      dataOf<{ value: string }[]>((await api('GET', `${DATAS}/type-codes/${type.code}`, admin)).body)
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
    const detail = async () => dataOf<{ value: string }>((await api('GET', `${DATAS}/${value.id}`, admin)).body)
    expect((await detail()).value).toBe('one')
    await fileDb().update(sysDictData).set({ value: 'two' }).where(eq(sysDictData.id, value.id))
    expect((await detail()).value).toBe('one')
    await api('PUT', `${DATAS}/${value.id}`, admin, dataBody(type.id, { label: value.label, value: 'three' }))
    expect((await detail()).value).toBe('three')
  })

  it('makes every kind of write visible on the next read', async () => {
    const type = await createType()
    const lookup = async () => {
      const { res, body } = await api('GET', `${DATAS}/type-codes/${type.code}`, admin)
      return res.status === 200 ? dataOf<{ id: number; label: string }[]>(body) : []
    }
    expect(await lookup()).toEqual([])
    const a = await createData(type.id, { sort: 1 })
    expect((await lookup()).map((d) => d.id)).toEqual([a.id])
    const b = await createData(type.id, { sort: 2 })
    expect((await lookup()).map((d) => d.id)).toEqual([b.id, a.id])
    await api('PUT', `${DATAS}/${a.id}`, admin, dataBody(type.id, { label: a.label, sort: 1, status: 0 }))
    expect((await lookup()).map((d) => d.id)).toEqual([b.id])
    await api('DELETE', DATAS, admin, { pks: [b.id] })
    expect(await lookup()).toEqual([])
    await api('PUT', `${DATAS}/${a.id}`, admin, dataBody(type.id, { label: a.label, sort: 1, status: 1 }))
    expect((await lookup()).map((d) => d.id)).toEqual([a.id])
    await api('DELETE', TYPES, admin, { pks: [type.id] })
    expect(await lookup()).toEqual([])
    expect((await api('GET', `${DATAS}/${a.id}`, admin)).res.status).toBe(404)
  })
})
