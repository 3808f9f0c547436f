/**
 * Department writes within the caller's data scope (docs/fba-compatibility.md, "Data permissions"): a department
 * outside the scope is unknown as a *new* parent too (the same 404 as an unknown parent), while a department whose
 * current parent is hidden can still be edited in place. The detail, update and delete of a hidden department are
 * tried by test/data-permission-matrix.test.ts.
 *
 * Setup: departments A and B under 测试 (1); the caller ("deptadmin", staff, every permission code) belongs to A and
 * its role filters by the seeded scope 1, rule `Dept.__dept_id__ == ${dept_id}` — it sees A only.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { deptRoutes } from '../../../src/domains/depts/routes.v1'
import { sysDept } from '../../../src/domains/depts/schema'
import { sysMenu } from '../../../src/domains/menus/schema'
import { sysRole, sysRoleDataScope, sysRoleMenu } from '../../../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../../../src/domains/users/schema'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { answer, api, failure } from '../../helpers/harness'
import { pk } from './helpers'

let A = 0
let B = 0
let token = ''

beforeAll(async () => {
  await seedFileDatabase()
  const db = fileDb()
  const [a, b] = await db
    .insert(sysDept)
    .values([
      { name: 'A', parentId: 1 },
      { name: 'B', parentId: 1 },
    ])
    .returning()
  A = a?.id ?? 0
  B = b?.id ?? 0
  const [role] = await db.insert(sysRole).values({ name: 'dept admins' }).returning()
  if (!role) throw new Error('role not created')
  const menus = await db.select({ id: sysMenu.id }).from(sysMenu)
  await db.insert(sysRoleMenu).values(menus.map((m) => ({ roleId: role.id, menuId: m.id })))
  await db.insert(sysRoleDataScope).values({ roleId: role.id, dataScopeId: 1 })
  const [admin] = await db.select({ password: sysUser.password }).from(sysUser).where(eq(sysUser.id, 1))
  const [user] = await db
    .insert(sysUser)
    .values({ username: 'deptadmin', nickname: 'deptadmin', password: admin?.password, deptId: A, isStaff: true })
    .returning()
  if (!user) throw new Error('user not created')
  await db.insert(sysUserRole).values({ userId: user.id, roleId: role.id })
  token = (await login('deptadmin')).accessToken
})

const depts = () => api<typeof deptRoutes>(token).sys.depts

describe('a department outside the scope', () => {
  it('cannot become the parent of a new department: the 404 of an unknown parent', async () => {
    const unknown = await failure(depts().$post({ json: { name: 'under unknown', parent_id: 999_999, status: 1 } }))
    const hidden = await failure(depts().$post({ json: { name: 'under B', parent_id: B, status: 1 } }))
    expect(unknown.status).toBe(404)
    expect(hidden.status).toBe(404)
    expect(hidden.body.msg).toBe(unknown.body.msg)
    expect(await fileDb().select().from(sysDept).where(eq(sysDept.name, 'under B'))).toEqual([])
  })

  it('cannot become the new parent of a visible department', async () => {
    const moved = await failure(depts()[':pk'].$put({ ...pk(A), json: { name: 'A', parent_id: B, status: 1 } }))
    expect(moved.status).toBe(404)
    expect(moved.body.msg).toBe('Parent department not found')
    const [row] = await fileDb().select().from(sysDept).where(eq(sysDept.id, A))
    expect(row?.parentId).toBe(1)
  })

  it('may stay the current parent: a visible department under a hidden one can be edited', async () => {
    const edit = await answer(depts()[':pk'].$put({ ...pk(A), json: { name: 'A renamed', parent_id: 1, status: 1 } }))
    expect(edit.status, JSON.stringify(edit.body)).toBe(200)
    const [row] = await fileDb().select().from(sysDept).where(eq(sysDept.id, A))
    expect(row?.name).toBe('A renamed')
  })
})
