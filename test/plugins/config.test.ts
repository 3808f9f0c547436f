/**
 * The `config` plugin's endpoints (docs/fba-compatibility.md, "Config plugin" and D6; its seed rows in "Seed data"):
 * shapes, filters and order, 404/409/422, access, the bulk update, the bare-array delete, the cache and its
 * invalidation, the seed.
 */
import type { z } from '@hono/zod-openapi'
import { eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysMenu } from '../../src/domains/menus/schema'
import { configPlugin } from '../../src/plugins/config'
import type { ConfigBodySchema, ConfigBulkItemSchema } from '../../src/plugins/config/dto'
import type { configRoutes } from '../../src/plugins/config/routes.v1'
import { sysConfig } from '../../src/plugins/config/schema'
import { SECRET_MASK } from '../../src/plugins/config/secrets'
import { seedAndSignIn } from '../helpers/auth'
import { enableSeededSettingsGroups, fileDb } from '../helpers/database'
import { anyDatetime, DATETIME, RELAXED_AUTH_LIMITS, unique } from '../helpers/fixtures'
import { answer, api, failure, send } from '../helpers/harness'
import { signedInWith } from '../helpers/permissions'

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

/** Before signing in: the untouched seed read, then the LOGIN settings group switched off. */
async function arrange(): Promise<void> {
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
}

const tokens = seedAndSignIn(['admin', 'test'], { overrides: RELAXED_AUTH_LIMITS, prepare: arrange })
/** Signed in with a role holding the Config page and its `sys:config:list` button only. */
let reader: string

beforeAll(async () => {
  reader = await signedInWith(['sys:config:list'], { menus: ['PluginConfig'] })
})

let seededRows: (string | null)[][] = []
/** A config key (or type) no other test has used, upper case like the seeded ones. */
const newKey = (prefix = 'KEY') => unique(prefix, '_').toUpperCase()

/** `/sys/configs`, signed in as `token` when given. */
const configs = (token?: string, headers?: Record<string, string>) =>
  api<typeof configRoutes>(token, { headers }).sys.configs
const detail = (pk: number | string, token = tokens.admin) => configs(token)[':pk'].$get({ param: { pk: String(pk) } })
const update = (pk: number | string, json: ConfigInput) =>
  configs(tokens.admin)[':pk'].$put({ param: { pk: String(pk) }, json })
const allOf = (type?: string) => configs(tokens.admin).all.$get({ query: type === undefined ? {} : { type } })

type ConfigInput = z.input<typeof ConfigBodySchema>
type BulkItem = z.input<typeof ConfigBulkItemSchema>

const configBody = (fields: Partial<ConfigInput> = {}) => ({
  name: '测试参数',
  type: 'TEST',
  key: newKey(),
  value: 'v',
  is_frontend: false,
  remark: null,
  ...fields,
})

async function createConfig(fields: Partial<ConfigInput> = {}) {
  const body = configBody(fields)
  const created = await answer(configs(tokens.admin).$post({ json: body }))
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  const [row] = await fileDb().select().from(sysConfig).where(eq(sysConfig.key, body.key))
  return row!
}

const bulkItem = (row: typeof sysConfig.$inferSelect, fields: Partial<BulkItem> = {}) => ({
  id: row.id,
  name: row.name,
  type: row.type,
  key: row.key,
  value: row.value,
  is_frontend: row.isFrontend,
  remark: row.remark,
  ...fields,
})

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

  it('declares and seeds the Config menu under System with its four buttons', async () => {
    expect(configPlugin.menus.map((m) => [m.name, m.title, m.parent, m.type, m.perms ?? null])).toEqual([
      ['PluginConfig', 'config.menu', 'System', 1, null],
      ['ViewConfig', '查看', 'PluginConfig', 2, 'sys:config:list'],
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
        ['ViewConfig', 'sys:config:list', 0],
      ].sort(),
    )
  })
})

