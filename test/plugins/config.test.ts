/**
 * The `config` plugin's endpoints (contract §2.13, decision #6, Appendix A.2/A.5): shapes, filters and order,
 * 404/409/422, access, the bulk update, the bare-array delete, the cache and its invalidation, the seed.
 */
import { eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysMenu } from '../../src/domains/menus/schema'
import { configPlugin } from '../../src/plugins/config'
import { sysConfig } from '../../src/plugins/config/schema'
import { api, DATETIME, errorsOf } from '../domains/depts/helpers'
import { type Body, call } from '../helpers/app'
import { login } from '../helpers/auth'
import { enableSeededSettingsGroups, fileDb, seedFileDatabase } from '../helpers/database'

/** Generous limits: this file logs in a few times from the same (unknown) client. */
const RELAXED = { RATE_LIMIT_LOGIN: '1000/60s', RATE_LIMIT_CAPTCHA: '1000/60s' }

const BASE = '/api/v1/sys/configs'

const CONFIG_KEYS = [
  'id',
  'name',
  'type',
  'key',
  'value',
  'is_frontend',
  'remark',
  'created_time',
  'updated_time',
].sort()

const SEEDED = [
  ['EMAIL', 'EMAIL_CONFIG_STATUS', '1'],
  ['EMAIL', 'EMAIL_HOST', 'smtp.qq.com'],
  ['EMAIL', 'EMAIL_PORT', '465'],
  ['EMAIL', 'EMAIL_USERNAME', 'fba@qq.com'],
  ['EMAIL', 'EMAIL_PASSWORD', ''],
  ['EMAIL', 'EMAIL_SSL', 'true'],
  ['USER_SECURITY', 'USER_SECURITY_CONFIG_STATUS', '1'],
  ['USER_SECURITY', 'USER_LOCK_THRESHOLD', '5'],
  ['USER_SECURITY', 'USER_LOCK_SECONDS', '300'],
  ['USER_SECURITY', 'USER_PASSWORD_EXPIRY_DAYS', '365'],
  ['USER_SECURITY', 'USER_PASSWORD_REMINDER_DAYS', '7'],
  ['USER_SECURITY', 'USER_PASSWORD_HISTORY_CHECK_COUNT', '3'],
  ['USER_SECURITY', 'USER_PASSWORD_MIN_LENGTH', '6'],
  ['USER_SECURITY', 'USER_PASSWORD_MAX_LENGTH', '32'],
  ['USER_SECURITY', 'USER_PASSWORD_REQUIRE_SPECIAL_CHAR', 'false'],
  ['LOGIN', 'LOGIN_CONFIG_STATUS', '1'],
  ['LOGIN', 'LOGIN_CAPTCHA_ENABLED', 'true'],
]

let admin: string
let tester: string

beforeAll(async () => {
  await seedFileDatabase()
  await enableSeededSettingsGroups()
  const db = fileDb()
  // Check the untouched seed before this file switches the settings groups off (see below).
  const rows = await db
    .select()
    .from(sysConfig)
    .where(
      inArray(
        sysConfig.id,
        [...Array(17).keys()].map((i) => i + 1),
      ),
    )
  seededRows = rows.map((r) => [r.type, r.key, r.value])
  // The seeded LOGIN rows turn the captcha on; this file logs in directly, as the env says (config-settings.test.ts
  // covers the settings themselves).
  await db.update(sysConfig).set({ value: '0' }).where(eq(sysConfig.key, 'LOGIN_CONFIG_STATUS'))
  admin = (await login('admin', undefined, RELAXED)).accessToken
  tester = (await login('test', undefined, RELAXED)).accessToken
})

let seededRows: (string | null)[][] = []
let counter = 0
const unique = (prefix = 'KEY') => `${prefix}_${++counter}_${crypto.randomUUID().slice(0, 6)}`.toUpperCase()

const configBody = (fields: Record<string, unknown> = {}) => ({
  name: '测试参数',
  type: 'TEST',
  key: unique(),
  value: 'v',
  is_frontend: false,
  remark: null,
  ...fields,
})

async function createConfig(fields: Record<string, unknown> = {}) {
  const body = configBody(fields)
  const { res, body: answer } = await api('POST', BASE, admin, body)
  expect(res.status, JSON.stringify(answer)).toBe(200)
  const [row] = await fileDb()
    .select()
    .from(sysConfig)
    .where(eq(sysConfig.key, body.key as string))
  return row!
}

