/**
 * The users routes honour the caller's data scopes: with the seeded scope 4 ("all models, own department" — rule
 * `__ALL__.__dept_id__ == ${dept_id}`), a user sees only the users of their own department; a superuser sees all.
 * A user outside the scope is hidden everywhere, not only from the list: its detail and roles are a 404, answered
 * exactly as for an unknown id (issue 13: a scope `is_superuser != 1` hid admin from the list, yet its detail
 * showed admin's email and `is_superuser=true`). test/data-permission-matrix.test.ts tries every such route.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { RuleExpression, RuleOperator, sysDataRule } from '../../../src/domains/data-rules/schema'
import { sysDataScope, sysDataScopeRule } from '../../../src/domains/data-scopes/schema'
import { sysDept } from '../../../src/domains/depts/schema'
import { sysRole, sysRoleDataScope, sysRoleMenu } from '../../../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../../../src/domains/users/schema'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { answer, failure } from '../../helpers/harness'
import { usersApi } from './helpers'

beforeAll(async () => {
  await seedFileDatabase()
  const db = fileDb()
  const depts = [
    { name: 'Dept A', parentId: 1 },
    { name: 'Dept B', parentId: 1 },
  ]
  const [a, b] = await db.insert(sysDept).values(depts).returning()
  await db.update(sysUser).set({ deptId: a?.id }).where(eq(sysUser.username, 'test'))
  await db.insert(sysUser).values([
    { username: 'alice', nickname: 'alice', deptId: a?.id },
    { username: 'bob', nickname: 'bob', deptId: b?.id },
  ])
  await db.delete(sysRoleDataScope).where(eq(sysRoleDataScope.roleId, 1))
  await db.insert(sysRoleDataScope).values({ roleId: 1, dataScopeId: 4 })
})

async function usernames(who: 'admin' | 'test'): Promise<string[]> {
  const { accessToken } = await login(who)
  const { status, data } = await answer(usersApi(accessToken).sys.users.$get({ query: { size: '200' } }))
  expect(status).toBe(200)
  expect(data.total).toBe(data.items.length)
  return data.items.map((u) => u.username).sort()
}

describe('GET /sys/users with data permission', () => {
  it('shows a restricted user only the users of their department', async () => {
    expect(await usernames('test')).toEqual(['alice', 'test'])
  })

  it('shows a superuser everyone', async () => {
    expect(await usernames('admin')).toEqual(['admin', 'alice', 'bob', 'test'])
  })
})

describe('a scope that hides superusers (the reported case)', () => {
  let auditor = ''
  let alice = 0

  beforeAll(async () => {
    const db = fileDb()
    // The auditor's only role filters by one scope whose only rule is `User.is_superuser != 1`.
    const [rule] = await db
      .insert(sysDataRule)
      .values({
        name: 'not a superuser',
        model: 'User',
        column: 'is_superuser',
        operator: RuleOperator.and,
        expression: RuleExpression.ne,
        value: '1',
      })
      .returning()
    const [scope] = await db.insert(sysDataScope).values({ name: 'no superusers' }).returning()
    const [role] = await db.insert(sysRole).values({ name: 'auditors' }).returning()
    if (!rule || !scope || !role) throw new Error('scope not created')
    await db.insert(sysDataScopeRule).values({ dataScopeId: scope.id, dataRuleId: rule.id })
    await db.insert(sysRoleDataScope).values({ roleId: role.id, dataScopeId: scope.id })
    await db.insert(sysRoleMenu).values({ roleId: role.id, menuId: 1 })
    const [admin] = await db.select({ password: sysUser.password }).from(sysUser).where(eq(sysUser.id, 1))
    const [user] = await db
      .insert(sysUser)
      .values({ username: 'auditor', nickname: 'auditor', password: admin?.password, deptId: 1 })
      .returning()
    if (!user) throw new Error('auditor not created')
    await db.insert(sysUserRole).values({ userId: user.id, roleId: role.id })
    alice = (await db.select({ id: sysUser.id }).from(sysUser).where(eq(sysUser.username, 'alice')))[0]?.id ?? 0
    auditor = (await login('auditor')).accessToken
  })

  const pk = (id: number) => ({ param: { pk: String(id) } })

  it('hides admin from the list', async () => {
    const { status, data } = await answer(usersApi(auditor).sys.users.$get({ query: { size: '200' } }))
    expect(status).toBe(200)
    expect(data.items.map((u) => u.username).sort()).toEqual(['alice', 'auditor', 'bob', 'test'])
  })

  it("answers admin's detail and roles with the 404 of an unknown user", async () => {
    const users = usersApi(auditor).sys.users
    const unknown = await failure(users[':pk'].$get(pk(999_999)))
    expect(unknown.status).toBe(404)
    for (const hidden of [await failure(users[':pk'].$get(pk(1))), await failure(users[':pk'].roles.$get(pk(1)))]) {
      expect(hidden.status).toBe(404)
      expect(hidden.body.msg).toBe(unknown.body.msg)
      expect(hidden.body.data).toEqual(unknown.body.data)
      expect(JSON.stringify(hidden.body)).not.toContain('admin')
    }
  })

  it('still shows the users inside the scope in full', async () => {
    const users = usersApi(auditor).sys.users
    const detail = await answer(users[':pk'].$get(pk(alice)))
    expect(detail.status).toBe(200)
    expect(detail.data.username).toBe('alice')
    expect((await answer(users[':pk'].roles.$get(pk(alice)))).status).toBe(200)
  })

  it('shows admin to admin (a superuser is never restricted)', async () => {
    const { accessToken } = await login('admin')
    const { status, data } = await answer(usersApi(accessToken).sys.users[':pk'].$get(pk(1)))
    expect(status).toBe(200)
    expect(data.is_superuser).toBe(true)
  })
})
