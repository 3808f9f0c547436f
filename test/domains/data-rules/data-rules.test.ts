// biome-ignore-all lint/suspicious/noTemplateCurlyInString: rule values use fba's `${…}` placeholders, not JS templates
/**
 * `/sys/data-rules` (docs/fba-compatibility.md, "Data rules"): the rule editor's catalogue, reads, writes and access.
 */
import type { z } from '@hono/zod-openapi'
import { eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { DataRuleBodySchema } from '../../../src/domains/data-rules/dto'
import type { dataRuleRoutes } from '../../../src/domains/data-rules/routes.v1'
import { sysDataRule } from '../../../src/domains/data-rules/schema'
import type { dataScopeRoutes } from '../../../src/domains/data-scopes/routes.v1'
import { sysDataScopeRule } from '../../../src/domains/data-scopes/schema'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { DATETIME, unique } from '../../helpers/fixtures'
import { answer, api, failure, send } from '../../helpers/harness'
import { expectInvalidBodies, pk, RULE_KEYS } from '../depts/helpers'

const tokens = seedAndSignIn()

const BASE = '/api/v1/sys/data-rules'

/** The `/sys/data-rules` routes, signed in as `user` (anonymous without one). */
const rules = (user?: 'admin' | 'test', headers?: Record<string, string>) =>
  api<typeof dataRuleRoutes>(user && tokens[user], { headers }).sys['data-rules']

const model = (name: string) => ({ param: { model: name } })

const ruleBody = (fields: Partial<z.input<typeof DataRuleBodySchema>> = {}) => ({
  name: unique('rule'),
  model: 'Dept',
  column: 'name',
  operator: 0,
  expression: 0,
  value: 'x',
  ...fields,
})

async function createRule(fields: Partial<z.input<typeof DataRuleBodySchema>> = {}): Promise<number> {
  const json = ruleBody(fields)
  const { status, body } = await answer(rules('admin').$post({ json }))
  expect(status, JSON.stringify(body)).toBe(200)
  const [row] = await fileDb().select().from(sysDataRule).where(eq(sysDataRule.name, json.name))
  return row!.id
}

describe('access', () => {
  it('needs a token', async () => {
    const anonymous = rules()
    for (const [path, request] of [
      [`${BASE}/models`, () => anonymous.models.$get()],
      [`${BASE}/models/Dept/columns`, () => anonymous.models[':model'].columns.$get(model('Dept'))],
      [`${BASE}/value-template-variables`, () => anonymous['value-template-variables'].$get()],
      [`${BASE}/all`, () => anonymous.all.$get()],
      [`${BASE}/1`, () => anonymous[':pk'].$get(pk(1))],
      [BASE, () => anonymous.$get({ query: {} })],
    ] as const) {
      expect((await failure(request())).status, path).toBe(401)
    }
    expect((await failure(anonymous.$post({ json: ruleBody() }))).status).toBe(401)
    expect((await failure(anonymous[':pk'].$put({ ...pk(1), json: ruleBody() }))).status).toBe(401)
    expect((await failure(anonymous.$delete({ json: { pks: [1] } }))).status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    const test = rules('test')
    expect((await answer(test.all.$get())).status).toBe(200)
    expect((await answer(test.models.$get())).status).toBe(200)
    expect((await failure(test.$post({ json: ruleBody() }))).status).toBe(403)
    expect((await failure(test[':pk'].$put({ ...pk(1), json: ruleBody() }))).status).toBe(403)
    expect((await failure(test.$delete({ json: { pks: [1] } }))).status).toBe(403)
  })
})

describe('catalogue', () => {
  it('lists __ALL__ then the model names, without the data-permission tables', async () => {
    const { status, data: models } = await answer(rules('admin').models.$get())
    expect(status).toBe(200)
    expect(models[0]).toBe('__ALL__')
    for (const model of ['Dept', 'User', 'Role', 'Menu', 'UserRole', 'RoleMenu', 'LoginLog'])
      expect(models).toContain(model)
    for (const model of ['DataRule', 'DataScope', 'DataScopeRule', 'RoleDataScope']) expect(models).not.toContain(model)
    expect(models.slice(1)).toEqual([...models.slice(1)].sort())
  })

  it("lists a model's columns without the excluded ones, then the column templates", async () => {
    const admin = rules('admin')
    const { status, data: columns } = await answer(admin.models[':model'].columns.$get(model('Dept')))
    expect(status).toBe(200)
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
    const users = (await answer(admin.models[':model'].columns.$get(model('User')))).data
    expect(users.map((c) => c.key)).toContain('is_superuser')
    expect(users.map((c) => c.key)).toContain('dept_id')
  })

  it('accepts the table name as an alias of the model name', async () => {
    const admin = rules('admin')
    const byTable = await answer(admin.models[':model'].columns.$get(model('sys_dept')))
    const byModel = await answer(admin.models[':model'].columns.$get(model('Dept')))
    expect(byTable.data).toEqual(byModel.data)
  })

  it('offers only the column templates for __ALL__', async () => {
    const { data } = await answer(rules('admin').models[':model'].columns.$get(model('__ALL__')))
    expect(data.map((c) => c.key)).toEqual(['__dept_id__', '__created_by__'])
  })

  it('is 404 for an unknown or excluded model', async () => {
    const admin = rules('admin')
    for (const name of ['Nope', 'DataRule', 'sys_data_rule']) {
      const { status, body } = await failure(admin.models[':model'].columns.$get(model(name)))
      expect(status, name).toBe(404)
      expect(body.msg).toBe('Data rule model not found')
    }
  })

  it('lists the value template variables, translated', async () => {
    const { data } = await answer(rules('admin')['value-template-variables'].$get())
    expect(data).toEqual([
      { key: '${user_id}', comment: 'Current user ID' },
      { key: '${dept_id}', comment: "Current user's department ID" },
      { key: '${now}', comment: 'Current time' },
    ])
    const zh = rules('admin', { 'Accept-Language': 'zh-CN' })
    expect((await answer(zh.models[':model'].columns.$get(model('__ALL__')))).data).toEqual([
      { key: '__dept_id__', comment: '部门 ID' },
      { key: '__created_by__', comment: '创建者' },
    ])
  })
})

describe('reads', () => {
  it('GET /all answers every rule as DataRuleDetail', async () => {
    const { status, data: all } = await answer(rules('admin').all.$get())
    expect(status).toBe(200)
    expect(all.length).toBeGreaterThanOrEqual(6)
    expect(Object.keys(all[0]!).sort()).toEqual(RULE_KEYS)
    expect(all[0]).toMatchObject({
      id: 1,
      name: '部门 ID 等于当前用户部门',
      model: 'Dept',
      column: '__dept_id__',
      operator: 0,
      expression: 0,
      value: '${dept_id}',
      updated_time: null,
    })
    expect(all[0]!.created_time).toMatch(DATETIME)
  })

  it('GET /{pk} answers one rule, 404 when missing', async () => {
    const admin = rules('admin')
    const { data } = await answer(admin[':pk'].$get(pk(6)))
    expect(data).toMatchObject({ id: 6, model: 'User', column: 'is_superuser', expression: 1, value: '1' })
    const missing = await failure(admin[':pk'].$get(pk(99999)))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Data rule not found')
  })

  it('GET / pages in id order and filters by name', async () => {
    const admin = rules('admin')
    const { status, data: page } = await answer(admin.$get({ query: { page: '1', size: '4' } }))
    expect(status).toBe(200)
    expect(page.items.map((r) => r.id)).toEqual([1, 2, 3, 4])
    expect(page).toMatchObject({ page: 1, size: 4 })
    expect(page.total_pages).toBe(Math.ceil(page.total / 4))
    const filtered = (await answer(admin.$get({ query: { name: '全模型' } }))).data
    expect(filtered.items.map((r) => r.id)).toEqual([5])
    expect(filtered.total).toBe(1)
  })
})

describe('POST /sys/data-rules', () => {
  it('creates a rule', async () => {
    const name = unique('rule')
    const payload = {
      name,
      model: '__ALL__',
      column: '__created_by__',
      operator: 1,
      expression: 6,
      value: '${user_id},3',
    }
    const { status, body } = await answer(rules('admin').$post({ json: payload }))
    expect(status).toBe(200)
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
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ operator: 2 }, 'operator'],
      [{ expression: 8 }, 'expression'],
      [{ expression: -1 }, 'expression'],
      [{ value: 1 }, 'value'],
      [{ model: undefined }, 'model'],
      [{ column: 'x'.repeat(33) }, 'column'],
    ]
    await expectInvalidBodies(
      BASE,
      tokens.admin,
      cases.map(([fields, field]) => [{ ...ruleBody(), ...fields }, field]),
    )
  })

  it('is 422 for a model or column the catalogue does not offer', async () => {
    const admin = rules('admin')
    const create = (fields: Partial<z.input<typeof DataRuleBodySchema>>) => admin.$post({ json: ruleBody(fields) })
    const unknownModel = await failure(create({ model: 'Nope' }))
    expect(unknownModel.status).toBe(422)
    expect(unknownModel.errors[0]).toMatchObject({ loc: ['body', 'model'], msg: 'Data rule model not found' })
    const excludedModel = await failure(create({ model: 'DataScope' }))
    expect(excludedModel.status).toBe(422)
    const column = await failure(create({ column: 'nope' }))
    expect(column.status).toBe(422)
    expect(column.errors[0]).toMatchObject({
      loc: ['body', 'column'],
      msg: 'Column nope is not available for model Dept',
    })
    for (const excluded of ['id', 'sort', 'del_flag', 'created_time', 'updated_time']) {
      expect((await failure(create({ column: excluded }))).status, excluded).toBe(422)
    }
    expect((await failure(create({ model: '__ALL__', column: 'name' }))).status).toBe(422)
    expect((await answer(create({ model: 'sys_dept', column: 'parent_id' }))).status).toBe(200)
  })

  it('is 409 for a name in use', async () => {
    const { status, body } = await failure(rules('admin').$post({ json: ruleBody({ name: '用户非超级管理员' }) }))
    expect(status).toBe(409)
    expect(body.msg).toBe('Data rule already exists')
    const zh = rules('admin', { 'Accept-Language': 'zh-CN' })
    expect((await failure(zh.$post({ json: ruleBody({ name: '用户非超级管理员' }) }))).body.msg).toBe('数据规则已存在')
  })
})