describe('access', () => {
  it('needs a token for every route', async () => {
    const anonymous = configs()
    for (const [path, request] of [
      [`${BASE}/all`, () => anonymous.all.$get({ query: {} })],
      [`${BASE}/all?type=LOGIN`, () => anonymous.all.$get({ query: { type: 'LOGIN' } })],
      [`${BASE}/1`, () => anonymous[':pk'].$get({ param: { pk: '1' } })],
      [BASE, () => anonymous.$get({ query: {} })],
    ] as const) {
      expect((await request()).status, path).toBe(401)
    }
    expect((await anonymous.$post({ json: configBody() })).status).toBe(401)
    expect((await anonymous.$put({ json: [] })).status).toBe(401)
    expect((await anonymous[':pk'].$put({ param: { pk: '1' }, json: configBody() })).status).toBe(401)
    expect((await anonymous.$delete({ json: [999] })).status).toBe(401)
  })

  it('lets the seeded test user neither read nor write (configs hold credentials)', async () => {
    const asTester = configs(tokens.test)
    for (const request of [
      () => asTester.all.$get({ query: {} }),
      () => detail(1, tokens.test),
      () => asTester.$get({ query: {} }),
    ]) {
      expect((await request()).status).toBe(403)
    }
    expect((await asTester.$post({ json: configBody() })).status).toBe(403)
    expect((await asTester.$put({ json: [] })).status).toBe(403)
    expect((await asTester[':pk'].$put({ param: { pk: '1' }, json: configBody() })).status).toBe(403)
    expect((await asTester.$delete({ json: [999] })).status).toBe(403)
  })

  it('lets a holder of sys:config:list (the Config page) read but not write', async () => {
    const asReader = configs(reader)
    for (const request of [
      () => asReader.all.$get({ query: {} }),
      () => detail(1, reader),
      () => asReader.$get({ query: {} }),
    ]) {
      expect((await request()).status).toBe(200)
    }
    expect((await asReader.$post({ json: configBody() })).status).toBe(403)
    expect((await asReader[':pk'].$put({ param: { pk: '1' }, json: configBody() })).status).toBe(403)
  })
})

describe('secrets', () => {
  /** Every read of one config's value: `/{pk}`, `/all?type=`, the paged list. */
  async function reads(row: { id: number; type: string | null; name: string }) {
    const one = (await answer(detail(row.id))).data.value
    const ofType = (await answer(allOf(row.type ?? undefined))).data.find((r) => r.id === row.id)?.value
    const all = (await answer(allOf())).data.find((r) => r.id === row.id)?.value
    const page = await answer(configs(tokens.admin).$get({ query: { name: row.name, size: '200' } }))
    return [one, ofType, all, page.data.items.find((r) => r.id === row.id)?.value]
  }

  it('masks the value of every *_PASSWORD, *_SECRET, *_TOKEN and *_KEY config on every read', async () => {
    const type = newKey('SECRETS')
    for (const key of [`${type}_PASSWORD`, `${type}_SECRET`, `${type}_TOKEN`, `${type}_API_KEY`, 'smtp_key']) {
      const row = await createConfig({ type, key, name: unique('secret'), value: 'hunter2-plain' })
      expect(await reads(row), key).toEqual([SECRET_MASK, SECRET_MASK, SECRET_MASK, SECRET_MASK])
      expect((await rowById(row.id))?.value).toBe('hunter2-plain')
    }
    // Only the suffixes count: a key that merely contains one is shown.
    const plain = await createConfig({ type, key: `${type}_MONKEY_PASSWORDS`, name: unique('plain'), value: 'shown' })
    expect(await reads(plain)).toEqual(['shown', 'shown', 'shown', 'shown'])
    expect(JSON.stringify((await answer(allOf())).data)).not.toContain('hunter2-plain')
  })

  it("masks the seeded EMAIL_PASSWORD once set; an empty secret reads empty (so 'not set' shows)", async () => {
    const [seeded] = await fileDb().select().from(sysConfig).where(eq(sysConfig.key, 'EMAIL_PASSWORD'))
    expect((await answer(detail(seeded!.id))).data.value).toBe('')
    expect((await update(seeded!.id, bulkItem(seeded!, { value: 'smtp-secret' }))).status).toBe(200)
    expect(await reads(seeded!)).toEqual([SECRET_MASK, SECRET_MASK, SECRET_MASK, SECRET_MASK])
    const email = JSON.stringify((await answer(configs(reader).all.$get({ query: { type: 'EMAIL' } }))).body)
    expect(email).toContain(SECRET_MASK)
    expect(email).not.toContain('smtp-secret')
  })

  it('keeps the stored secret when the mask is written back (PUT and bulk PUT); a new value replaces it', async () => {
    const type = newKey('KEPT')
    const row = await createConfig({ type, key: `${type}_TOKEN`, value: 'original-token' })
    const read = (await answer(detail(row.id))).data
    expect(read.value).toBe(SECRET_MASK)
    // The admin UI's edit form sends back what it read, with another field changed.
    const { id: _, created_time: __, updated_time: ___, ...form } = read
    expect((await update(row.id, { ...form, remark: 'edited' })).status).toBe(200)
    expect(await rowById(row.id)).toMatchObject({ value: 'original-token', remark: 'edited' })
    expect((await configs(tokens.admin).$put({ json: [{ ...form, id: row.id, name: 'renamed' }] })).status).toBe(200)
    expect(await rowById(row.id)).toMatchObject({ value: 'original-token', name: 'renamed' })
    expect((await update(row.id, { ...form, value: 'rotated-token' })).status).toBe(200)
    expect((await rowById(row.id))?.value).toBe('rotated-token')
  })

  it('never carries a secret over to a key that is not secret', async () => {
    const type = newKey('MOVED')
    const row = await createConfig({ type, key: `${type}_SECRET`, value: 'do-not-leak' })
    expect((await update(row.id, configBody({ type, key: `${type}_VISIBLE`, value: SECRET_MASK }))).status).toBe(200)
    expect((await rowById(row.id))?.value).toBe(SECRET_MASK)
    expect((await answer(detail(row.id))).data.value).toBe(SECRET_MASK)
  })
})

