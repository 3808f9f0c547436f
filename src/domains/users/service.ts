/**
 * User management (docs/fba-compatibility.md, "Users"; D-numbers are its list of differences from fba): the
 * password policy applies to every password a user gets (D9); a user and its links are written in one `db.batch`
 * (D10); every write that changes what the auth snapshot holds drops it; password change/reset, disabling and
 * deleting end the user's sessions — access *and* refresh (D4); the multi-login toggle works on the target user (D17).
 * Every write emits its event (./events.ts) in the same batch as its rows: `user.deleted` also ends the user's sessions
 * through its consumer (./consumers.ts), should Redis fail right after the delete.
 */
import { eq, exists, type SQL } from 'drizzle-orm'
import type { Context } from 'hono'
import type { Config } from '../../core/config'
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
} from '../../core/errors'
import { type Lang, t } from '../../core/i18n'
import type { PageQuery } from '../../core/pagination'
import type { UserSecuritySettings } from '../../core/settings'
import type { AppEnv } from '../../http/context'
import { requestSettings } from '../../http/settings'
import type { Db } from '../../infra/db/client'
import { isUniqueViolation, violatedColumns } from '../../infra/db/errors'
import type { EmailSender } from '../../infra/email'
import type { Redis } from '../../infra/redis'
import type { RedisKeys } from '../../infra/redis-keys'
import type { AuthUser } from '../auth/auth-user'
import { invalidateAuthUser } from '../auth/authenticate'
import { accountStores, passwordHasher } from '../auth/deps'
import type { Session, SessionStore } from '../auth/sessions'
import { aggregateOf, fillEmitted, keepEmittedIf, NEW_ROW_ID, newRowId } from '../events/emitted'
import { type EventSink, eventsOf } from '../events/outbox'
import type { CreateUserBody, PermissionType, UpdateUserBody } from './dto'
import { userCreated, userDeleted, userUpdated } from './events'
import { assertNotReused, assertPasswordRules, recentPasswordHashes } from './password-policy'
import { type ListedUser, type UserRelations, UserRepository } from './repository'
import { type NewUser, sysUser, type User } from './schema'

/** How long an email verification code lives (fba's `EMAIL_CAPTCHA_EXPIRE_SECONDS`). */
export const EMAIL_CODE_TTL_SECONDS = 180
/** A new code for the same user and address is refused for this long after the last one was sent. */
export const EMAIL_CODE_COOLDOWN_SECONDS = 60
/** Wrong guesses a code survives; the next wrong one deletes it (6 digits must not be brute-forced). */
export const EMAIL_CODE_MAX_ATTEMPTS = 5

/** What `emailCode(userId, address)` holds in Redis. */
export interface StoredEmailCode {
  code: string
  attempts: number
  /** Epoch ms. */
  sentAt: number
}

export interface UserServiceDeps {
  config: Config
  db: Db
  redis: Redis
  keys: RedisKeys
  sessions: SessionStore
  lang: Lang
  /** The user-security settings in force (resolved only by the operations that need them). */
  security: () => Promise<UserSecuritySettings>
  /** Drops cached auth snapshots (see `invalidateAuthUser`). */
  invalidate: (...userIds: number[]) => Promise<void>
  /** The request's outbox: events go in the same batch as the rows they describe. */
  events: EventSink
}

export function userServiceDeps(c: Context<AppEnv>): UserServiceDeps {
  return {
    ...accountStores(c),
    security: async () => (await requestSettings(c)).userSecurity,
    invalidate: (...ids) => invalidateAuthUser(c, ...ids),
    events: eventsOf(c),
  }
}

/** The columns an admin update may change, by the API's field names (`user.updated`'s `fields`). */
const UPDATABLE = {
  username: 'username',
  nickname: 'nickname',
  avatar: 'avatar',
  email: 'email',
  phone: 'phone',
  deptId: 'dept_id',
} as const

/** The API names of the fields `values` changes in `user`, and `roles` when the role set changes. */
function changedFields(
  user: User,
  values: Partial<NewUser>,
  roleIds: readonly number[],
  newRoleIds: readonly number[],
) {
  const fields: string[] = []
  for (const [column, field] of Object.entries(UPDATABLE) as [keyof typeof UPDATABLE, string][]) {
    if (values[column] !== undefined && values[column] !== user[column]) fields.push(field)
  }
  const sameRoles = roleIds.length === newRoleIds.length && newRoleIds.every((id) => roleIds.includes(id))
  if (!sameRoles) fields.push('roles')
  return fields
}

