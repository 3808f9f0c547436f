/**
 * The authenticated-user snapshot every permission check reads: flags, department state, roles and permission
 * codes. Loaded from the database on a cold path and cached in Redis; any write that changes it deletes the cache
 * entry so the next request reloads it.
 */
export interface AuthRole {
  id: number
  name: string
  status: number
  isFilterScopes: boolean
}

export interface AuthUser {
  /** The authorization generation this snapshot was built at (see redis-keys `authzGeneration`). */
  generation: number
  id: number
  uuid: string
  username: string
  nickname: string
  status: number
  isSuperuser: boolean
  isStaff: boolean
  isMultiLogin: boolean
  deptId: number | null
  /** null when the user has no department. */
  deptStatus: number | null
  deptDeleted: boolean
  roles: AuthRole[]
  /** Whether any enabled role has at least one menu. */
  hasMenus: boolean
  /** Permission codes of enabled menus of enabled roles (every enabled menu's codes for superusers). */
  perms: string[]
  // Profile fields, so `GET /sys/users/me` is served from this snapshot without a database query.
  avatar: string | null
  email: string | null
  phone: string | null
  deptName: string | null
  /** Epoch ms (the snapshot is JSON in Redis). */
  joinTime: number
  lastLoginTime: number | null
}

export const enabledRoles = (user: AuthUser) => user.roles.filter((r) => r.status === 1)