describe('reads', () => {
  it('GET /all lists every config without `type`, one type with it', async () => {
    const all = await answer(allOf())
    expect(all.status).toBe(200)
    const rows = all.data
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
      created_time: anyDatetime(),
      updated_time: null,
    })
    expect(rows.find((r) => r.id === 8)).toMatchObject({ remark: '0 表示禁用锁定' })

    const login = (await answer(allOf('LOGIN'))).data
    expect(login.map((r) => r.key)).toEqual(['LOGIN_CONFIG_STATUS', 'LOGIN_CAPTCHA_ENABLED'])
    const email = (await answer(allOf('EMAIL'))).data
    expect(email).toHaveLength(6)
    // Exact match, unlike the paged list's substring filter.
    expect((await answer(allOf('LOG'))).data).toEqual([])
    // An empty `type` is no filter (fba answers 500 without one).
    expect((await answer(allOf(''))).data.length).toBe(rows.length)
  })

  it('GET /{pk} answers the config or 404', async () => {
    const { status, data } = await answer(detail(3))
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual(CONFIG_KEYS)
    expect(data).toMatchObject({ id: 3, type: 'EMAIL', key: 'EMAIL_PORT', value: '465' })
    const missing = await failure(detail(99999))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Parameter config not found')
    const zh = await failure(
      configs(tokens.admin, { 'Accept-Language': 'zh-CN' })[':pk'].$get({ param: { pk: '99999' } }),
    )
    expect(zh.body.msg).toBe('参数配置不存在')
    expect((await detail('x')).status).toBe(422)
  })

  it('GET pages newest first and filters name and type by substring', async () => {
    const type = newKey('PAGED')
    const older = await createConfig({ type, name: 'older' })
    const newer = await createConfig({ type, name: 'newer' })
    const page = await answer(configs(tokens.admin).$get({ query: { type: type.slice(0, -2) } }))
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({ total: 2, page: 1, size: 20, total_pages: 1 })
    const items = page.data.items
    expect(items.map((i) => i.id)).toEqual([newer.id, older.id])
    for (const i of items) expect(Object.keys(i).sort()).toEqual(CONFIG_KEYS)

    const byName = (await answer(configs(tokens.admin).$get({ query: { type, name: 'wer' } }))).data
    expect(byName.items.map((i) => i.id)).toEqual([newer.id])
    const second = await answer(configs(tokens.admin).$get({ query: { type, page: '2', size: '1' } }))
    expect(second.data.items.map((i) => i.id)).toEqual([older.id])
    expect(second.data.links.prev).toBe(`/api/v1/sys/configs?type=${type}&page=1&size=1`)
  })
})

