/** `/sys/data-scopes` (contract §2.7): reads, writes, the rule set and access. */
import { eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysDataScope, sysDataScopeRule } from '../../../src/domains/data-scopes/schema'
import { sysRoleDataScope } from '../../../src/domains/roles/schema'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { api, DATETIME, errorsOf, RULE_KEYS, SCOPE_KEYS, tokenOf } from '../depts/helpers'

beforeAll(seedFileDatabase)

const BASE = '/api/v1/sys/data-scopes'

let counter = 0
const unique = (prefix = 'scope') => `${prefix}-${++counter}-${crypto.randomUUID().slice(0, 6)}`

async function createScope(fields: Record<string, unknown> = {}): Promise<number> {
  const name = (fields.name as string | undefined) ?? unique()
  const { res, body } = await api('POST', BASE, await tokenOf('admin'), { name, status: 1, ...fields })
  expect(res.status, JSON.stringify(body)).toBe(200)
  const [row] = await fileDb().select().from(sysDataScope).where(eq(sysDataScope.name, name))
  return row!.id
}

const ruleIdsOf = async (scopeId: number) =>
  (await fileDb().select().from(sysDataScopeRule).where(eq(sysDataScopeRule.dataScopeId, scopeId)))
    .map((l) => l.dataRuleId)
    .sort((a, b) => a - b)

