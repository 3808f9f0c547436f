// biome-ignore-all lint/suspicious/noTemplateCurlyInString: rule values use fba's `${…}` placeholders, not JS templates
/** `/sys/data-rules` (contract §2.6): the rule editor's catalogue, reads, writes and access. */
import { eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysDataRule } from '../../../src/domains/data-rules/schema'
import { sysDataScopeRule } from '../../../src/domains/data-scopes/schema'
import { type Body, jsonInit } from '../../helpers/app'
import { authed } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { api, DATETIME, errorsOf, RULE_KEYS, tokenOf } from '../depts/helpers'

beforeAll(seedFileDatabase)

const BASE = '/api/v1/sys/data-rules'

let counter = 0
const unique = (prefix = 'rule') => `${prefix}-${++counter}-${crypto.randomUUID().slice(0, 6)}`

const ruleBody = (fields: Record<string, unknown> = {}) => ({
  name: unique(),
  model: 'Dept',
  column: 'name',
  operator: 0,
  expression: 0,
  value: 'x',
  ...fields,
})

async function createRule(fields: Record<string, unknown> = {}): Promise<number> {
  const body = ruleBody(fields)
  const { res, body: answer } = await api('POST', BASE, await tokenOf('admin'), body)
  expect(res.status, JSON.stringify(answer)).toBe(200)
  const [row] = await fileDb().select().from(sysDataRule).where(eq(sysDataRule.name, body.name))
  return row!.id
}

