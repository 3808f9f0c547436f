/**
 * The users list honours the caller's data scopes: with the seeded scope 4 ("all models, own department" — rule
 * `__ALL__.__dept_id__ == ${dept_id}`), a user sees only the users of their own department; a superuser sees all.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysDept } from '../../../src/domains/depts/schema'
import { sysRoleDataScope } from '../../../src/domains/roles/schema'
import { sysUser } from '../../../src/domains/users/schema'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { answer } from '../../helpers/harness'
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