describe('PUT /sys/data-rules/{pk}', () => {
  it('updates a rule and sets updated_time', async () => {
    const admin = rules('admin')
    const id = await createRule()
    const payload = ruleBody({ column: 'status', expression: 5, value: '1' })
    expect((await answer(admin[':pk'].$put({ ...pk(id), json: payload }))).status).toBe(200)
    const { data } = await answer(admin[':pk'].$get(pk(id)))
    expect(data).toMatchObject(payload)
    expect(data.updated_time).toMatch(DATETIME)
  })

  it('keeps its own name; 409 for another rule name; 404 when missing; 422 for an unknown column', async () => {
    const admin = rules('admin')
    const update = (id: number, fields: Partial<z.input<typeof DataRuleBodySchema>> = {}) =>
      admin[':pk'].$put({ ...pk(id), json: ruleBody(fields) })
    const name = unique('rule')
    const id = await createRule({ name })
    expect((await answer(update(id, { name }))).status).toBe(200)
    expect((await failure(update(id, { name: '用户非超级管理员' }))).status).toBe(409)
    const missing = await failure(update(99999))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Data rule not found')
    expect((await failure(update(id, { column: 'nope' }))).status).toBe(422)
  })
})

describe('DELETE /sys/data-rules', () => {
  it('deletes rules and their scope links in one go', async () => {
    const first = await createRule()
    const second = await createRule()
    const scopes = api<typeof dataScopeRoutes>(tokens.admin).sys['data-scopes']
    const link = await answer(scopes[':pk'].rules.$put({ ...pk(3), json: { rules: [4, first, second] } }))
    expect(link.status).toBe(200)
    const { status, body } = await answer(rules('admin').$delete({ json: { pks: [first, second, 99999] } }))
    expect(status).toBe(200)
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
    expect((await failure(rules('admin').$delete({ json: { pks: [] } }))).status).toBe(422)
    expect((await failure(send('DELETE', BASE, { token: tokens.admin, json: {} }))).status).toBe(422)
  })
})
