/**
 * The core seed (docs/fba-compatibility.md, "Seed data"): exact counts and rows, passwords hashed by the caller's
 * function, idempotent re-runs, and one atomic batch.
 */

import { env } from 'cloudflare:workers'
import { createClient } from '@libsql/client/web'
import { asc, count, eq, lte } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql/web'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDatabase } from '../../src/app/seed'
import { createPasswordHasher } from '../../src/domains/auth/password'
import { RuleVariable, sysDataRule } from '../../src/domains/data-rules/schema'
import { sysDataScope, sysDataScopeRule } from '../../src/domains/data-scopes/schema'
import { sysDept } from '../../src/domains/depts/schema'
import { sysMenu } from '../../src/domains/menus/schema'
import { sysRole, sysRoleDataScope, sysRoleMenu } from '../../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../../src/domains/users/schema'
import { isConstraintViolation } from '../../src/infra/db/errors'
import type { RepositoryDb } from '../../src/infra/db/repository'
import { fileDb, MIGRATION_STATEMENTS, seedFileDatabase, TEST_SEED_PASSWORD } from '../helpers/database'
import { FILE_ID } from '../helpers/isolation'

const fakeHash = async (plain: string) => `hashed:${plain}`

/** Another fresh, migrated database on the emulator, for tests that need an empty one. */
const extraClients: { close(): void }[] = []
async function freshDb(name: string): Promise<RepositoryDb> {
  const base = (env as unknown as Record<string, string>).TEST_LIBSQL_URL
  const client = createClient({ url: `${base}/t_${FILE_ID}_${name}/` })
  extraClients.push(client)
  await client.batch([...MIGRATION_STATEMENTS], 'write')
  return drizzle({ client, casing: 'snake_case' })
}
afterAll(() => {
  for (const c of extraClients) c.close()
})

async function counts(db: RepositoryDb) {
  const [dept, user, role, menu, scope, rule, userRole, roleMenu, roleScope, scopeRule] = await db.batch([
    db.select({ n: count() }).from(sysDept),
    db.select({ n: count() }).from(sysUser),
    db.select({ n: count() }).from(sysRole),
    // Core menus only: plugins add theirs after id 50.
    db.select({ n: count() }).from(sysMenu).where(lte(sysMenu.id, 50)),
    db.select({ n: count() }).from(sysDataScope),
    db.select({ n: count() }).from(sysDataRule),
    db.select({ n: count() }).from(sysUserRole),
    db.select({ n: count() }).from(sysRoleMenu),
    db.select({ n: count() }).from(sysRoleDataScope),
    db.select({ n: count() }).from(sysDataScopeRule),
  ])
  const first = (rows: { n: number }[]) => rows[0]?.n ?? -1
  return {
    dept: first(dept),
    user: first(user),
    role: first(role),
    menu: first(menu),
    scope: first(scope),
    rule: first(rule),
    userRole: first(userRole),
    roleMenu: first(roleMenu),
    roleScope: first(roleScope),
    scopeRule: first(scopeRule),
  }
}

/** Every seeded table's rows, for before/after comparisons. */
async function snapshot(db: RepositoryDb) {
  return db.batch([
    db.select().from(sysDept).orderBy(asc(sysDept.id)),
    db.select().from(sysUser).orderBy(asc(sysUser.id)),
    db.select().from(sysRole).orderBy(asc(sysRole.id)),
    db.select().from(sysMenu).orderBy(asc(sysMenu.id)),
    db.select().from(sysDataScope).orderBy(asc(sysDataScope.id)),
    db.select().from(sysDataRule).orderBy(asc(sysDataRule.id)),
    db.select().from(sysUserRole).orderBy(asc(sysUserRole.id)),
    db.select().from(sysRoleMenu).orderBy(asc(sysRoleMenu.id)),
    db.select().from(sysRoleDataScope).orderBy(asc(sysRoleDataScope.id)),
    db.select().from(sysDataScopeRule).orderBy(asc(sysDataScopeRule.id)),
  ])
}

beforeAll(seedFileDatabase)

