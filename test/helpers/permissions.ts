/**
 * Signed-in users holding exactly some permission codes: one role per user, linked to the seeded menus (buttons)
 * that carry the codes — the way an administrator grants them in the admin UI. Call after `seedFileDatabase()`.
 *
 *   const reader = await signedInWith(['log:login:list'])
 */
import { eq, inArray } from 'drizzle-orm'
import { expect } from 'vitest'
import { sysMenu } from '../../src/domains/menus/schema'
import { sysRole, sysRoleMenu } from '../../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../../src/domains/users/schema'
import { login } from './auth'
import { fileDb } from './database'
import { unique } from './fixtures'

export interface GrantOptions {
  /** More menus by `name` (e.g. the page a button sits under, `LoginLog`). */
  menus?: readonly string[]
  /** Staff may write (docs/fba-compatibility.md, "Access"); default true. */
  staff?: boolean
}

/** A new user (the seeded password) whose one role holds the menus carrying `codes`; its access token. */
export async function signedInWith(codes: readonly string[], options: GrantOptions = {}): Promise<string> {
  const db = fileDb()
  const name = unique('holder', '_')
  const [seeded] = await db.select({ password: sysUser.password }).from(sysUser).where(eq(sysUser.username, 'test'))
  const buttons = codes.length
    ? await db
        .select({ id: sysMenu.id, perms: sysMenu.perms })
        .from(sysMenu)
        .where(inArray(sysMenu.perms, [...codes]))
    : []
  // A code may sit on more than one button (`sys:task:view` on both task pages); each code must sit on one at least.
  expect(new Set(buttons.map((b) => b.perms)), `menus carrying ${codes.join(', ')}`).toEqual(new Set(codes))
  const pages = options.menus?.length
    ? await db
        .select({ id: sysMenu.id })
        .from(sysMenu)
        .where(inArray(sysMenu.name, [...options.menus]))
    : []
  expect(pages).toHaveLength(options.menus?.length ?? 0)
  const [role] = await db.insert(sysRole).values({ name, status: 1 }).returning()
  const menus = [...buttons, ...pages]
  if (menus.length) await db.insert(sysRoleMenu).values(menus.map((m) => ({ roleId: role!.id, menuId: m.id })))
  const [user] = await db
    .insert(sysUser)
    .values({ username: name, nickname: name, password: seeded!.password, isStaff: options.staff ?? true, deptId: 1 })
    .returning()
  await db.insert(sysUserRole).values({ userId: user!.id, roleId: role!.id })
  return (await login(name)).accessToken
}
