// biome-ignore-all lint/suspicious/noTemplateCurlyInString: rule values use fba's `${…}` placeholders, not JS templates
/**
 * End to end: `GET /sys/depts` filtered by the caller's data scopes (docs/fba-compatibility.md, "Data permissions"),
 * and changes to rules, scopes
 * and departments applying on the caller's next request (the authorization generation).
 *
 * Setup, before the test user's first request: departments A and B under 测试 (1), C under A; the test user moves to
 * A; its role keeps only scope 1, whose rule 1 is `Dept.__dept_id__ == ${dept_id}` ("my own department").
 */
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { dataRuleRoutes } from '../../../src/domains/data-rules/routes.v1'
import type { dataScopeRoutes } from '../../../src/domains/data-scopes/routes.v1'
import { type DeptTree, DeptTreeSchema } from '../../../src/domains/depts/dto'
import type { deptRoutes } from '../../../src/domains/depts/routes.v1'
import { sysDept } from '../../../src/domains/depts/schema'
import { sysRole, sysRoleDataScope } from '../../../src/domains/roles/schema'
import { sysUser } from '../../../src/domains/users/schema'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { answer, api, failure } from '../../helpers/harness'
import { pk, treeOf } from './helpers'

let A = 0
let B = 0
let C = 0

/** The setup the header describes, done before anyone signs in. */
async function arrange(): Promise<void> {
  const db = fileDb()
  const [a, b] = await db
    .insert(sysDept)
    .values([
      { name: 'A', parentId: 1, sort: 1 },
      { name: 'B', parentId: 1, sort: 2 },
    ])
    .returning()
  A = a!.id
  B = b!.id
  const [c] = await db.insert(sysDept).values({ name: 'C', parentId: A }).returning()
  C = c!.id
  await db.update(sysUser).set({ deptId: A }).where(eq(sysUser.username, 'test'))
  await db.delete(sysRoleDataScope).where(eq(sysRoleDataScope.roleId, 1))
  await db.insert(sysRoleDataScope).values({ roleId: 1, dataScopeId: 1 })
}

const tokens = seedAndSignIn(['admin', 'test'], { prepare: arrange })

/** The routes these tests call, signed in as `user`. */
function as(user: 'admin' | 'test') {
  const token = tokens[user]
  return {
    depts: api<typeof deptRoutes>(token).sys.depts,
    rules: api<typeof dataRuleRoutes>(token).sys['data-rules'],
    scopes: api<typeof dataScopeRoutes>(token).sys['data-scopes'],
  }
}

/** The tree as `[id, [children…]]` pairs, easy to compare. */
const shape = (nodes: DeptTree[] | null): unknown[] => (nodes ?? []).map((n) => [n.id, shape(n.children)])

async function deptTreeOf(user: 'admin' | 'test') {
  const { status, body, data } = await answer(as(user).depts.$get({ query: {} }))
  expect(status, JSON.stringify(body)).toBe(200)
  return shape(treeOf(DeptTreeSchema, data))
}

const RULE_1 = { name: '部门 ID 等于当前用户部门', model: 'Dept', column: '__dept_id__', operator: 0 }

describe('GET /sys/depts with data permission', () => {
  it('shows a restricted user only their own department (as a root)', async () => {
    expect(await deptTreeOf('test')).toEqual([[A, []]])
  })

  it('shows a superuser every department', async () => {
    expect(await deptTreeOf('admin')).toEqual([
      [
        1,
        [
          [A, [[C, []]]],
          [B, []],
        ],
      ],
    ])
  })

  it('applies a rule change on the next request', async () => {
    const { rules } = as('admin')
    const edit = await answer(
      rules[':pk'].$put({ ...pk(1), json: { ...RULE_1, expression: 6, value: `\${dept_id},${C}` } }),
    )
    expect(edit.status, JSON.stringify(edit.body)).toBe(200)
    expect(await deptTreeOf('test')).toEqual([[A, [[C, []]]]])
  })

  it("applies a change of the scope's rules on the next request", async () => {
    const { scopes } = as('admin')
    const setRules = async (rules: number[]) =>
      (await answer(scopes[':pk'].rules.$put({ ...pk(1), json: { rules } }))).status
    // Rule 2: `Dept.name == 测试` (OR).
    expect(await setRules([2])).toBe(200)
    expect(await deptTreeOf('test')).toEqual([[1, []]])
    // Rules 1 (AND) and 2 (OR): (id in (A, C)) OR (name = 测试).
    expect(await setRules([1, 2])).toBe(200)
    expect(await deptTreeOf('test')).toEqual([[1, [[A, [[C, []]]]]]])
  })

  it('shows nothing once the only scope is disabled (no rules → no rows)', async () => {
    const { scopes } = as('admin')
    const scope = { ...pk(1), json: { name: '本部门数据权限', status: 0 } }
    expect((await answer(scopes[':pk'].$put(scope))).status).toBe(200)
    expect(await deptTreeOf('test')).toEqual([])
  })

  it('shows everything to a role that does not filter by scopes', async () => {
    await fileDb().update(sysRole).set({ isFilterScopes: false }).where(eq(sysRole.id, 1))
    // Any authorization write makes the snapshot reload; here, re-enabling the scope.
    const scope = { ...pk(1), json: { name: '本部门数据权限', status: 1 } }
    expect((await answer(as('admin').scopes[':pk'].$put(scope))).status).toBe(200)
    expect(await deptTreeOf('test')).toEqual([
      [
        1,
        [
          [A, [[C, []]]],
          [B, []],
        ],
      ],
    ])
    await fileDb().update(sysRole).set({ isFilterScopes: true }).where(eq(sysRole.id, 1))
  })

  it("applies a department change to the user's snapshot on the next request", async () => {
    const admin = as('admin').depts
    const test = as('test').depts
    const dept = { name: 'A', parent_id: 1, sort: 1, status: 0 }
    const deptA = pk(A)
    expect((await answer(admin[':pk'].$put({ ...deptA, json: dept }))).status).toBe(200)
    const locked = await failure(test.$get({ query: {} }))
    expect(locked.status).toBe(403)
    expect(locked.body.msg).toBe("The user's department is locked, please contact the administrator")
    expect((await answer(admin[':pk'].$put({ ...deptA, json: { ...dept, status: 1 } }))).status).toBe(200)
    expect((await answer(test.$get({ query: {} }))).status).toBe(200)
  })
})