const bulkItem = (row: typeof sysConfig.$inferSelect, fields: Record<string, unknown> = {}) => ({
  id: row.id,
  name: row.name,
  type: row.type,
  key: row.key,
  value: row.value,
  is_frontend: row.isFrontend,
  remark: row.remark,
  ...fields,
})

const dataOf = <T>(body: Body) => body.data as T
const rowById = async (id: number) => (await fileDb().select().from(sysConfig).where(eq(sysConfig.id, id)))[0]

describe('seed', () => {
  it('holds the 17 configs of the contract', () => {
    expect(seededRows).toEqual(SEEDED)
  })

  it('is idempotent', async () => {
    const db = fileDb()
    const [first, ...rest] = configPlugin.seed({ db })
    const results = (await db.batch([first!, ...rest])) as { rowsAffected: number }[]
    expect(results.map((r) => r.rowsAffected)).toEqual([0])
  })

  it('declares and seeds the Config menu under System with its three buttons', async () => {
    expect(configPlugin.menus.map((m) => [m.name, m.title, m.parent, m.type, m.perms ?? null])).toEqual([
      ['PluginConfig', 'config.menu', 'System', 1, null],
      ['AddConfig', '新增', 'PluginConfig', 2, 'sys:config:add'],
      ['EditConfig', '修改', 'PluginConfig', 2, 'sys:config:edit'],
      ['DeleteConfig', '删除', 'PluginConfig', 2, 'sys:config:del'],
    ])
    const [menu] = await fileDb().select().from(sysMenu).where(eq(sysMenu.name, 'PluginConfig'))
    expect(menu).toMatchObject({
      title: 'config.menu',
      parentId: 4,
      path: '/plugins/config',
      component: '/plugins/config/views/index',
      icon: 'codicon:symbol-parameter',
      type: 1,
      sort: 7,
      display: 1,
    })
    const buttons = await fileDb().select().from(sysMenu).where(eq(sysMenu.parentId, menu!.id))
    expect(buttons.map((b) => [b.name, b.perms, b.display]).sort()).toEqual(
      [
        ['AddConfig', 'sys:config:add', 0],
        ['DeleteConfig', 'sys:config:del', 0],
        ['EditConfig', 'sys:config:edit', 0],
      ].sort(),
    )
  })
})

