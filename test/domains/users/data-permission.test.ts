/**
 * The users list honours the caller's data scopes: with the seeded scope 4 ("all models, own department" — rule
 * `__ALL__.__dept_id__ == ${dept_id}`), a user sees only the users of their own department; a superuser sees all.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysDept } from '../../../src/domains/depts/schema'
import { sysRoleDataScope } from '../../../src/domains/roles/schema'
import { sysUser } from '../../../src/domains/users/schema'
import { authed, login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'

beforeAll(async () => {
  await seedFileDatabase()
  const db = fileDb()
  const [a, b] = await db
    .insert(sysDept)
    .values([
      { name: 'Dept A', parentId: 1 },
      { name: 'Dept B', parentId: 1 },
    ])
    .returning()
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
  const res = await authed('/api/v1/sys/users?size=200', accessToken)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { data: { items: { username: string }[]; total: number } }
  expect(body.data.total).toBe(body.data.items.length)
  return body.data.items.map((u) => u.username).sort()
}

describe('GET /sys/users with data permission', () => {
  it('shows a restricted user only the users of their department', async () => {
    expect(await usernames('test')).toEqual(['alice', 'test'])
  })

  it('shows a superuser everyone', async () => {
    expect(await usernames('admin')).toEqual(['admin', 'alice', 'bob', 'test'])
  })
})