describe('create and update', () => {
  it('POST creates a config; a taken key is a 409 naming it', async () => {
    const key = newKey()
    const created = await answer(
      configs(tokens.admin).$post({ json: configBody({ key, type: null, value: '', remark: 'r', is_frontend: true }) }),
    )
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ code: 200, data: null })
    const [row] = await fileDb().select().from(sysConfig).where(eq(sysConfig.key, key))
    expect(row).toMatchObject({ name: '测试参数', type: null, value: '', remark: 'r', isFrontend: true })

    const dup = await failure(configs(tokens.admin).$post({ json: configBody({ key }) }))
    expect(dup.status).toBe(409)
    expect(dup.body.msg).toBe(`Parameter config ${key} already exists`)
  })

  it('POST validates the body, including the values of the settings keys', async () => {
    const { key: _, ...noKey } = configBody()
    const missing = await failure(send('POST', BASE, { token: tokens.admin, json: noKey }))
    expect(missing.status).toBe(422)
    expect(missing.errors[0]?.loc).toEqual(['body', 'key'])
    const noFlag = await failure(
      send('POST', BASE, { token: tokens.admin, json: { name: 'n', key: newKey(), value: 'v' } }),
    )
    expect(noFlag.errors[0]?.loc).toEqual(['body', 'is_frontend'])
    const longName = await failure(configs(tokens.admin).$post({ json: configBody({ name: 'x'.repeat(33) }) }))
    expect(longName.errors[0]?.loc).toEqual(['body', 'name'])

    // A typed key's value must parse (it would otherwise silently fall back to its default).
    const bad = await failure(
      configs(tokens.admin).$post({ json: configBody({ key: 'LOGIN_CAPTCHA_EXPIRE_SECONDS', value: 'soon' }) }),
    )
    expect(bad.status).toBe(422)
    expect(bad.errors).toEqual([
      { loc: ['body', 'value'], msg: 'must be a whole number of at least 1', type: 'value_error' },
    ])
    // Other keys take any value (`toString` is not a setting, whatever Object.prototype says).
    expect(
      (await configs(tokens.admin).$post({ json: configBody({ key: 'toString', value: 'anything' }) })).status,
    ).toBe(200)
  })

  it('PUT /{pk} updates a config: 404 unknown, 409 on a key another config holds', async () => {
    const row = await createConfig()
    const changedKey = newKey()
    const ok = await update(row.id, configBody({ key: changedKey, value: 'changed', type: 'OTHER' }))
    expect(ok.status).toBe(200)
    expect(await rowById(row.id)).toMatchObject({ key: changedKey, value: 'changed', type: 'OTHER' })
    const changed = await answer(detail(row.id))
    expect(changed.data.updated_time).toMatch(DATETIME)
    // Keeping its own key is fine.
    expect((await update(row.id, configBody({ key: changedKey }))).status).toBe(200)

    expect((await update(99999, configBody())).status).toBe(404)
    const taken = await failure(update(row.id, configBody({ key: 'EMAIL_HOST' })))
    expect(taken.status).toBe(409)
    expect(taken.body.msg).toBe('Parameter config EMAIL_HOST already exists')
    const bad = await failure(update(16, configBody({ key: 'LOGIN_CONFIG_STATUS', value: 'off' })))
    expect(bad.status).toBe(422)
    expect(bad.errors[0]?.msg).toBe('must be 0 or 1')
  })
})