describe('access', () => {
  it('needs a token', async () => {
    for (const path of [
      `${BASE}/models`,
      `${BASE}/models/Dept/columns`,
      `${BASE}/value-template-variables`,
      `${BASE}/all`,
      `${BASE}/1`,
      BASE,
    ]) {
      expect((await api('GET', path, undefined)).res.status, path).toBe(401)
    }
    expect((await api('POST', BASE, undefined, ruleBody())).res.status).toBe(401)
    expect((await api('PUT', `${BASE}/1`, undefined, ruleBody())).res.status).toBe(401)
    expect((await api('DELETE', BASE, undefined, { pks: [1] })).res.status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    const token = await tokenOf('test')
    expect((await api('GET', `${BASE}/all`, token)).res.status).toBe(200)
    expect((await api('GET', `${BASE}/models`, token)).res.status).toBe(200)
    expect((await api('POST', BASE, token, ruleBody())).res.status).toBe(403)
    expect((await api('PUT', `${BASE}/1`, token, ruleBody())).res.status).toBe(403)
    expect((await api('DELETE', BASE, token, { pks: [1] })).res.status).toBe(403)
  })
})

describe('catalogue', () => {
  it('lists __ALL__ then the model names, without the data-permission tables', async () => {
    const { res, body } = await api('GET', `${BASE}/models`, await tokenOf('admin'))
    expect(res.status).toBe(200)
    const models = body.data as string[]
    expect(models[0]).toBe('__ALL__')
    for (const model of ['Dept', 'User', 'Role', 'Menu', 'UserRole', 'RoleMenu', 'LoginLog'])
      expect(models).toContain(model)
    for (const model of ['DataRule', 'DataScope', 'DataScopeRule', 'RoleDataScope']) expect(models).not.toContain(model)
    expect(models.slice(1)).toEqual([...models.slice(1)].sort())
  })

  it("lists a model's columns without the excluded ones, then the column templates", async () => {
    const { res, body } = await api('GET', `${BASE}/models/Dept/columns`, await tokenOf('admin'))
    expect(res.status).toBe(200)
    const columns = body.data as { key: string; comment: string }[]
    expect(columns.map((c) => c.key)).toEqual([
      'name',
      'leader',
      'phone',
      'email',
      'status',
      'parent_id',
      '__dept_id__',
      '__created_by__',
    ])
    expect(columns[0]).toEqual({ key: 'name', comment: 'name' })
    expect(columns.slice(-2)).toEqual([
      { key: '__dept_id__', comment: 'Department ID' },
      { key: '__created_by__', comment: 'Creator' },
    ])
    const users = (await api('GET', `${BASE}/models/User/columns`, await tokenOf('admin'))).body.data as {
      key: string
    }[]
    expect(users.map((c) => c.key)).toContain('is_superuser')
    expect(users.map((c) => c.key)).toContain('dept_id')
  })

  it('accepts the table name as an alias of the model name', async () => {
    const admin = await tokenOf('admin')
    const byTable = await api('GET', `${BASE}/models/sys_dept/columns`, admin)
    const byModel = await api('GET', `${BASE}/models/Dept/columns`, admin)
    expect(byTable.body.data).toEqual(byModel.body.data)
  })

  it('offers only the column templates for __ALL__', async () => {
    const { body } = await api('GET', `${BASE}/models/__ALL__/columns`, await tokenOf('admin'))
    expect((body.data as { key: string }[]).map((c) => c.key)).toEqual(['__dept_id__', '__created_by__'])
  })

  it('is 404 for an unknown or excluded model', async () => {
    const admin = await tokenOf('admin')
    for (const model of ['Nope', 'DataRule', 'sys_data_rule']) {
      const { res, body } = await api('GET', `${BASE}/models/${model}/columns`, admin)
      expect(res.status, model).toBe(404)
      expect(body.msg).toBe('Data rule model not found')
    }
  })

  it('lists the value template variables, translated', async () => {
    const { body } = await api('GET', `${BASE}/value-template-variables`, await tokenOf('admin'))
    expect(body.data).toEqual([
      { key: '${user_id}', comment: 'Current user ID' },
      { key: '${dept_id}', comment: "Current user's department ID" },
      { key: '${now}', comment: 'Current time' },
    ])
    const zh = await authed(`${BASE}/models/__ALL__/columns`, await tokenOf('admin'), {
      headers: { 'Accept-Language': 'zh-CN' },
    })
    expect(((await zh.json()) as Body).data).toEqual([
      { key: '__dept_id__', comment: '部门 ID' },
      { key: '__created_by__', comment: '创建者' },
    ])
  })
})

describe('reads', () => {
  it('GET /all answers every rule as DataRuleDetail', async () => {
    const { res, body } = await api('GET', `${BASE}/all`, await tokenOf('admin'))
    expect(res.status).toBe(200)
    const rules = body.data as Record<string, unknown>[]
    expect(rules.length).toBeGreaterThanOrEqual(6)
    expect(Object.keys(rules[0]!).sort()).toEqual(RULE_KEYS)
    expect(rules[0]).toMatchObject({
      id: 1,
      name: '部门 ID 等于当前用户部门',
      model: 'Dept',
      column: '__dept_id__',
      operator: 0,
      expression: 0,
      value: '${dept_id}',
      updated_time: null,
    })
    expect(rules[0]!.created_time).toMatch(DATETIME)
  })

  it('GET /{pk} answers one rule, 404 when missing', async () => {
    const admin = await tokenOf('admin')
    const { body } = await api('GET', `${BASE}/6`, admin)
    expect(body.data).toMatchObject({ id: 6, model: 'User', column: 'is_superuser', expression: 1, value: '1' })
    const missing = await api('GET', `${BASE}/99999`, admin)
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Data rule not found')
  })

  it('GET / pages in id order and filters by name', async () => {
    const admin = await tokenOf('admin')
    const { res, body } = await api('GET', `${BASE}?page=1&size=4`, admin)
    expect(res.status).toBe(200)
    const page = body.data as {
      items: { id: number }[]
      total: number
      page: number
      size: number
      total_pages: number
    }
    expect(page.items.map((r) => r.id)).toEqual([1, 2, 3, 4])
    expect(page).toMatchObject({ page: 1, size: 4 })
    expect(page.total_pages).toBe(Math.ceil(page.total / 4))
    const filtered = (await api('GET', `${BASE}?name=${encodeURIComponent('全模型')}`, admin)).body.data as {
      items: { id: number }[]
      total: number
    }
    expect(filtered.items.map((r) => r.id)).toEqual([5])
    expect(filtered.total).toBe(1)
  })
})

describe('POST /sys/data-rules', () => {
  it('creates a rule', async () => {
    const name = unique()
    const payload = {
      name,
      model: '__ALL__',
      column: '__created_by__',
      operator: 1,
      expression: 6,
      value: '${user_id},3',
    }
    const { res, body } = await api('POST', BASE, await tokenOf('admin'), payload)
    expect(res.status).toBe(200)
    expect(body.data).toBeNull()
    const [row] = await fileDb().select().from(sysDataRule).where(eq(sysDataRule.name, name))
    expect(row).toMatchObject({
      model: '__ALL__',
      column: '__created_by__',
      operator: 1,
      expression: 6,
      value: '${user_id},3',
    })
  })

  it('validates the body', async () => {
    const admin = await tokenOf('admin')
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ operator: 2 }, 'operator'],
      [{ expression: 8 }, 'expression'],
      [{ expression: -1 }, 'expression'],
      [{ value: 1 }, 'value'],
      [{ model: undefined }, 'model'],
      [{ column: 'x'.repeat(33) }, 'column'],
    ]
    for (const [fields, field] of cases) {
      const { res, body } = await api('POST', BASE, admin, ruleBody(fields))
      expect(res.status, JSON.stringify(fields)).toBe(422)
      expect(errorsOf(body)[0]?.loc).toEqual(['body', field])
    }
  })

  it('is 422 for a model or column the catalogue does not offer', async () => {
    const admin = await tokenOf('admin')
    const model = await api('POST', BASE, admin, ruleBody({ model: 'Nope' }))
    expect(model.res.status).toBe(422)
    expect(errorsOf(model.body)[0]).toMatchObject({ loc: ['body', 'model'], msg: 'Data rule model not found' })
    const excludedModel = await api('POST', BASE, admin, ruleBody({ model: 'DataScope' }))
    expect(excludedModel.res.status).toBe(422)
    const column = await api('POST', BASE, admin, ruleBody({ column: 'nope' }))
    expect(column.res.status).toBe(422)
    expect(errorsOf(column.body)[0]).toMatchObject({
      loc: ['body', 'column'],
      msg: 'Column nope is not available for model Dept',
    })
    for (const excluded of ['id', 'sort', 'del_flag', 'created_time', 'updated_time']) {
      expect((await api('POST', BASE, admin, ruleBody({ column: excluded }))).res.status, excluded).toBe(422)
    }
    expect((await api('POST', BASE, admin, ruleBody({ model: '__ALL__', column: 'name' }))).res.status).toBe(422)
    expect((await api('POST', BASE, admin, ruleBody({ model: 'sys_dept', column: 'parent_id' }))).res.status).toBe(200)
  })

  it('is 409 for a name in use', async () => {
    const admin = await tokenOf('admin')
    const { res, body } = await api('POST', BASE, admin, ruleBody({ name: '用户非超级管理员' }))
    expect(res.status).toBe(409)
    expect(body.msg).toBe('Data rule already exists')
    const zh = await authed(
      BASE,
      admin,
      jsonInit('POST', ruleBody({ name: '用户非超级管理员' }), { 'Accept-Language': 'zh-CN' }),
    )
    expect(((await zh.json()) as Body).msg).toBe('数据规则已存在')
  })
})

