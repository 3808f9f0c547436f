/**
 * Loads the authenticated-user snapshot from the database in one `db.batch` (one round trip): the user with its
 * department, its roles, the menus of its enabled roles (plus, for superusers, every enabled menu's codes) and the
 * data rules of the enabled data scopes of its enabled roles.
 */
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../infra/db/client'
import { readBatch } from '../../infra/db/read-batch'
import { sysDataRule } from '../data-rules/schema'
import { sysDataScope, sysDataScopeRule } from '../data-scopes/schema'
import { sysDept } from '../depts/schema'
import { sysMenu } from '../menus/schema'
import { sysRole, sysRoleDataScope, sysRoleMenu } from '../roles/schema'
import { sysUser, sysUserRole } from '../users/schema'
import type { AuthDataRule, AuthUser } from './auth-user'

/** A menu's `perms` may hold several comma-separated codes. */
export function splitPerms(perms: (string | null)[]): string[] {
  const codes = new Set<string>()
  for (const value of perms) for (const code of value?.split(',') ?? []) if (code.trim()) codes.add(code.trim())
  return [...codes].sort()
}

/** A rule reached through several roles or scopes counts once; id order keeps the snapshot stable. */
function uniqueRules(rows: AuthDataRule[]): AuthDataRule[] {
  const byId = new Map<number, AuthDataRule>()
  for (const rule of rows) byId.set(rule.id, rule)
  return [...byId.values()].sort((a, b) => a.id - b.id)
}

export async function loadAuthUser(db: Db, userId: number, generation = 0): Promise<AuthUser | null> {
  const [userRows, roles, roleMenus, allMenus, ruleRows] = await readBatch(db, [
    db
      .select({ user: sysUser, deptName: sysDept.name, deptStatus: sysDept.status, deptDeleted: sysDept.delFlag })
      .from(sysUser)
      .leftJoin(sysDept, eq(sysDept.id, sysUser.deptId))
      .where(eq(sysUser.id, userId)),
    db
      .select({ id: sysRole.id, name: sysRole.name, status: sysRole.status, isFilterScopes: sysRole.isFilterScopes })
      .from(sysUserRole)
      .innerJoin(sysRole, eq(sysRole.id, sysUserRole.roleId))
      .where(eq(sysUserRole.userId, userId)),
    db
      .select({ perms: sysMenu.perms, status: sysMenu.status })
      .from(sysUserRole)
      .innerJoin(sysRole, and(eq(sysRole.id, sysUserRole.roleId), eq(sysRole.status, 1)))
      .innerJoin(sysRoleMenu, eq(sysRoleMenu.roleId, sysRole.id))
      .innerJoin(sysMenu, eq(sysMenu.id, sysRoleMenu.menuId))
      .where(eq(sysUserRole.userId, userId)),
    db.select({ perms: sysMenu.perms }).from(sysMenu).where(eq(sysMenu.status, 1)),
    db
      .select({
        id: sysDataRule.id,
        model: sysDataRule.model,
        column: sysDataRule.column,
        operator: sysDataRule.operator,
        expression: sysDataRule.expression,
        value: sysDataRule.value,
      })
      .from(sysUserRole)
      .innerJoin(sysRole, and(eq(sysRole.id, sysUserRole.roleId), eq(sysRole.status, 1)))
      .innerJoin(sysRoleDataScope, eq(sysRoleDataScope.roleId, sysRole.id))
      .innerJoin(sysDataScope, and(eq(sysDataScope.id, sysRoleDataScope.dataScopeId), eq(sysDataScope.status, 1)))
      .innerJoin(sysDataScopeRule, eq(sysDataScopeRule.dataScopeId, sysDataScope.id))
      .innerJoin(sysDataRule, eq(sysDataRule.id, sysDataScopeRule.dataRuleId))
      .where(eq(sysUserRole.userId, userId)),
  ])
  const row = userRows[0]
  if (!row) return null
  const { user } = row
  const enabledMenus = roleMenus.filter((m) => m.status === 1)
  return {
    generation,
    id: user.id,
    uuid: user.uuid,
    username: user.username,
    nickname: user.nickname,
    status: user.status,
    isSuperuser: user.isSuperuser,
    isStaff: user.isStaff,
    isMultiLogin: user.isMultiLogin,
    deptId: user.deptId,
    deptStatus: row.deptStatus,
    deptDeleted: row.deptDeleted ?? false,
    deptName: row.deptName,
    roles: roles.sort((a, b) => a.id - b.id),
    hasMenus: roleMenus.length > 0,
    perms: splitPerms((user.isSuperuser ? allMenus : enabledMenus).map((m) => m.perms)),
    dataRules: uniqueRules(ruleRows),
    avatar: user.avatar,
    email: user.email,
    phone: user.phone,
    joinTime: user.joinTime.getTime(),
    lastLoginTime: user.lastLoginTime?.getTime() ?? null,
  }
}
