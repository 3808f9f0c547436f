/**
 * Constraints live in the schema (docs/fba-compatibility.md, D13): every unique key rejects a duplicate with
 * SQLITE_CONSTRAINT ("UNIQUE constraint failed"), and deleting a user, role, menu, data scope or data rule removes its association rows
 * in the same statement (docs/fba-compatibility.md, D10; `ON DELETE CASCADE`).
 */
import { count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysDataRule } from '../../../src/domains/data-rules/schema'
import { sysDataScope, sysDataScopeRule } from '../../../src/domains/data-scopes/schema'
import { sysDept } from '../../../src/domains/depts/schema'
import { MenuType, sysMenu } from '../../../src/domains/menus/schema'
import { sysRole, sysRoleDataScope, sysRoleMenu } from '../../../src/domains/roles/schema'
import { sysUser, sysUserPasswordHistory, sysUserRole } from '../../../src/domains/users/schema'
import {
  isConstraintViolation,
  isUniqueViolation,
  sqliteErrorCode,
  violatedColumns,
} from '../../../src/infra/db/errors'
import { fileDb, migrateFileDatabase } from '../../helpers/database'

beforeAll(migrateFileDatabase)

const db = () => fileDb()

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (err) {
    return err
  }
  throw new Error('expected the query to fail')
}

async function expectUnique(run: () => Promise<unknown>, column: string) {
  const err = await failure(run)
  // Over HTTP, like Turso, only the primary code: the kind of constraint comes from SQLite's message.
  expect(sqliteErrorCode(err)).toBe('SQLITE_CONSTRAINT')
  expect(isUniqueViolation(err)).toBe(true)
  expect(isConstraintViolation(err, 'FOREIGNKEY')).toBe(false)
  expect(violatedColumns(err)).toContain(column)
}

const user = (n: number, extra: Partial<typeof sysUser.$inferInsert> = {}) => ({
  username: `user${n}`,
  nickname: `User ${n}`,
  email: `user${n}@example.com`,
  ...extra,
})

describe('unique constraints', () => {
  it('sys_user: username, email and uuid', async () => {
    const [first] = await db().insert(sysUser).values(user(1)).returning()
    await expectUnique(
      () =>
        db()
          .insert(sysUser)
          .values(user(2, { username: 'user1' })),
      'sys_user.username',
    )
    await expectUnique(
      () =>
        db()
          .insert(sysUser)
          .values(user(2, { email: 'user1@example.com' })),
      'sys_user.email',
    )
    await expectUnique(
      () =>
        db()
          .insert(sysUser)
          .values(user(2, { uuid: first?.uuid })),
      'sys_user.uuid',
    )
  })

  it('sys_user: many users may have no email', async () => {
    await db()
      .insert(sysUser)
      .values([user(10, { email: null }), user(11, { email: null })])
    const [row] = await db().select({ n: count() }).from(sysUser).where(eq(sysUser.nickname, 'User 10'))
    expect(row?.n).toBe(1)
  })

  it('sys_role, sys_data_scope and sys_data_rule: name', async () => {
    await db().insert(sysRole).values({ name: 'r' })
    await expectUnique(() => db().insert(sysRole).values({ name: 'r' }), 'sys_role.name')
    await db().insert(sysDataScope).values({ name: 's' })
    await expectUnique(() => db().insert(sysDataScope).values({ name: 's' }), 'sys_data_scope.name')
    const rule = { name: 'n', model: 'Dept', column: 'name', operator: 0, expression: 0, value: 'x' }
    await db().insert(sysDataRule).values(rule)
    await expectUnique(() => db().insert(sysDataRule).values(rule), 'sys_data_rule.name')
  })

  it('sys_dept: name among live departments only', async () => {
    const [dept] = await db().insert(sysDept).values({ name: 'Sales' }).returning()
    await expectUnique(() => db().insert(sysDept).values({ name: 'Sales' }), 'sys_dept.name')
    // Logically deleted: the name is free again.
    await db()
      .update(sysDept)
      .set({ delFlag: true })
      .where(eq(sysDept.id, dept?.id as number))
    await expect(db().insert(sysDept).values({ name: 'Sales' })).resolves.toBeDefined()
  })

  it('sys_menu: title among non-buttons; buttons may share titles', async () => {
    const menu = { name: 'M', title: 'page.menu.x', type: MenuType.menu }
    await db().insert(sysMenu).values(menu)
    await expectUnique(
      () =>
        db()
          .insert(sysMenu)
          .values({ ...menu, type: MenuType.directory }),
      'sys_menu.title',
    )
    const button = { name: 'Add', title: '新增', type: MenuType.button }
    await db().insert(sysMenu).values([button, button])
    const [row] = await db().select({ n: count() }).from(sysMenu).where(eq(sysMenu.title, '新增'))
    expect(row?.n).toBe(2)
  })

  it('association tables: one row per pair', async () => {
    const [u] = await db().insert(sysUser).values(user(20)).returning()
    const [r] = await db().insert(sysRole).values({ name: 'pair-role' }).returning()
    const [m] = await db().insert(sysMenu).values({ name: 'P', title: 'pair-menu', type: 1 }).returning()
    const [s] = await db().insert(sysDataScope).values({ name: 'pair-scope' }).returning()
    const [d] = await db()
      .insert(sysDataRule)
      .values({ name: 'pair-rule', model: 'Dept', column: 'id', operator: 0, expression: 0, value: '1' })
      .returning()
    const userRole = { userId: u?.id as number, roleId: r?.id as number }
    const roleMenu = { roleId: r?.id as number, menuId: m?.id as number }
    const roleScope = { roleId: r?.id as number, dataScopeId: s?.id as number }
    const scopeRule = { dataScopeId: s?.id as number, dataRuleId: d?.id as number }
    await db().insert(sysUserRole).values(userRole)
    await db().insert(sysRoleMenu).values(roleMenu)
    await db().insert(sysRoleDataScope).values(roleScope)
    await db().insert(sysDataScopeRule).values(scopeRule)
    await expectUnique(() => db().insert(sysUserRole).values(userRole), 'sys_user_role.user_id')
    await expectUnique(() => db().insert(sysRoleMenu).values(roleMenu), 'sys_role_menu.role_id')
    await expectUnique(() => db().insert(sysRoleDataScope).values(roleScope), 'sys_role_data_scope.role_id')
    await expectUnique(() => db().insert(sysDataScopeRule).values(scopeRule), 'sys_data_scope_rule.data_scope_id')
  })

  it('association rows must point at existing owners', async () => {
    const err = await failure(() => db().insert(sysUserRole).values({ userId: 9999, roleId: 9999 }))
    expect(isConstraintViolation(err, 'FOREIGNKEY')).toBe(true)
    expect(isUniqueViolation(err)).toBe(false)
  })
})