describe('access', () => {
  it('needs a token for every route', async () => {
    for (const path of [`${BASE}/all`, `${BASE}/all?type=LOGIN`, `${BASE}/1`, BASE]) {
      expect((await api('GET', path, undefined)).res.status, path).toBe(401)
    }
    expect((await api('POST', BASE, undefined, configBody())).res.status).toBe(401)
    expect((await api('PUT', BASE, undefined, [])).res.status).toBe(401)
    expect((await api('PUT', `${BASE}/1`, undefined, configBody())).res.status).toBe(401)
    expect((await api('DELETE', BASE, undefined, [999])).res.status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    for (const path of [`${BASE}/all`, `${BASE}/1`, BASE]) expect((await api('GET', path, tester)).res.status).toBe(200)
    expect((await api('POST', BASE, tester, configBody())).res.status).toBe(403)
    expect((await api('PUT', BASE, tester, [])).res.status).toBe(403)
    expect((await api('PUT', `${BASE}/1`, tester, configBody())).res.status).toBe(403)
    expect((await api('DELETE', BASE, tester, [999])).res.status).toBe(403)
  })
})

describe('reads', () => {
  it('GET /all lists every config without `type`, one type with it', async () => {
    const all = await api('GET', `${BASE}/all`, admin)
    expect(all.res.status).toBe(200)
    const rows = dataOf<Record<string, unknown>[]>(all.body)
    expect(rows.length).toBeGreaterThanOrEqual(17)
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(CONFIG_KEYS)
    expect(rows.find((r) => r.id === 17)).toEqual({
      id: 17,
      name: '验证码开关',
      type: 'LOGIN',
      key: 'LOGIN_CAPTCHA_ENABLED',
      value: 'true',
      is_frontend: false,
      remark: null,
      created_time: expect.stringMatching(DATETIME),
      updated_time: null,
    })
    expect(rows.find((r) => r.id === 8)).toMatchObject({ remark: '0 表示禁用锁定' })

    const login = dataOf<{ key: string }[]>((await api('GET', `${BASE}/all?type=LOGIN`, admin)).body)
    expect(login.map((r) => r.key)).toEqual(['LOGIN_CONFIG_STATUS', 'LOGIN_CAPTCHA_ENABLED'])
    const email = dataOf<{ type: string }[]>((await api('GET', `${BASE}/all?type=EMAIL`, admin)).body)
    expect(email).toHaveLength(6)
    // Exact match, unlike the paged list's substring filter.
    expect(dataOf<unknown[]>((await api('GET', `${BASE}/all?type=LOG`, admin)).body)).toEqual([])
    // An empty `type` is no filter (fba answers 500 without one).
    expect(dataOf<unknown[]>((await api('GET', `${BASE}/all?type=`, admin)).body).length).toBe(rows.length)
  })

  it('GET /{pk} answers the config or 404', async () => {
    const { res, body } = await api('GET', `${BASE}/3`, admin)
    expect(res.status).toBe(200)
    expect(Object.keys(body.data as object).sort()).toEqual(CONFIG_KEYS)
    expect(body.data).toMatchObject({ id: 3, type: 'EMAIL', key: 'EMAIL_PORT', value: '465' })
    const missing = await api('GET', `${BASE}/99999`, admin)
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Parameter config not found')
    const zh = await call(`${BASE}/99999`, {
      headers: { Authorization: `Bearer ${admin}`, 'Accept-Language': 'zh-CN' },
    })
    expect(((await zh.json()) as Body).msg).toBe('参数配置不存在')
    expect((await api('GET', `${BASE}/x`, admin)).res.status).toBe(422)
  })

  it('GET pages newest first and filters name and type by substring', async () => {
    const type = unique('PAGED')
    const older = await createConfig({ type, name: 'older' })
    const newer = await createConfig({ type, name: 'newer' })
    const page = await api('GET', `${BASE}?type=${type.slice(0, -2)}`, admin)
    expect(page.res.status).toBe(200)
    expect(page.body.data).toMatchObject({ total: 2, page: 1, size: 20, total_pages: 1 })
    const items = dataOf<{ items: Record<string, unknown>[] }>(page.body).items
    expect(items.map((i) => i.id)).toEqual([newer.id, older.id])
    for (const i of items) expect(Object.keys(i).sort()).toEqual(CONFIG_KEYS)

    const byName = dataOf<{ items: { id: number }[] }>((await api('GET', `${BASE}?type=${type}&name=wer`, admin)).body)
    expect(byName.items.map((i) => i.id)).toEqual([newer.id])
    const second = await api('GET', `${BASE}?type=${type}&page=2&size=1`, admin)
    expect(dataOf<{ items: { id: number }[] }>(second.body).items.map((i) => i.id)).toEqual([older.id])
    expect(dataOf<{ links: { prev: string } }>(second.body).links.prev).toBe(
      `/api/v1/sys/configs?type=${type}&page=1&size=1`,
    )
  })
})

describe('create and update', () => {
  it('POST creates a config; a taken key is a 409 naming it', async () => {
    const key = unique()
    const created = await api(
      'POST',
      BASE,
      admin,
      configBody({ key, type: null, value: '', remark: 'r', is_frontend: true }),
    )
    expect(created.res.status).toBe(200)
    expect(created.body).toMatchObject({ code: 200, data: null })
    const [row] = await fileDb().select().from(sysConfig).where(eq(sysConfig.key, key))
    expect(row).toMatchObject({ name: '测试参数', type: null, value: '', remark: 'r', isFrontend: true })

    const dup = await api('POST', BASE, admin, configBody({ key }))
    expect(dup.res.status).toBe(409)
    expect(dup.body.msg).toBe(`Parameter config ${key} already exists`)
  })

  it('POST validates the body, including the values of the settings keys', async () => {
    const { key: _, ...noKey } = configBody()
    const missing = await api('POST', BASE, admin, noKey)
    expect(missing.res.status).toBe(422)
    expect(errorsOf(missing.body)[0]?.loc).toEqual(['body', 'key'])
    const noFlag = await api('POST', BASE, admin, { name: 'n', key: unique(), value: 'v' })
    expect(errorsOf(noFlag.body)[0]?.loc).toEqual(['body', 'is_frontend'])
    const longName = await api('POST', BASE, admin, configBody({ name: 'x'.repeat(33) }))
    expect(errorsOf(longName.body)[0]?.loc).toEqual(['body', 'name'])

    // A typed key's value must parse (it would otherwise silently fall back to its default).
    const bad = await api('POST', BASE, admin, configBody({ key: 'LOGIN_CAPTCHA_EXPIRE_SECONDS', value: 'soon' }))
    expect(bad.res.status).toBe(422)
    expect(errorsOf(bad.body)).toEqual([
      { loc: ['body', 'value'], msg: 'must be a whole number of at least 1', type: 'value_error' },
    ])
    // Other keys take any value (`toString` is not a setting, whatever Object.prototype says).
    expect((await api('POST', BASE, admin, configBody({ key: 'toString', value: 'anything' }))).res.status).toBe(200)
  })

  it('PUT /{pk} updates a config: 404 unknown, 409 on a key another config holds', async () => {
    const row = await createConfig()
    const newKey = unique()
    const ok = await api(
      'PUT',
      `${BASE}/${row.id}`,
      admin,
      configBody({ key: newKey, value: 'changed', type: 'OTHER' }),
    )
    expect(ok.res.status).toBe(200)
    expect(await rowById(row.id)).toMatchObject({ key: newKey, value: 'changed', type: 'OTHER' })
    const detail = await api('GET', `${BASE}/${row.id}`, admin)
    expect((detail.body.data as { updated_time: string }).updated_time).toMatch(DATETIME)
    // Keeping its own key is fine.
    expect((await api('PUT', `${BASE}/${row.id}`, admin, configBody({ key: newKey }))).res.status).toBe(200)

    expect((await api('PUT', `${BASE}/99999`, admin, configBody())).res.status).toBe(404)
    const taken = await api('PUT', `${BASE}/${row.id}`, admin, configBody({ key: 'EMAIL_HOST' }))
    expect(taken.res.status).toBe(409)
    expect(taken.body.msg).toBe('Parameter config EMAIL_HOST already exists')
    const bad = await api('PUT', `${BASE}/16`, admin, configBody({ key: 'LOGIN_CONFIG_STATUS', value: 'off' }))
    expect(bad.res.status).toBe(422)
    expect(errorsOf(bad.body)[0]?.msg).toBe('must be 0 or 1')
  })
})

describe('bulk update (PUT /sys/configs)', () => {
  it('updates every listed config in one go', async () => {
    const a = await createConfig()
    const b = await createConfig()
    const { res, body } = await api('PUT', BASE, admin, [
      bulkItem(a, { value: 'A2', name: 'first' }),
      bulkItem(b, { value: 'B2', is_frontend: true }),
    ])
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(body.data).toBeNull()
    expect(await rowById(a.id)).toMatchObject({ value: 'A2', name: 'first' })
    expect(await rowById(b.id)).toMatchObject({ value: 'B2', isFrontend: true })
  })

  it('answers 404 when any id is unknown, and changes nothing', async () => {
    const a = await createConfig({ value: 'kept' })
    const { res, body } = await api('PUT', BASE, admin, [bulkItem(a, { value: 'lost' }), bulkItem({ ...a, id: 99999 })])
    expect(res.status).toBe(404)
    expect(body.msg).toBe('Parameter config not found')
    expect((await rowById(a.id))?.value).toBe('kept')
  })

  it('answers 409 for a key listed twice or held by a config not in the list', async () => {
    const a = await createConfig()
    const b = await createConfig()
    const twice = await api('PUT', BASE, admin, [bulkItem(a, { key: 'SAME_KEY' }), bulkItem(b, { key: 'SAME_KEY' })])
    expect(twice.res.status).toBe(409)
    expect(twice.body.msg).toBe('Duplicate parameter config keys')
    const held = await api('PUT', BASE, admin, [bulkItem(a, { key: 'EMAIL_PORT' })])
    expect(held.res.status).toBe(409)
    expect(held.body.msg).toBe('Parameter config EMAIL_PORT already exists')
    expect((await rowById(a.id))?.key).toBe(a.key)
  })

  it('lets keys move between the listed configs (a swap)', async () => {
    const a = await createConfig({ value: 'a' })
    const b = await createConfig({ value: 'b' })
    const { res, body } = await api('PUT', BASE, admin, [bulkItem(a, { key: b.key }), bulkItem(b, { key: a.key })])
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(await rowById(a.id)).toMatchObject({ key: b.key, value: 'a' })
    expect(await rowById(b.id)).toMatchObject({ key: a.key, value: 'b' })
  })

  it('validates the body: an array of items with ids; typed values must parse', async () => {
    const a = await createConfig()
    expect((await api('PUT', BASE, admin, [])).res.status).toBe(200)
    expect((await api('PUT', BASE, admin, { pks: [a.id] })).res.status).toBe(422)
    const { id: _, ...noId } = bulkItem(a)
    const missingId = await api('PUT', BASE, admin, [noId])
    expect(missingId.res.status).toBe(422)
    expect(errorsOf(missingId.body)[0]?.loc).toEqual(['body', 0, 'id'])
    const twice = await api('PUT', BASE, admin, [bulkItem(a), bulkItem(a)])
    expect(twice.res.status).toBe(422)
    expect(errorsOf(twice.body)[0]?.loc).toEqual(['body', 1, 'id'])
    const [threshold] = await fileDb().select().from(sysConfig).where(eq(sysConfig.key, 'USER_LOCK_THRESHOLD'))
    const bad = await api('PUT', BASE, admin, [bulkItem(a), bulkItem(threshold!, { value: '-1' })])
    expect(bad.res.status).toBe(422)
    expect(errorsOf(bad.body)).toEqual([
      { loc: ['body', 1, 'value'], msg: 'must be a whole number of at least 0', type: 'value_error' },
    ])
  })
})

describe('delete (DELETE /sys/configs)', () => {
  it('takes a bare array of ids; unknown ids are ignored', async () => {
    const a = await createConfig()
    const b = await createConfig()
    const { res, body } = await api('DELETE', BASE, admin, [a.id, 99999])
    expect(res.status).toBe(200)
    expect(body.data).toBeNull()
    expect(await rowById(a.id)).toBeUndefined()
    expect(await rowById(b.id)).toBeDefined()
    expect((await api('GET', `${BASE}/${a.id}`, admin)).res.status).toBe(404)
  })

  it('rejects the `{pks}` shape and an empty list', async () => {
    const a = await createConfig()
    expect((await api('DELETE', BASE, admin, { pks: [a.id] })).res.status).toBe(422)
    expect((await api('DELETE', BASE, admin, [])).res.status).toBe(422)
    expect(await rowById(a.id)).toBeDefined()
  })
})

describe('cache', () => {
  it('serves /all and /{pk} from the cache until a write drops them', async () => {
    const type = unique('CACHED')
    const row = await createConfig({ type, value: 'before' })
    const all = async () => dataOf<{ value: string }[]>((await api('GET', `${BASE}/all?type=${type}`, admin)).body)
    const one = async () => dataOf<{ value: string }>((await api('GET', `${BASE}/${row.id}`, admin)).body)
    expect((await all())[0]?.value).toBe('before')
    expect((await one()).value).toBe('before')
    // A change behind the API's back is not seen: the answers are cached.
    await fileDb().update(sysConfig).set({ value: 'behind' }).where(eq(sysConfig.id, row.id))
    expect((await all())[0]?.value).toBe('before')
    expect((await one()).value).toBe('before')
    // Any config write drops every cached answer — here another config's creation.
    await createConfig()
    expect((await all())[0]?.value).toBe('behind')
    expect((await one()).value).toBe('behind')
  })

  it('makes every kind of write visible on the next read', async () => {
    const type = unique('VISIBLE')
    const keys = async () =>
      dataOf<{ key: string; value: string }[]>((await api('GET', `${BASE}/all?type=${type}`, admin)).body).map(
        (r) => `${r.key}=${r.value}`,
      )
    expect(await keys()).toEqual([])
    const a = await createConfig({ type, key: `${type}_A`, value: '1' })
    expect(await keys()).toEqual([`${type}_A=1`])
    await api('PUT', `${BASE}/${a.id}`, admin, configBody({ type, key: `${type}_A`, value: '2' }))
    expect(await keys()).toEqual([`${type}_A=2`])
    const fresh = (await rowById(a.id))!
    await api('PUT', BASE, admin, [bulkItem(fresh, { value: '3' })])
    expect(await keys()).toEqual([`${type}_A=3`])
    await api('DELETE', BASE, admin, [a.id])
    expect(await keys()).toEqual([])
  })
})