describe('access', () => {
  it('needs a token', async () => {
    for (const path of [`${BASE}/all`, `${BASE}/1`, `${BASE}/1/rules`, BASE]) {
      expect((await api('GET', path, undefined)).res.status, path).toBe(401)
    }
    expect((await api('POST', BASE, undefined, { name: 'x', status: 1 })).res.status).toBe(401)
    expect((await api('PUT', `${BASE}/1`, undefined, { name: 'x', status: 1 })).res.status).toBe(401)
    expect((await api('PUT', `${BASE}/1/rules`, undefined, { rules: [] })).res.status).toBe(401)
    expect((await api('DELETE', BASE, undefined, { pks: [1] })).res.status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    const token = await tokenOf('test')
    expect((await api('GET', `${BASE}/all`, token)).res.status).toBe(200)
    expect((await api('GET', `${BASE}/1/rules`, token)).res.status).toBe(200)
    expect((await api('POST', BASE, token, { name: unique(), status: 1 })).res.status).toBe(403)
    expect((await api('PUT', `${BASE}/1`, token, { name: unique(), status: 1 })).res.status).toBe(403)
    expect((await api('PUT', `${BASE}/1/rules`, token, { rules: [1] })).res.status).toBe(403)
    expect((await api('DELETE', BASE, token, { pks: [1] })).res.status).toBe(403)
  })

  it('documents the permission codes', async () => {
    const res = await api('GET', '/api/v1/openapi.json', undefined)
    const paths = (res.body as unknown as { paths: Record<string, Record<string, { 'x-access': string }>> }).paths
    expect(paths['/sys/data-scopes']?.post?.['x-access']).toBe('data:scope:add')
    expect(paths['/sys/data-scopes/{pk}']?.put?.['x-access']).toBe('data:scope:edit')
    expect(paths['/sys/data-scopes/{pk}/rules']?.put?.['x-access']).toBe('data:scope:rule:edit')
    expect(paths['/sys/data-scopes']?.delete?.['x-access']).toBe('data:scope:del')
    expect(paths['/sys/data-rules']?.post?.['x-access']).toBe('data:rule:add')
    expect(paths['/sys/data-rules/{pk}']?.put?.['x-access']).toBe('data:rule:edit')
    expect(paths['/sys/data-rules']?.delete?.['x-access']).toBe('data:rule:del')
    expect(paths['/sys/data-rules/models']?.get?.['x-access']).toBe('authenticated')
  })
})

describe('reads', () => {
  it('GET /all answers every scope as DataScopeDetail', async () => {
    const { res, body } = await api('GET', `${BASE}/all`, await tokenOf('admin'))
    expect(res.status).toBe(200)
    const scopes = body.data as Record<string, unknown>[]
    expect(scopes.slice(0, 5).map((s) => s.name)).toEqual([
      '本部门数据权限',
      '测试部门及以下数据权限',
      '仅本人数据权限',
      '全模型本部门数据权限',
      '排除超级管理员数据权限',
    ])
    expect(Object.keys(scopes[0]!).sort()).toEqual(SCOPE_KEYS)
    expect(scopes[0]).toMatchObject({ id: 1, status: 1, updated_time: null })
    expect(scopes[0]!.created_time).toMatch(DATETIME)
  })

  it('GET /{pk} answers one scope, 404 when missing', async () => {
    const admin = await tokenOf('admin')
    expect((await api('GET', `${BASE}/2`, admin)).body.data).toMatchObject({ id: 2, name: '测试部门及以下数据权限' })
    const missing = await api('GET', `${BASE}/99999`, admin)
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Data scope not found')
  })

  it('GET /{pk}/rules answers DataScopeWithRules', async () => {
    const admin = await tokenOf('admin')
    const { res, body } = await api('GET', `${BASE}/2/rules`, admin)
    expect(res.status).toBe(200)
    const data = body.data as { rules: Record<string, unknown>[] }
    expect(Object.keys(data).sort()).toEqual([...SCOPE_KEYS, 'rules'].sort())
    expect(data.rules.map((r) => r.id)).toEqual([2, 3])
    expect(Object.keys(data.rules[0]!).sort()).toEqual(RULE_KEYS)
    expect((await api('GET', `${BASE}/99999/rules`, admin)).res.status).toBe(404)
  })

  it('GET / pages in id order and filters by name and status', async () => {
    const admin = await tokenOf('admin')
    const disabled = await createScope({ name: unique('off'), status: 0 })
    const page = async (query: string) =>
      (await api('GET', `${BASE}?${query}`, admin)).body.data as { items: { id: number }[]; total: number }
    const first = await page('page=1&size=2')
    expect(first.items.map((s) => s.id)).toEqual([1, 2])
    expect((await page(`name=${encodeURIComponent('本部门')}`)).items.map((s) => s.id)).toEqual([1, 4])
    expect((await page('status=0')).items.map((s) => s.id)).toEqual([disabled])
    expect((await api('GET', `${BASE}?status=5`, admin)).res.status).toBe(422)
  })
})

describe('POST /sys/data-scopes', () => {
  it('creates a scope', async () => {
    const name = unique()
    const id = await createScope({ name, status: 0 })
    expect((await api('GET', `${BASE}/${id}`, await tokenOf('admin'))).body.data).toMatchObject({ name, status: 0 })
  })

  it('validates the body', async () => {
    const admin = await tokenOf('admin')
    const cases: [Record<string, unknown>, string][] = [
      [{ status: 1 }, 'name'],
      [{ name: 'x' }, 'status'],
      [{ name: 'x', status: 2 }, 'status'],
      [{ name: 'x'.repeat(65), status: 1 }, 'name'],
    ]
    for (const [payload, field] of cases) {
      const { res, body } = await api('POST', BASE, admin, payload)
      expect(res.status, JSON.stringify(payload)).toBe(422)
      expect(errorsOf(body)[0]?.loc).toEqual(['body', field])
    }
  })

  it('is 409 for a name in use', async () => {
    const { res, body } = await api('POST', BASE, await tokenOf('admin'), { name: '仅本人数据权限', status: 1 })
    expect(res.status).toBe(409)
    expect(body.msg).toBe('Data scope already exists')
  })
})

describe('PUT /sys/data-scopes/{pk}', () => {
  it('updates a scope; keeps its own name; 409 for another name; 404 when missing', async () => {
    const admin = await tokenOf('admin')
    const name = unique()
    const id = await createScope({ name })
    expect((await api('PUT', `${BASE}/${id}`, admin, { name, status: 0 })).res.status).toBe(200)
    const { body } = await api('GET', `${BASE}/${id}`, admin)
    expect(body.data).toMatchObject({ name, status: 0 })
    expect((body.data as { updated_time: string }).updated_time).toMatch(DATETIME)
    expect((await api('PUT', `${BASE}/${id}`, admin, { name: '仅本人数据权限', status: 1 })).res.status).toBe(409)
    expect((await api('PUT', `${BASE}/99999`, admin, { name: unique(), status: 1 })).res.status).toBe(404)
  })
})

describe('PUT /sys/data-scopes/{pk}/rules', () => {
  it('replaces the rule set; duplicates count once; [] empties it', async () => {
    const admin = await tokenOf('admin')
    const id = await createScope()
    expect((await api('PUT', `${BASE}/${id}/rules`, admin, { rules: [1, 2] })).res.status).toBe(200)
    expect(await ruleIdsOf(id)).toEqual([1, 2])
    const { res, body } = await api('PUT', `${BASE}/${id}/rules`, admin, { rules: [3, 2, 3] })
    expect(res.status).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    expect(await ruleIdsOf(id)).toEqual([2, 3])
    const emptied = await api('PUT', `${BASE}/${id}/rules`, admin, { rules: [] })
    expect(emptied.res.status).toBe(200)
    expect(emptied.body.code).toBe(200)
    expect(await ruleIdsOf(id)).toEqual([])
  })

  it('is 404 for an unknown rule (nothing changes) or scope', async () => {
    const admin = await tokenOf('admin')
    const id = await createScope()
    await api('PUT', `${BASE}/${id}/rules`, admin, { rules: [1] })
    const unknown = await api('PUT', `${BASE}/${id}/rules`, admin, { rules: [2, 99999] })
    expect(unknown.res.status).toBe(404)
    expect(unknown.body.msg).toBe('Data rule not found')
    expect(await ruleIdsOf(id)).toEqual([1])
    const scope = await api('PUT', `${BASE}/99999/rules`, admin, { rules: [1] })
    expect(scope.res.status).toBe(404)
    expect(scope.body.msg).toBe('Data scope not found')
  })

  it('validates the body', async () => {
    const admin = await tokenOf('admin')
    expect((await api('PUT', `${BASE}/1/rules`, admin, {})).res.status).toBe(422)
    expect((await api('PUT', `${BASE}/1/rules`, admin, { rules: ['a'] })).res.status).toBe(422)
  })
})

describe('DELETE /sys/data-scopes', () => {
  it('deletes scopes with their role and rule links', async () => {
    const admin = await tokenOf('admin')
    const first = await createScope()
    const second = await createScope()
    await api('PUT', `${BASE}/${first}/rules`, admin, { rules: [1, 2] })
    await fileDb().insert(sysRoleDataScope).values({ roleId: 1, dataScopeId: first })
    const { res, body } = await api('DELETE', BASE, admin, { pks: [first, second] })
    expect(res.status).toBe(200)
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
    expect((await api('DELETE', BASE, await tokenOf('admin'), { pks: [] })).res.status).toBe(422)
  })
})
