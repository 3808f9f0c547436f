/**
 * `sys_user` with its relations: department, roles (through `sys_user_role`) and password history. Reads of
 * several tables go out in one `db.batch`; writes are returned as un-executed queries so the service can commit a
 * user and its links in one batch (all or nothing).
 */
import { and, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { readBatch, readPage } from '../../infra/db/read-batch'
import { type ListQuery, type PageShape, Repository, type RepositoryDb, reusableShape } from '../../infra/db/repository'
import { type Dept, sysDept } from '../depts/schema'
import { type Role, sysRole } from '../roles/schema'
import { type NewUser, sysUser, sysUserPasswordHistory, sysUserRole, type User } from './schema'

export interface UserRelations<U = User> {
  user: U
  dept: Dept | null
  roles: Role[]
}

/**
 * The user columns a list shows (`UserInfo`): not the password hash, which a list has no reason to read, nor the
 * bookkeeping times — a quarter fewer cells per row to send, decode and map.
 */
const listedUser = {
  id: sysUser.id,
  uuid: sysUser.uuid,
  username: sysUser.username,
  nickname: sysUser.nickname,
  deptId: sysUser.deptId,
  avatar: sysUser.avatar,
  email: sysUser.email,
  phone: sysUser.phone,
  status: sysUser.status,
  isSuperuser: sysUser.isSuperuser,
  isStaff: sysUser.isStaff,
  isMultiLogin: sysUser.isMultiLogin,
  joinTime: sysUser.joinTime,
  lastLoginTime: sysUser.lastLoginTime,
}

/** A listed user: the `User` fields of `listedUser`. */
export type ListedUser = Pick<User, keyof typeof listedUser>

export class UserRepository extends Repository<typeof sysUser> {
  constructor(db: RepositoryDb) {
    super(db, sysUser, {
      filters: {
        dept: filter.eq(sysUser.deptId),
        username: filter.like(sysUser.username),
        phone: filter.like(sysUser.phone),
        status: filter.eq(sysUser.status),
      },
      sorts: { id: sysUser.id },
      defaultOrder: [desc(sysUser.id)],
    })
  }

  getByUsername(username: string): Promise<User | undefined> {
    return this.getBy({ username })
  }

  /** Whether another user (not `exceptId`) already has this email. */
  async emailTaken(email: string, exceptId?: number): Promise<boolean> {
    return this.exists(and(eq(sysUser.email, email), this.#notId(exceptId)))
  }

  /**
   * What a create or update must check, in one round trip: whether the username / email belong to another user
   * (not `exceptId`), the (live) department and the roles. Omitted inputs are not looked up.
   */
  async references(input: {
    username?: string | undefined
    email?: string | null | undefined
    deptId?: number | null | undefined
    roleIds: readonly number[]
    exceptId?: number | undefined
  }): Promise<{ usernameTaken: boolean; emailTaken: boolean; dept: Dept | undefined; roles: Role[] }> {
    const none = sql`0`
    const taken = (condition: SQL | undefined) =>
      this.db
        .select({ id: sysUser.id })
        .from(sysUser)
        .where(condition ? and(condition, this.#notId(input.exceptId)) : none)
        .limit(1)
    const [byUsername, byEmail, depts, roles] = await readBatch(this.db, [
      taken(input.username === undefined ? undefined : eq(sysUser.username, input.username)),
      taken(input.email ? eq(sysUser.email, input.email) : undefined),
      this.db
        .select()
        .from(sysDept)
        .where(
          input.deptId === undefined || input.deptId === null
            ? none
            : and(eq(sysDept.id, input.deptId), eq(sysDept.delFlag, false)),
        )
        .limit(1),
      this.db
        .select()
        .from(sysRole)
        .where(input.roleIds.length ? inArray(sysRole.id, [...input.roleIds]) : none)
        .orderBy(sysRole.id),
    ])
    return { usernameTaken: byUsername.length > 0, emailTaken: byEmail.length > 0, dept: depts[0], roles }
  }

  /** One user with its department and roles, in one round trip. */
  async withRelations(id: number): Promise<UserRelations | undefined> {
    const [rows, roles] = await readBatch(this.db, [
      this.db
        .select({ user: sysUser, dept: sysDept })
        .from(sysUser)
        .leftJoin(sysDept, eq(sysDept.id, sysUser.deptId))
        .where(eq(sysUser.id, id)),
      this.#rolesOf([id]),
    ])
    const row = rows[0]
    if (!row) return undefined
    return { user: row.user, dept: row.dept, roles: roles.map((r) => r.role) }
  }

  /**
   * A page of users with their departments and roles, and the total, in one round trip: the roles are selected by the
   * page's ids as a subquery, so nothing waits for the page to come back first.
   */
  async listWithRelations(query: ListQuery): Promise<{ items: UserRelations<ListedUser>[]; total: number }> {
    const window = this.pageWindow(query)
    const build = (shape: PageShape) =>
      [
        this.db
          .select({ user: listedUser, dept: sysDept })
          .from(sysUser)
          .leftJoin(sysDept, eq(sysDept.id, sysUser.deptId))
          .where(shape.condition)
          .orderBy(...shape.order)
          .limit(shape.limit)
          .offset(shape.offset),
        this.totalQuery(shape),
        this.#rolesWhere(inArray(sysUserRole.userId, this.pageIdsQuery(shape))),
      ] as const
    const key = reusableShape(window, query.sort)
    const [rows, totals, roles] =
      key === undefined
        ? await readBatch(this.db, build(window))
        : await readPage(
            this.db,
            UserRepository,
            `relations:${key}`,
            (bounds) => build({ ...window, ...bounds }),
            window,
          )
    const rolesByUser = groupRoles(roles)
    return {
      items: rows.map(({ user, dept }) => ({ user, dept, roles: rolesByUser.get(user.id) ?? [] })),
      total: totals[0]?.total ?? 0,
    }
  }

  /** The user's roles, in id order. */
  async rolesOfUser(userId: number): Promise<Role[]> {
    return (await this.#rolesOf([userId])).map((r) => r.role)
  }

  /** Stored hashes of the user's previous passwords, newest first. */
  async passwordHistory(userId: number, limit: number): Promise<string[]> {
    if (limit <= 0) return []
    const rows = await this.db
      .select({ password: sysUserPasswordHistory.password })
      .from(sysUserPasswordHistory)
      .where(eq(sysUserPasswordHistory.userId, userId))
      .orderBy(desc(sysUserPasswordHistory.id))
      .limit(limit)
    return rows.map((r) => r.password)
  }

  // ---- builders for db.batch ------------------------------------------------------------------------------------

  /**
   * A new user, its first password-history row and its role links. The dependent rows find the user by its (unique)
   * username inside the same batch, so everything commits together without a round trip in between.
   */
  createQueries(values: NewUser & { username: string; password: string }, roleIds: readonly number[]) {
    const newUserId = sql<number>`(select ${sysUser.id} from ${sysUser} where ${sysUser.username} = ${values.username})`
    const userInsert = this.insertQuery(values).returning()
    const historyInsert = this.db
      .insert(sysUserPasswordHistory)
      .values({ userId: newUserId, password: values.password })
    if (!roleIds.length) return [userInsert, historyInsert] as const
    const links = this.db.insert(sysUserRole).values(roleIds.map((roleId) => ({ userId: newUserId, roleId })))
    return [userInsert, historyInsert, links] as const
  }

  /** Replaces the user's role links (an empty list removes them all). */
  replaceRolesQueries(userId: number, roleIds: readonly number[]) {
    const clear = this.db.delete(sysUserRole).where(eq(sysUserRole.userId, userId))
    if (!roleIds.length) return [clear] as const
    return [clear, this.db.insert(sysUserRole).values(roleIds.map((roleId) => ({ userId, roleId })))] as const
  }

  passwordHistoryInsertQuery(userId: number, hash: string) {
    return this.db.insert(sysUserPasswordHistory).values({ userId, password: hash })
  }

  /**
   * The user and every row that belongs to it (association rows go in the same batch: docs/fba-compatibility.md, D10).
   */
  deleteWithLinksQueries(userId: number) {
    return [
      this.db.delete(sysUserRole).where(eq(sysUserRole.userId, userId)),
      this.db.delete(sysUserPasswordHistory).where(eq(sysUserPasswordHistory.userId, userId)),
      this.deleteQuery(userId),
    ] as const
  }

  #rolesOf(userIds: readonly number[]) {
    return this.#rolesWhere(inArray(sysUserRole.userId, [...userIds]))
  }

  #rolesWhere(condition: SQL) {
    return this.db
      .select({ userId: sysUserRole.userId, role: sysRole })
      .from(sysUserRole)
      .innerJoin(sysRole, eq(sysRole.id, sysUserRole.roleId))
      .where(condition)
      .orderBy(sysRole.id)
  }

  #notId(id: number | undefined): SQL | undefined {
    return id === undefined ? undefined : ne(sysUser.id, id)
  }
}

/** Roles by user id, each user's in the order the query gave (role id). */
function groupRoles(rows: readonly { userId: number; role: Role }[]): Map<number, Role[]> {
  const byUser = new Map<number, Role[]>()
  for (const { userId, role } of rows) {
    const list = byUser.get(userId)
    if (list) list.push(role)
    else byUser.set(userId, [role])
  }
  return byUser
}