describe('deletes remove association rows', () => {
  async function graph(tag: string) {
    const [u] = await db()
      .insert(sysUser)
      .values({ username: `g-${tag}`, nickname: tag })
      .returning()
    const [r] = await db()
      .insert(sysRole)
      .values({ name: `g-${tag}` })
      .returning()
    const [m] = await db()
      .insert(sysMenu)
      .values({ name: tag, title: `g-${tag}`, type: 1 })
      .returning()
    const [s] = await db()
      .insert(sysDataScope)
      .values({ name: `g-${tag}` })
      .returning()
    const [d] = await db()
      .insert(sysDataRule)
      .values({ name: `g-${tag}`, model: 'Dept', column: 'id', operator: 0, expression: 0, value: '1' })
      .returning()
    const ids = { user: u?.id as number, role: r?.id as number, menu: m?.id as number, scope: s?.id as number }
    const rule = d?.id as number
    await db().batch([
      db().insert(sysUserRole).values({ userId: ids.user, roleId: ids.role }),
      db().insert(sysRoleMenu).values({ roleId: ids.role, menuId: ids.menu }),
      db().insert(sysRoleDataScope).values({ roleId: ids.role, dataScopeId: ids.scope }),
      db().insert(sysDataScopeRule).values({ dataScopeId: ids.scope, dataRuleId: rule }),
      db().insert(sysUserPasswordHistory).values({ userId: ids.user, password: 'old-hash' }),
    ])
    return { ...ids, rule }
  }

  const links = async (g: Awaited<ReturnType<typeof graph>>) => {
    const [userRoles, roleMenus, roleScopes, scopeRules, history] = await db().batch([
      db().select().from(sysUserRole).where(eq(sysUserRole.userId, g.user)),
      db().select().from(sysRoleMenu).where(eq(sysRoleMenu.menuId, g.menu)),
      db().select().from(sysRoleDataScope).where(eq(sysRoleDataScope.dataScopeId, g.scope)),
      db().select().from(sysDataScopeRule).where(eq(sysDataScopeRule.dataRuleId, g.rule)),
      db().select().from(sysUserPasswordHistory).where(eq(sysUserPasswordHistory.userId, g.user)),
    ])
    return {
      userRoles: userRoles.length,
      roleMenus: roleMenus.length,
      roleScopes: roleScopes.length,
      scopeRules: scopeRules.length,
      history: history.length,
    }
  }

  it('user → its role links and password history', async () => {
    const g = await graph('user')
    await db().delete(sysUser).where(eq(sysUser.id, g.user))
    expect(await links(g)).toEqual({ userRoles: 0, roleMenus: 1, roleScopes: 1, scopeRules: 1, history: 0 })
  })

  it('role → its user, menu and scope links', async () => {
    const g = await graph('role')
    await db().delete(sysRole).where(eq(sysRole.id, g.role))
    expect(await links(g)).toEqual({ userRoles: 0, roleMenus: 0, roleScopes: 0, scopeRules: 1, history: 1 })
  })

  it('data scope → its role and rule links', async () => {
    const g = await graph('scope')
    await db().delete(sysDataScope).where(eq(sysDataScope.id, g.scope))
    expect(await links(g)).toEqual({ userRoles: 1, roleMenus: 1, roleScopes: 0, scopeRules: 0, history: 1 })
  })

  it('menu and data rule → their links', async () => {
    const g = await graph('menu-rule')
    await db().batch([
      db().delete(sysMenu).where(eq(sysMenu.id, g.menu)),
      db().delete(sysDataRule).where(eq(sysDataRule.id, g.rule)),
    ])
    expect(await links(g)).toEqual({ userRoles: 1, roleMenus: 0, roleScopes: 1, scopeRules: 0, history: 1 })
  })

  it('departments have no cascading links: users keep their dept_id', async () => {
    const [dept] = await db().insert(sysDept).values({ name: 'Cascade-free' }).returning()
    await db().insert(sysUser).values({ username: 'in-dept', nickname: 'x', deptId: dept?.id })
    await db()
      .delete(sysDept)
      .where(eq(sysDept.id, dept?.id as number))
    const [row] = await db().select().from(sysUser).where(eq(sysUser.username, 'in-dept'))
    expect(row?.deptId).toBe(dept?.id)
  })
})
