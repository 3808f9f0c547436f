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

/**
 * A data rule as the data-permission engine reads it (`sys_data_rule`; docs/fba-compatibility.md, "Data permissions").
 */
export interface AuthDataRule {
  id: number
  /** Model name (`Dept`), table name (`sys_dept`) or `__ALL__`. */
  model: string
  /** Column name or a column template (`__dept_id__`, `__created_by__`). */
  column: string
  /** 0 AND, 1 OR. */
  operator: number
  /** 0 `==`, 1 `!=`, 2 `>`, 3 `>=`, 4 `<`, 5 `<=`, 6 `in`, 7 `not in`. */
  expression: number
  value: string
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
  /**
   * Rules of the enabled data scopes of the user's enabled roles (deduplicated, by id), read by the data-permission
   * engine (data-rules/data-permission.ts) so filtering needs no database query.
   */
  dataRules: AuthDataRule[]
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
