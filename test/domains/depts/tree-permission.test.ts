// biome-ignore-all lint/suspicious/noTemplateCurlyInString: rule values use fba's `${…}` placeholders, not JS templates
/**
 * End to end: `GET /sys/depts` filtered by the caller's data scopes (contract §4.3), and changes to rules, scopes
 * and departments applying on the caller's next request (the authorization generation).
 *
 * Setup, before the test user's first request: departments A and B under 测试 (1), C under A; the test user moves to
 * A; its role keeps only scope 1, whose rule 1 is `Dept.__dept_id__ == ${dept_id}` ("my own department").
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysDept } from '../../../src/domains/depts/schema'
import { sysRole, sysRoleDataScope } from '../../../src/domains/roles/schema'
import { sysUser } from '../../../src/domains/users/schema'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { api, tokenOf } from './helpers'

interface TreeNode {
  id: number
  name: string
  children: TreeNode[] | null
}

let A = 0
let B = 0
let C = 0

beforeAll(async () => {
  await seedFileDatabase()
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
})

/** The tree as `[id, [children…]]` pairs, easy to compare. */
const shape = (nodes: TreeNode[] | null): unknown[] => (nodes ?? []).map((n) => [n.id, shape(n.children)])

async function treeOf(user: 'admin' | 'test') {
  const { res, body } = await api('GET', '/api/v1/sys/depts', await tokenOf(user))
  expect(res.status, JSON.stringify(body)).toBe(200)
  return shape(body.data as TreeNode[])
}

const RULE_1 = { name: '部门 ID 等于当前用户部门', model: 'Dept', column: '__dept_id__', operator: 0 }

describe('GET /sys/depts with data permission', () => {
  it('shows a restricted user only their own department (as a root)', async () => {
    expect(await treeOf('test')).toEqual([[A, []]])
  })

  it('shows a superuser every department', async () => {
    expect(await treeOf('admin')).toEqual([
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
    const admin = await tokenOf('admin')
    const edit = await api('PUT', '/api/v1/sys/data-rules/1', admin, {
      ...RULE_1,
      expression: 6,
      value: `\${dept_id},${C}`,
    })
    expect(edit.res.status, JSON.stringify(edit.body)).toBe(200)
    expect(await treeOf('test')).toEqual([[A, [[C, []]]]])
  })

  it("applies a change of the scope's rules on the next request", async () => {
    const admin = await tokenOf('admin')
    // Rule 2: `Dept.name == 测试` (OR).
    expect((await api('PUT', '/api/v1/sys/data-scopes/1/rules', admin, { rules: [2] })).res.status).toBe(200)
    expect(await treeOf('test')).toEqual([[1, []]])
    // Rules 1 (AND) and 2 (OR): (id in (A, C)) OR (name = 测试).
    expect((await api('PUT', '/api/v1/sys/data-scopes/1/rules', admin, { rules: [1, 2] })).res.status).toBe(200)
    expect(await treeOf('test')).toEqual([[1, [[A, [[C, []]]]]]])
  })

  it('shows nothing once the only scope is disabled (no rules → no rows)', async () => {
    const admin = await tokenOf('admin')
    const scope = { name: '本部门数据权限', status: 0 }
    expect((await api('PUT', '/api/v1/sys/data-scopes/1', admin, scope)).res.status).toBe(200)
    expect(await treeOf('test')).toEqual([])
  })

  it('shows everything to a role that does not filter by scopes', async () => {
    await fileDb().update(sysRole).set({ isFilterScopes: false }).where(eq(sysRole.id, 1))
    // Any authorization write makes the snapshot reload; here, re-enabling the scope.
    const scope = { name: '本部门数据权限', status: 1 }
    expect((await api('PUT', '/api/v1/sys/data-scopes/1', await tokenOf('admin'), scope)).res.status).toBe(200)
    expect(await treeOf('test')).toEqual([
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
    const admin = await tokenOf('admin')
    const dept = { name: 'A', parent_id: 1, sort: 1, status: 0 }
    expect((await api('PUT', `/api/v1/sys/depts/${A}`, admin, dept)).res.status).toBe(200)
    const locked = await api('GET', '/api/v1/sys/depts', await tokenOf('test'))
    expect(locked.res.status).toBe(403)
    expect(locked.body.msg).toBe("The user's department is locked, please contact the administrator")
    expect((await api('PUT', `/api/v1/sys/depts/${A}`, admin, { ...dept, status: 1 })).res.status).toBe(200)
    expect((await api('GET', '/api/v1/sys/depts', await tokenOf('test'))).res.status).toBe(200)
  })
})