function randomDigits(length: number): string {
  const values = crypto.getRandomValues(new Uint32Array(length))
  return Array.from(values, (v) => String(v % 10)).join('')
}

function sameCode(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

export class UserService {
  readonly users: UserRepository

  constructor(private readonly deps: UserServiceDeps) {
    this.users = new UserRepository(deps.db)
  }

  // ---- reads ----------------------------------------------------------------------------------------------------

  async detail(id: number): Promise<UserRelations> {
    const found = await this.users.withRelations(id)
    if (!found) throw new NotFoundError('user.not_found')
    return found
  }

  /** A page of users; `permission` is the caller's data-permission condition on `sys_user` (undefined: all). */
  async list(
    query: PageQuery & Record<string, unknown>,
    permission?: SQL,
  ): Promise<{ items: UserRelations<ListedUser>[]; total: number }> {
    const { page, size, ...filters } = query
    return this.users.listWithRelations({ page, size, filters, permission })
  }

  // ---- create / update ------------------------------------------------------------------------------------------

  async create(body: CreateUserBody): Promise<UserRelations> {
    if (!body.password) throw new BadRequestError('user.password_required')
    assertPasswordRules(body.password, await this.deps.security())
    const roleIds = [...new Set(body.roles)]
    const { usernameTaken, emailTaken, dept, roles } = await this.users.references({
      username: body.username,
      email: body.email,
      deptId: body.dept_id,
      roleIds,
    })
    if (usernameTaken) throw new ConflictError('user.username_taken')
    if (emailTaken) throw new ConflictError('user.email_taken')
    if (!dept) throw new NotFoundError('user.dept_not_found')
    if (roles.length !== roleIds.length) throw new NotFoundError('user.role_not_found')

    const hash = await passwordHasher(this.deps.config).hash(body.password)
    const { db } = this.deps
    const queries = this.users.createQueries(
      {
        username: body.username,
        nickname: body.nickname || body.username,
        password: hash,
        email: body.email ?? null,
        phone: body.phone ?? null,
        deptId: body.dept_id,
      },
      roleIds,
    )
    const { events } = this.deps
    try {
      const [inserted] = await db.batch([
        ...queries,
        events.emit(db, userCreated, {
          user_id: NEW_ROW_ID,
          username: body.username,
          dept_id: body.dept_id,
          role_ids: roleIds,
        }),
        fillEmitted(db, { user_id: newRowId(sysUser) }, aggregateOf('user', newRowId(sysUser))),
      ])
      const user = inserted[0] as User
      return { user, dept, roles }
    } catch (err) {
      throw this.#conflict(err)
    }
  }

  async update(id: number, body: UpdateUserBody): Promise<void> {
    // With its roles (same round trip), so the event can say whether they changed.
    const found = await this.users.withRelations(id)
    if (!found) throw new NotFoundError('user.not_found')
    const { user } = found
    const roleIds = [...new Set(body.roles)]
    // Absent optional fields keep their value; an explicit null clears it.
    const deptId = body.dept_id === undefined ? user.deptId : body.dept_id
    const email = body.email === undefined ? user.email : body.email
    // Only a changed department must exist (a user may keep one that was deleted since).
    const deptChanged = deptId !== null && deptId !== user.deptId
    const { usernameTaken, emailTaken, dept, roles } = await this.users.references({
      username: body.username !== user.username ? body.username : undefined,
      email: email !== user.email ? email : undefined,
      deptId: deptChanged ? deptId : undefined,
      roleIds,
      exceptId: id,
    })
    if (usernameTaken) throw new ConflictError('user.username_taken')
    if (emailTaken) throw new ConflictError('user.email_taken')
    if (deptChanged && !dept) throw new NotFoundError('user.dept_not_found')
    if (roles.length !== roleIds.length) throw new NotFoundError('user.role_not_found')

    const { db, events } = this.deps
    const values = {
      username: body.username,
      nickname: body.nickname,
      avatar: body.avatar === undefined ? user.avatar : body.avatar,
      email,
      phone: body.phone === undefined ? user.phone : body.phone,
      deptId,
    }
    const fields = changedFields(
      user,
      values,
      found.roles.map((r) => r.id),
      roleIds,
    )
    // An update that changes nothing is no event.
    const event = fields.length ? [events.emit(db, userUpdated, { user_id: id, fields }, `user:${id}`)] : []
    try {
      await db.batch([this.users.updateQuery(id, values), ...this.users.replaceRolesQueries(id, roleIds), ...event])
    } catch (err) {
      throw this.#conflict(err)
    }
    await this.deps.invalidate(id)
  }

  /**
   * Toggles one flag of another user. Disabling ends all the target's sessions; switching multi-login off keeps
   * only the target's newest session (the device it logged in on last), as a new login would.
   */
  async togglePermission(actor: AuthUser, id: number, type: PermissionType): Promise<void> {
    if (id === actor.id) throw new ForbiddenError('user.self_permission_forbidden')
    const user = await this.users.get(id)
    if (!user) throw new NotFoundError('user.not_found')
    const change =
      type === 'superuser'
        ? { isSuperuser: !user.isSuperuser }
        : type === 'staff'
          ? { isStaff: !user.isStaff }
          : type === 'status'
            ? { status: user.status === 1 ? 0 : 1 }
            : { isMultiLogin: !user.isMultiLogin }
    const { db, events } = this.deps
    const field = type === 'multi_login' ? 'is_multi_login' : type === 'status' ? 'status' : `is_${type}`
    await db.batch([
      this.users.updateQuery(id, change),
      events.emit(db, userUpdated, { user_id: id, fields: [field] }, `user:${id}`),
    ])
    await this.deps.invalidate(id)
    if ('status' in change && change.status === 0) await this.deps.sessions.revokeAllForUser(id)
    if ('isMultiLogin' in change && !change.isMultiLogin) await this.#keepNewestSession(id)
  }

  // ---- passwords ------------------------------------------------------------------------------------------------

  /** The caller's own password; every session of the caller ends, the current one included. */
  async changePassword(
    userId: number,
    body: { old_password: string; new_password: string; confirm_password: string },
  ): Promise<void> {
    const user = await this.users.get(userId)
    if (!user) throw new NotFoundError('user.not_found')
    const hasher = passwordHasher(this.deps.config)
    if (user.password !== null && !(await hasher.verify(body.old_password, user.password)).ok) {
      throw new BadRequestError('user.old_password_wrong')
    }
    if (body.new_password !== body.confirm_password) throw new BadRequestError('user.password_mismatch')
    await this.#setPassword(user, body.new_password)
  }

  /** A superuser sets another user's password; that user's sessions end. */
  async resetPassword(id: number, password: string): Promise<void> {
    const user = await this.users.get(id)
    if (!user) throw new NotFoundError('user.not_found')
    await this.#setPassword(user, password)
  }

  async #setPassword(user: User, password: string): Promise<void> {
    if (!password) throw new BadRequestError('user.password_required')
    const security = await this.deps.security()
    assertPasswordRules(password, security)
    const count = security.passwordHistoryCheckCount
    const hasher = passwordHasher(this.deps.config)
    const recent = recentPasswordHashes(user.password, await this.users.passwordHistory(user.id, count), count)
    await assertNotReused(hasher, password, recent, count)

    const hash = await hasher.hash(password)
    const { db, events } = this.deps
    await db.batch([
      this.users.updateQuery(user.id, { password: hash, lastPasswordChangedTime: new Date() }),
      this.users.passwordHistoryInsertQuery(user.id, hash),
      // The field's name only: never the password or its hash.
      events.emit(db, userUpdated, { user_id: user.id, fields: ['password'] }, `user:${user.id}`),
    ])
    await this.deps.invalidate(user.id)
    await this.deps.sessions.revokeAllForUser(user.id)
  }

  // ---- own profile ----------------------------------------------------------------------------------------------

  async updateProfile(userId: number, values: { nickname: string } | { avatar: string }): Promise<void> {
    const [[updated]] = await this.#updateOwn(userId, values, 'nickname' in values ? 'nickname' : 'avatar')
    if (!updated) throw new NotFoundError('user.not_found')
    await this.deps.invalidate(userId)
  }

  /**
   * Sends one 6-digit code to each address, stored per user and address (docs/fba-compatibility.md, D14), so it can
   * only confirm that user's change to that address. A resend within the cooldown is a 429.
   */
  async sendEmailCode(userId: number, recipients: readonly string[], sender: EmailSender): Promise<void> {
    const { redis, keys, lang, config } = this.deps
    const addresses = [...new Set(recipients.map((r) => r.trim().toLowerCase()))]
    const existing = await redis.mget<(StoredEmailCode | null)[]>(...addresses.map((a) => keys.emailCode(userId, a)))
    const now = Date.now()
    const wait = Math.max(
      0,
      ...existing.map((e) => (e ? Math.ceil((e.sentAt + EMAIL_CODE_COOLDOWN_SECONDS * 1000 - now) / 1000) : 0)),
    )
    if (wait > 0) {
      throw new TooManyRequestsError('email.code_cooldown', {
        params: { seconds: wait },
        headers: { 'Retry-After': String(wait) },
      })
    }
    const code = randomDigits(6)
    const stored: StoredEmailCode = { code, attempts: 0, sentAt: now }
    const p = redis.pipeline()
    for (const address of addresses) p.set(keys.emailCode(userId, address), stored, { ex: EMAIL_CODE_TTL_SECONDS })
    await p.exec()
    const minutes = Math.ceil(EMAIL_CODE_TTL_SECONDS / 60)
    try {
      await sender.send({
        to: addresses,
        subject: t(lang, 'email.code_subject', { app: config.APP_NAME }),
        text: t(lang, 'email.code_body', { code, minutes }),
      })
    } catch (err) {
      // The codes were never delivered: drop them so a retry isn't held back by the cooldown.
      await redis.del(...addresses.map((a) => keys.emailCode(userId, a)))
      if (err instanceof ServiceUnavailableError) throw err
      throw new ServiceUnavailableError('email.send_failed', { cause: err, data: { service: 'email' } })
    }
  }

  /** Sets the caller's email after checking the code sent to that address: 400 expired, 400/40001 wrong code. */
  async updateEmail(userId: number, email: string, captcha: string): Promise<void> {
    const { redis, keys } = this.deps
    const key = keys.emailCode(userId, email)
    const stored = await redis.get<StoredEmailCode>(key)
    if (!stored) throw new BadRequestError('email.code_expired')
    if (!sameCode(String(stored.code), captcha)) {
      const attempts = stored.attempts + 1
      if (attempts >= EMAIL_CODE_MAX_ATTEMPTS) await redis.del(key)
      else await redis.set(key, { ...stored, attempts }, { keepTtl: true })
      throw new BadRequestError('auth.captcha_error', { code: 40001 })
    }
    if (await this.users.emailTaken(email, userId)) throw new ConflictError('user.email_taken')
    try {
      const [[updated]] = await this.#updateOwn(userId, { email }, 'email')
      if (!updated) throw new NotFoundError('user.not_found')
    } catch (err) {
      throw this.#conflict(err)
    }
    await redis.del(key)
    await this.deps.invalidate(userId)
  }

  // ---- delete ---------------------------------------------------------------------------------------------------

  async delete(actor: AuthUser, id: number): Promise<void> {
    const user = await this.users.get(id)
    if (!user) throw new NotFoundError('user.not_found')
    if (id === actor.id) throw new ForbiddenError('user.self_delete_forbidden')
    if (user.isSuperuser && !actor.isSuperuser) throw new ForbiddenError('user.superuser_delete_forbidden')
    const { db, events } = this.deps
    await db.batch([
      ...this.users.deleteWithLinksQueries(id),
      events.emit(db, userDeleted, { user_id: id, username: user.username }, `user:${id}`),
    ])
    await this.deps.invalidate(id)
    await this.deps.sessions.revokeAllForUser(id)
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  /**
   * One of the caller's own fields, with its `user.updated` — kept only when the row was there (the caller answers 404
   * otherwise: no event for a write that changed nothing).
   */
  #updateOwn(userId: number, values: Partial<NewUser>, field: string) {
    const { db, events } = this.deps
    return db.batch([
      this.users.updateQuery(userId, values).returning(),
      events.emit(db, userUpdated, { user_id: userId, fields: [field] }, `user:${userId}`),
      keepEmittedIf(db, exists(db.select({ id: sysUser.id }).from(sysUser).where(eq(sysUser.id, userId)))),
    ])
  }

  async #keepNewestSession(userId: number): Promise<void> {
    const { redis, keys, sessions } = this.deps
    const sids = await redis.smembers(keys.userSessions(userId))
    if (sids.length <= 1) return
    const found = await redis.mget<(Session | null)[]>(...sids.map((sid) => keys.session(sid)))
    const newest = found
      .filter((s): s is Session => s !== null)
      .sort((a, b) => b.loginTime - a.loginTime || b.sid.localeCompare(a.sid))[0]
    await sessions.revokeAllForUser(userId, newest?.sid)
  }

  /** Maps a unique-constraint race (another request took the name first) to the friendly 409. */
  #conflict(err: unknown): unknown {
    if (!isUniqueViolation(err)) return err
    const columns = violatedColumns(err)
    if (columns.includes('sys_user.email')) return new ConflictError('user.email_taken')
    if (columns.includes('sys_user.username')) return new ConflictError('user.username_taken')
    return new ConflictError()
  }
}
