/**
 * The seeded users (docs/fba-compatibility.md, "Seed data"), both in dept 1 with role 1. Passwords arrive already
 * hashed: the caller owns the hasher (and its pepper). Without a test password the `test` user is not seeded (see
 * `seedDatabase`).
 */
import type { NewUser, NewUserRole } from './schema'

export interface UserSeedPasswords {
  /** Hash for `admin`. */
  admin: string
  /** Hash for `test`; omitted → no `test` user. */
  test?: string | undefined
}

export function userSeed(passwords: UserSeedPasswords): { users: NewUser[]; userRoles: NewUserRole[] } {
  const users: NewUser[] = [
    {
      id: 1,
      username: 'admin',
      nickname: '用户88888',
      password: passwords.admin,
      email: 'admin@example.com',
      status: 1,
      isSuperuser: true,
      isStaff: true,
      isMultiLogin: true,
      deptId: 1,
    },
  ]
  if (passwords.test !== undefined) {
    users.push({
      id: 2,
      username: 'test',
      nickname: '用户66666',
      password: passwords.test,
      email: 'test@example.com',
      status: 1,
      isSuperuser: false,
      isStaff: false,
      isMultiLogin: false,
      deptId: 1,
    })
  }
  return { users, userRoles: users.map((u) => ({ userId: u.id as number, roleId: 1 })) }
}