describe('bulk update (PUT /sys/configs)', () => {
  const bulk = (items: BulkItem[]) => configs(tokens.admin).$put({ json: items })

  it('updates every listed config in one go', async () => {
    const a = await createConfig()
    const b = await createConfig()
    const { status, body } = await answer(
      bulk([bulkItem(a, { value: 'A2', name: 'first' }), bulkItem(b, { value: 'B2', is_frontend: true })]),
    )
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body.data).toBeNull()
    expect(await rowById(a.id)).toMatchObject({ value: 'A2', name: 'first' })
    expect(await rowById(b.id)).toMatchObject({ value: 'B2', isFrontend: true })
  })

  it('answers 404 when any id is unknown, and changes nothing', async () => {
    const a = await createConfig({ value: 'kept' })
    const { status, body } = await failure(bulk([bulkItem(a, { value: 'lost' }), bulkItem({ ...a, id: 99999 })]))
    expect(status).toBe(404)
    expect(body.msg).toBe('Parameter config not found')
    expect((await rowById(a.id))?.value).toBe('kept')
  })

  it('answers 409 for a key listed twice or held by a config not in the list', async () => {
    const a = await createConfig()
    const b = await createConfig()
    const twice = await failure(bulk([bulkItem(a, { key: 'SAME_KEY' }), bulkItem(b, { key: 'SAME_KEY' })]))
    expect(twice.status).toBe(409)
    expect(twice.body.msg).toBe('Duplicate parameter config keys')
    const held = await failure(bulk([bulkItem(a, { key: 'EMAIL_PORT' })]))
    expect(held.status).toBe(409)
    expect(held.body.msg).toBe('Parameter config EMAIL_PORT already exists')
    expect((await rowById(a.id))?.key).toBe(a.key)
  })

  it('lets keys move between the listed configs (a swap)', async () => {
    const a = await createConfig({ value: 'a' })
    const b = await createConfig({ value: 'b' })
    const { status, body } = await answer(bulk([bulkItem(a, { key: b.key }), bulkItem(b, { key: a.key })]))
    expect(status, JSON.stringify(body)).toBe(200)
    expect(await rowById(a.id)).toMatchObject({ key: b.key, value: 'a' })
    expect(await rowById(b.id)).toMatchObject({ key: a.key, value: 'b' })
  })

  it('validates the body: an array of items with ids; typed values must parse', async () => {
    const a = await createConfig()
    expect((await bulk([])).status).toBe(200)
    expect((await send('PUT', BASE, { token: tokens.admin, json: { pks: [a.id] } })).status).toBe(422)
    const { id: _, ...noId } = bulkItem(a)
    const missingId = await failure(send('PUT', BASE, { token: tokens.admin, json: [noId] }))
    expect(missingId.status).toBe(422)
    expect(missingId.errors[0]?.loc).toEqual(['body', 0, 'id'])
    const twice = await failure(bulk([bulkItem(a), bulkItem(a)]))
    expect(twice.status).toBe(422)
    expect(twice.errors[0]?.loc).toEqual(['body', 1, 'id'])
    const [threshold] = await fileDb().select().from(sysConfig).where(eq(sysConfig.key, 'USER_LOCK_THRESHOLD'))
    const bad = await failure(bulk([bulkItem(a), bulkItem(threshold!, { value: '-1' })]))
    expect(bad.status).toBe(422)
    expect(bad.errors).toEqual([
      { loc: ['body', 1, 'value'], msg: 'must be a whole number of at least 0', type: 'value_error' },
    ])
  })
})

describe('delete (DELETE /sys/configs)', () => {
  it('takes a bare array of ids; unknown ids are ignored', async () => {
    const a = await createConfig()
    const b = await createConfig()
    const { status, body } = await answer(configs(tokens.admin).$delete({ json: [a.id, 99999] }))
    expect(status).toBe(200)
    expect(body.data).toBeNull()
    expect(await rowById(a.id)).toBeUndefined()
    expect(await rowById(b.id)).toBeDefined()
    expect((await detail(a.id)).status).toBe(404)
  })

  it('rejects the `{pks}` shape and an empty list', async () => {
    const a = await createConfig()
    expect((await send('DELETE', BASE, { token: tokens.admin, json: { pks: [a.id] } })).status).toBe(422)
    expect((await configs(tokens.admin).$delete({ json: [] })).status).toBe(422)
    expect(await rowById(a.id)).toBeDefined()
  })
})

describe('cache', () => {
  it('serves /all and /{pk} from the cache until a write drops them', async () => {
    const type = newKey('CACHED')
    const row = await createConfig({ type, value: 'before' })
    const all = async () => (await answer(allOf(type))).data
    const read = async () => (await answer(detail(row.id))).data
    expect((await all())[0]?.value).toBe('before')
    expect((await read()).value).toBe('before')
    // A change behind the API's back is not seen: the answers are cached.
    await fileDb().update(sysConfig).set({ value: 'behind' }).where(eq(sysConfig.id, row.id))
    expect((await all())[0]?.value).toBe('before')
    expect((await read()).value).toBe('before')
    // Any config write drops every cached answer — here another config's creation.
    await createConfig()
    expect((await all())[0]?.value).toBe('behind')
    expect((await read()).value).toBe('behind')
  })

  it('makes every kind of write visible on the next read', async () => {
    const type = newKey('VISIBLE')
    const keys = async () => (await answer(allOf(type))).data.map((r) => `${r.key}=${r.value}`)
    expect(await keys()).toEqual([])
    const a = await createConfig({ type, key: `${type}_A`, value: '1' })
    expect(await keys()).toEqual([`${type}_A=1`])
    await update(a.id, configBody({ type, key: `${type}_A`, value: '2' }))
    expect(await keys()).toEqual([`${type}_A=2`])
    const fresh = (await rowById(a.id))!
    await configs(tokens.admin).$put({ json: [bulkItem(fresh, { value: '3' })] })
    expect(await keys()).toEqual([`${type}_A=3`])
    await configs(tokens.admin).$delete({ json: [a.id] })
    expect(await keys()).toEqual([])
  })
})