describe('PUT /sys/data-rules/{pk}', () => {
  it('updates a rule and sets updated_time', async () => {
    const admin = await tokenOf('admin')
    const id = await createRule()
    const payload = ruleBody({ column: 'status', expression: 5, value: '1' })
    expect((await api('PUT', `${BASE}/${id}`, admin, payload)).res.status).toBe(200)
    const { body } = await api('GET', `${BASE}/${id}`, admin)
    expect(body.data).toMatchObject(payload)
    expect((body.data as { updated_time: string }).updated_time).toMatch(DATETIME)
  })

  it('keeps its own name; 409 for another rule name; 404 when missing; 422 for an unknown column', async () => {
    const admin = await tokenOf('admin')
    const name = unique()
    const id = await createRule({ name })
    expect((await api('PUT', `${BASE}/${id}`, admin, ruleBody({ name }))).res.status).toBe(200)
    expect((await api('PUT', `${BASE}/${id}`, admin, ruleBody({ name: '用户非超级管理员' }))).res.status).toBe(409)
    const missing = await api('PUT', `${BASE}/99999`, admin, ruleBody())
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Data rule not found')
    expect((await api('PUT', `${BASE}/${id}`, admin, ruleBody({ column: 'nope' }))).res.status).toBe(422)
  })
})

describe('DELETE /sys/data-rules', () => {
  it('deletes rules and their scope links in one go', async () => {
    const admin = await tokenOf('admin')
    const first = await createRule()
    const second = await createRule()
    const link = await api('PUT', '/api/v1/sys/data-scopes/3/rules', admin, { rules: [4, first, second] })
    expect(link.res.status).toBe(200)
    const { res, body } = await api('DELETE', BASE, admin, { pks: [first, second, 99999] })
    expect(res.status).toBe(200)
    expect(body.data).toBeNull()
    expect(
      await fileDb()
        .select()
        .from(sysDataRule)
        .where(inArray(sysDataRule.id, [first, second])),
    ).toEqual([])
    const links = await fileDb().select().from(sysDataScopeRule).where(eq(sysDataScopeRule.dataScopeId, 3))
    expect(links.map((l) => l.dataRuleId)).toEqual([4])
  })

  it('validates the body', async () => {
    const admin = await tokenOf('admin')
    expect((await api('DELETE', BASE, admin, { pks: [] })).res.status).toBe(422)
    expect((await api('DELETE', BASE, admin, {})).res.status).toBe(422)
  })
})