describe('seed', () => {
  it("produces exactly the contract's counts", async () => {
    expect(await counts(fileDb())).toEqual({
      dept: 1,
      user: 2,
      role: 1,
      menu: 50,
      scope: 5,
      rule: 6,
      userRole: 2,
      roleMenu: 4,
      roleScope: 2,
      scopeRule: 6,
    })
    const byType = await fileDb()
      .select({ type: sysMenu.type, n: count() })
      .from(sysMenu)
      .where(lte(sysMenu.id, 50))
      .groupBy(sysMenu.type)
      .orderBy(asc(sysMenu.type))
    // 7 directories, 17 menus, 23 buttons, 1 embedded, 2 links
    expect(byType).toEqual([
      { type: 0, n: 7 },
      { type: 1, n: 17 },
      { type: 2, n: 23 },
      { type: 3, n: 1 },
      { type: 4, n: 2 },
    ])
  })

  it('seeds the department, role and users of §6', async () => {
    const db = fileDb()
    expect(await db.select().from(sysDept)).toEqual([
      expect.objectContaining({ id: 1, name: '测试', parentId: null, status: 1, delFlag: false, sort: 0 }),
    ])
    expect(await db.select().from(sysRole)).toEqual([
      expect.objectContaining({ id: 1, name: '测试', status: 1, isFilterScopes: true }),
    ])
    const users = await db.select().from(sysUser).orderBy(asc(sysUser.id))
    expect(users).toEqual([
      expect.objectContaining({
        id: 1,
        username: 'admin',
        nickname: '用户88888',
        email: 'admin@example.com',
        deptId: 1,
        status: 1,
        isSuperuser: true,
        isStaff: true,
        isMultiLogin: true,
        lastLoginTime: null,
      }),
      expect.objectContaining({
        id: 2,
        username: 'test',
        nickname: '用户66666',
        email: 'test@example.com',
        deptId: 1,
        status: 1,
        isSuperuser: false,
        isStaff: false,
        isMultiLogin: false,
      }),
    ])
    for (const u of users) {
      expect(u.joinTime).toBeInstanceOf(Date)
      expect(u.lastPasswordChangedTime).toBeInstanceOf(Date)
    }
    const userRoles = await db.select().from(sysUserRole).orderBy(asc(sysUserRole.userId))
    expect(userRoles.map((r) => [r.userId, r.roleId])).toEqual([
      [1, 1],
      [2, 1],
    ])
  })

  it("hashes passwords with the caller's function (here: the app's hasher and pepper)", async () => {
    const pepper = (env as unknown as Record<string, string>).PASSWORD_PEPPER as string
    const hasher = createPasswordHasher({ pepper })
    const users = await fileDb().select().from(sysUser).orderBy(asc(sysUser.id))
    for (const u of users) {
      expect(u.password).toMatch(/^pbkdf2_sha256\$/)
      expect((await hasher.verify(TEST_SEED_PASSWORD, u.password)).ok).toBe(true)
    }
    expect(users[0]?.password).not.toBe(users[1]?.password)
  })

  it('links role 1 to menus {1,2,3,50} and scopes {1,2}; scopes to their rules', async () => {
    const db = fileDb()
    const roleMenus = await db.select().from(sysRoleMenu).orderBy(asc(sysRoleMenu.menuId))
    expect(roleMenus.map((r) => [r.roleId, r.menuId])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [1, 50],
    ])
    const roleScopes = await db.select().from(sysRoleDataScope).orderBy(asc(sysRoleDataScope.dataScopeId))
    expect(roleScopes.map((r) => [r.roleId, r.dataScopeId])).toEqual([
      [1, 1],
      [1, 2],
    ])
    const scopeRules = await db
      .select()
      .from(sysDataScopeRule)
      .orderBy(asc(sysDataScopeRule.dataScopeId), asc(sysDataScopeRule.dataRuleId))
    expect(scopeRules.map((r) => [r.dataScopeId, r.dataRuleId])).toEqual([
      [1, 1],
      [2, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ])
  })

  it('seeds the menus of Appendix A.1 (spot checks) with status=1, cache=1', async () => {
    const db = fileDb()
    const menus = await db.select().from(sysMenu).where(lte(sysMenu.id, 50)).orderBy(asc(sysMenu.id))
    expect(menus.map((m) => m.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(menus.every((m) => m.status === 1 && m.cache === 1)).toBe(true)
    const byId = new Map(menus.map((m) => [m.id, m]))
    expect(byId.get(2)).toMatchObject({
      parentId: 1,
      type: 1,
      title: 'page.dashboard.analytics',
      name: 'Analytics',
      path: '/analytics',
      sort: 0,
      component: '/dashboard/analytics/index',
      perms: null,
      display: 1,
      link: null,
    })
    expect(byId.get(15)).toMatchObject({
      parentId: 11,
      type: 2,
      title: '修改角色数据范围',
      name: 'EditSysRoleScope',
      path: null,
      perms: 'sys:role:scope:edit',
      display: 0,
    })
    expect(byId.get(47)).toMatchObject({
      parentId: 46,
      type: 4,
      component: '/_core/fallback/iframe.vue',
      link: 'https://fastapi-practices.github.io/fastapi_best_architecture_docs',
    })
    expect(byId.get(49)).toMatchObject({ type: 3, name: 'Apifox', link: expect.stringMatching(/^https:\/\/apifox/) })
    expect(byId.get(50)).toMatchObject({ parentId: null, type: 1, name: 'Profile', display: 0, sort: 6 })
    const roots = menus.filter((m) => m.parentId === null).map((m) => m.name)
    expect(roots).toEqual(['Dashboard', 'System', 'Scheduler', 'Log', 'Monitor', 'Project', 'Profile'])
    const buttons = menus.filter((m) => m.type === 2)
    expect(buttons.every((b) => b.perms && b.display === 0 && b.path === null)).toBe(true)
    const links = menus.filter((m) => m.link !== null).map((m) => m.id)
    expect(links).toEqual([47, 48, 49])
  })

  it('seeds the data scopes and rules with their operator/expression codes', async () => {
    const db = fileDb()
    const scopes = await db.select().from(sysDataScope).orderBy(asc(sysDataScope.id))
    expect(scopes.map((s) => [s.id, s.name, s.status])).toEqual([
      [1, '本部门数据权限', 1],
      [2, '测试部门及以下数据权限', 1],
      [3, '仅本人数据权限', 1],
      [4, '全模型本部门数据权限', 1],
      [5, '排除超级管理员数据权限', 1],
    ])
    const rules = await db.select().from(sysDataRule).orderBy(asc(sysDataRule.id))
    expect(rules.map((r) => [r.id, r.model, r.column, r.operator, r.expression, r.value])).toEqual([
      [1, 'Dept', '__dept_id__', 0, 0, RuleVariable.deptId],
      [2, 'Dept', 'name', 1, 0, '测试'],
      [3, 'Dept', 'parent_id', 0, 0, '1'],
      [4, '__ALL__', '__created_by__', 0, 0, RuleVariable.userId],
      [5, '__ALL__', '__dept_id__', 0, 0, RuleVariable.deptId],
      [6, 'User', 'is_superuser', 0, 1, '1'],
    ])
    expect(new Set(rules.map((r) => r.name)).size).toBe(6)
  })

  it('is idempotent: a second run inserts nothing and changes nothing', async () => {
    const db = fileDb()
    const before = await snapshot(db)
    const again = await seedDatabase(db, { hashPassword: fakeHash, adminPassword: 'x', testPassword: 'y' })
    expect(Object.values(again.inserted).every((n) => n === 0)).toBe(true)
    expect(await snapshot(db)).toEqual(before)
    await expect(seedFileDatabase()).resolves.toBeUndefined()
  })

  it('never overwrites edited rows; restores deleted seed links', async () => {
    const db = fileDb()
    await db.update(sysUser).set({ nickname: 'renamed' }).where(eq(sysUser.id, 1))
    await db.delete(sysRoleMenu).where(eq(sysRoleMenu.menuId, 50))
    const result = await seedDatabase(db, { hashPassword: fakeHash, adminPassword: 'x', testPassword: 'y' })
    expect(result.inserted.sys_role_menu).toBe(1)
    expect(result.inserted.sys_user).toBe(0)
    const [admin] = await db.select().from(sysUser).where(eq(sysUser.id, 1))
    expect(admin?.nickname).toBe('renamed')
    expect(admin?.password).toMatch(/^pbkdf2_sha256\$/)
  })

  it('on a fresh database: counts per table, and no test user without a test password', async () => {
    const db = await freshDb('admin_only')
    const hashed: string[] = []
    const result = await seedDatabase(db, {
      hashPassword: async (plain) => {
        hashed.push(plain)
        return fakeHash(plain)
      },
      adminPassword: 's3cret-admin',
    })
    expect(hashed).toEqual(['s3cret-admin'])
    expect(result.inserted).toEqual({
      sys_dept: 1,
      // fba's 50 core menus, then the 6 read buttons the logs and monitors modules place by name, the 8 buttons of
      // the two scheduler pages (the tasks module; fba seeds those pages without buttons) and the event DLQ's 2
      // buttons under 任务记录 (the events module).
      sys_menu: 68,
      sys_role: 1,
      sys_data_rule: 6,
      sys_data_scope: 5,
      sys_user: 1,
      sys_user_role: 1,
      sys_role_menu: 4,
      sys_role_data_scope: 2,
      sys_data_scope_rule: 6,
      // fba's built-in schedules: the two log clean-ups (on) and three demos (off).
      task_scheduler: 5,
    })
    const users = await db.select({ username: sysUser.username, password: sysUser.password }).from(sysUser)
    expect(users).toEqual([{ username: 'admin', password: 'hashed:s3cret-admin' }])
  })

  it('runs as one batch: when a statement fails, nothing is written', async () => {
    const db = await freshDb('conflict')
    // A different user already holds the username `admin` (id 7): the admin row is skipped, its role link then
    // points at a missing user 1 and fails — and the whole seed with it.
    await db.insert(sysUser).values({ id: 7, username: 'admin', nickname: 'squatter' })
    const err = await seedDatabase(db, { hashPassword: fakeHash, adminPassword: 'x' }).catch((e: unknown) => e)
    expect(isConstraintViolation(err, 'FOREIGNKEY')).toBe(true)
    expect(await counts(db)).toEqual({
      dept: 0,
      user: 1,
      role: 0,
      menu: 0,
      scope: 0,
      rule: 0,
      userRole: 0,
      roleMenu: 0,
      roleScope: 0,
      scopeRule: 0,
    })
  })

  it('refuses an empty admin password', async () => {
    await expect(seedDatabase(fileDb(), { hashPassword: fakeHash, adminPassword: '' })).rejects.toThrow(/adminPassword/)
  })
})
