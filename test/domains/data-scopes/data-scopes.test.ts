/** `/sys/data-scopes` (docs/fba-compatibility.md, "Data scopes"): reads, writes, the rule set and access. */
import { eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { dataScopeRoutes } from '../../../src/domains/data-scopes/routes.v1'
import { sysDataScope, sysDataScopeRule } from '../../../src/domains/data-scopes/schema'
import { sysRoleDataScope } from '../../../src/domains/roles/schema'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { DATETIME, unique } from '../../helpers/fixtures'
import { answer, api, failure, send } from '../../helpers/harness'
import { expectInvalidBodies, pk, RULE_KEYS, SCOPE_KEYS } from '../depts/helpers'

const tokens = seedAndSignIn()

const BASE = '/api/v1/sys/data-scopes'

/** The `/sys/data-scopes` routes, signed in as `user` (anonymous without one). */
const scopes = (user?: 'admin' | 'test') => api<typeof dataScopeRoutes>(user && tokens[user]).sys['data-scopes']

async function createScope(fields: { name?: string; status?: number } = {}): Promise<number> {
  const name = fields.name ?? unique('scope')
  const { status, body } = await answer(scopes('admin').$post({ json: { name, status: 1, ...fields } }))
  expect(status, JSON.stringify(body)).toBe(200)
  const [row] = await fileDb().select().from(sysDataScope).where(eq(sysDataScope.name, name))
  return row!.id
}

const ruleIdsOf = async (scopeId: number) =>
  (await fileDb().select().from(sysDataScopeRule).where(eq(sysDataScopeRule.dataScopeId, scopeId)))
    .map((l) => l.dataRuleId)
    .sort((a, b) => a - b)

describe('access', () => {
  it('needs a token', async () => {
    const anonymous = scopes()
    for (const [path, request] of [
      [`${BASE}/all`, () => anonymous.all.$get()],
      [`${BASE}/1`, () => anonymous[':pk'].$get(pk(1))],
      [`${BASE}/1/rules`, () => anonymous[':pk'].rules.$get(pk(1))],
      [BASE, () => anonymous.$get({ query: {} })],
    ] as const) {
      expect((await failure(request())).status, path).toBe(401)
    }
    expect((await failure(anonymous.$post({ json: { name: 'x', status: 1 } }))).status).toBe(401)
    expect((await failure(anonymous[':pk'].$put({ ...pk(1), json: { name: 'x', status: 1 } }))).status).toBe(401)
    expect((await failure(anonymous[':pk'].rules.$put({ ...pk(1), json: { rules: [] } }))).status).toBe(401)
    expect((await failure(anonymous.$delete({ json: { pks: [1] } }))).status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    const test = scopes('test')
    expect((await answer(test.all.$get())).status).toBe(200)
    expect((await answer(test[':pk'].rules.$get(pk(1)))).status).toBe(200)
    expect((await failure(test.$post({ json: { name: unique('scope'), status: 1 } }))).status).toBe(403)
    expect((await failure(test[':pk'].$put({ ...pk(1), json: { name: unique('scope'), status: 1 } }))).status).toBe(403)
    expect((await failure(test[':pk'].rules.$put({ ...pk(1), json: { rules: [1] } }))).status).toBe(403)
    expect((await failure(test.$delete({ json: { pks: [1] } }))).status).toBe(403)
  })

  it('documents the permission codes', async () => {
    const doc = await (await send('GET', '/api/v1/openapi.json')).json()
    expect(doc).toMatchObject({
      paths: {
        '/sys/data-scopes': { post: { 'x-access': 'data:scope:add' }, delete: { 'x-access': 'data:scope:del' } },
        '/sys/data-scopes/{pk}': { put: { 'x-access': 'data:scope:edit' } },
        '/sys/data-scopes/{pk}/rules': { put: { 'x-access': 'data:scope:rule:edit' } },
        '/sys/data-rules': { post: { 'x-access': 'data:rule:add' }, delete: { 'x-access': 'data:rule:del' } },
        '/sys/data-rules/{pk}': { put: { 'x-access': 'data:rule:edit' } },
        '/sys/data-rules/models': { get: { 'x-access': 'authenticated' } },
      },
    })
  })
})

describe('reads', () => {
  it('GET /all answers every scope as DataScopeDetail', async () => {
    const { status, data: all } = await answer(scopes('admin').all.$get())
    expect(status).toBe(200)
    expect(all.slice(0, 5).map((s) => s.name)).toEqual([
      '本部门数据权限',
      '测试部门及以下数据权限',
      '仅本人数据权限',
      '全模型本部门数据权限',
      '排除超级管理员数据权限',
    ])
    expect(Object.keys(all[0]!).sort()).toEqual(SCOPE_KEYS)
    expect(all[0]).toMatchObject({ id: 1, status: 1, updated_time: null })
    expect(all[0]!.created_time).toMatch(DATETIME)
  })

  it('GET /{pk} answers one scope, 404 when missing', async () => {
    const admin = scopes('admin')
    expect((await answer(admin[':pk'].$get(pk(2)))).data).toMatchObject({ id: 2, name: '测试部门及以下数据权限' })
    const missing = await failure(admin[':pk'].$get(pk(99999)))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Data scope not found')
  })

  it('GET /{pk}/rules answers DataScopeWithRules', async () => {
    const admin = scopes('admin')
    const { status, data } = await answer(admin[':pk'].rules.$get(pk(2)))
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual([...SCOPE_KEYS, 'rules'].sort())
    expect(data.rules.map((r) => r.id)).toEqual([2, 3])
    expect(Object.keys(data.rules[0]!).sort()).toEqual(RULE_KEYS)
    expect((await failure(admin[':pk'].rules.$get(pk(99999)))).status).toBe(404)
  })

  it('GET / pages in id order and filters by name and status', async () => {
    const admin = scopes('admin')
    const disabled = await createScope({ name: unique('off'), status: 0 })
    const page = async (query: { page?: string; size?: string; name?: string; status?: string }) =>
      (await answer(admin.$get({ query }))).data
    const first = await page({ page: '1', size: '2' })
    expect(first.items.map((s) => s.id)).toEqual([1, 2])
    expect((await page({ name: '本部门' })).items.map((s) => s.id)).toEqual([1, 4])
    expect((await page({ status: '0' })).items.map((s) => s.id)).toEqual([disabled])
    expect((await failure(admin.$get({ query: { status: '5' } }))).status).toBe(422)
  })
})

describe('POST /sys/data-scopes', () => {
  it('creates a scope', async () => {
    const name = unique('scope')
    const id = await createScope({ name, status: 0 })
    expect((await answer(scopes('admin')[':pk'].$get(pk(id)))).data).toMatchObject({ name, status: 0 })
  })

  it('validates the body', async () => {
    await expectInvalidBodies(BASE, tokens.admin, [
      [{ status: 1 }, 'name'],
      [{ name: 'x' }, 'status'],
      [{ name: 'x', status: 2 }, 'status'],
      [{ name: 'x'.repeat(65), status: 1 }, 'name'],
    ])
  })

  it('is 409 for a name in use', async () => {
    const { status, body } = await failure(scopes('admin').$post({ json: { name: '仅本人数据权限', status: 1 } }))
    expect(status).toBe(409)
    expect(body.msg).toBe('Data scope already exists')
  })
})

describe('PUT /sys/data-scopes/{pk}', () => {
  it('updates a scope; keeps its own name; 409 for another name; 404 when missing', async () => {
    const admin = scopes('admin')
    const name = unique('scope')
    const id = await createScope({ name })
    expect((await answer(admin[':pk'].$put({ ...pk(id), json: { name, status: 0 } }))).status).toBe(200)
    const { data } = await answer(admin[':pk'].$get(pk(id)))
    expect(data).toMatchObject({ name, status: 0 })
    expect(data.updated_time).toMatch(DATETIME)
    const taken = { ...pk(id), json: { name: '仅本人数据权限', status: 1 } }
    expect((await failure(admin[':pk'].$put(taken))).status).toBe(409)
    const missing = { ...pk(99999), json: { name: unique('scope'), status: 1 } }
    expect((await failure(admin[':pk'].$put(missing))).status).toBe(404)
  })
})

describe('PUT /sys/data-scopes/{pk}/rules', () => {
  const setRules = async (id: number, rules: number[]) =>
    scopes('admin')[':pk'].rules.$put({ ...pk(id), json: { rules } })

  it('replaces the rule set; duplicates count once; [] empties it', async () => {
    const id = await createScope()
    expect((await answer(setRules(id, [1, 2]))).status).toBe(200)
    expect(await ruleIdsOf(id)).toEqual([1, 2])
    const { status, body } = await answer(setRules(id, [3, 2, 3]))
    expect(status).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    expect(await ruleIdsOf(id)).toEqual([2, 3])
    const emptied = await answer(setRules(id, []))
    expect(emptied.status).toBe(200)
    expect(emptied.body.code).toBe(200)
    expect(await ruleIdsOf(id)).toEqual([])
  })

  it('is 404 for an unknown rule (nothing changes) or scope', async () => {
    const id = await createScope()
    await setRules(id, [1])
    const unknown = await failure(setRules(id, [2, 99999]))
    expect(unknown.status).toBe(404)
    expect(unknown.body.msg).toBe('Data rule not found')
    expect(await ruleIdsOf(id)).toEqual([1])
    const scope = await failure(setRules(99999, [1]))
    expect(scope.status).toBe(404)
    expect(scope.body.msg).toBe('Data scope not found')
  })

  it('validates the body', async () => {
    const token = tokens.admin
    expect((await failure(send('PUT', `${BASE}/1/rules`, { token, json: {} }))).status).toBe(422)
    expect((await failure(send('PUT', `${BASE}/1/rules`, { token, json: { rules: ['a'] } }))).status).toBe(422)
  })
})

describe('DELETE /sys/data-scopes', () => {
  it('deletes scopes with their role and rule links', async () => {
    const admin = scopes('admin')
    const first = await createScope()
    const second = await createScope()
    await admin[':pk'].rules.$put({ ...pk(first), json: { rules: [1, 2] } })
    await fileDb().insert(sysRoleDataScope).values({ roleId: 1, dataScopeId: first })
    const { status, body } = await answer(admin.$delete({ json: { pks: [first, second] } }))
    expect(status).toBe(200)
    expect(body.data).toBeNull()
    expect(
      await fileDb()
        .select()
        .from(sysDataScope)
        .where(inArray(sysDataScope.id, [first, second])),
    ).toEqual([])
    expect(await ruleIdsOf(first)).toEqual([])
    const roleLinks = await fileDb().select().from(sysRoleDataScope).where(eq(sysRoleDataScope.dataScopeId, first))
    expect(roleLinks).toEqual([])
    // Other scopes' links stay.
    expect(await ruleIdsOf(2)).toEqual([2, 3])
  })

  it('validates the body', async () => {
    expect((await failure(scopes('admin').$delete({ json: { pks: [] } }))).status).toBe(422)
  })
})
