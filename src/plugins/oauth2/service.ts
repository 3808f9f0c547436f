/**
 * Sign-in and binding with a provider account (docs/fba-compatibility.md, "OAuth2 plugin"):
 * - sign-in finds the user bound to the account; else the user whose email is the account's verified email (and
 *   binds the account to them); else creates a user (no password, staff, the first enabled role) bound to it;
 * - binding attaches the account to the signed-in user: 400 when they already have one of that provider, or the
 *   account belongs to someone else.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { BadRequestError, NotFoundError } from '../../core/errors'
import { sysRole } from '../../domains/roles/schema'
import { sysUser, sysUserRole, type User } from '../../domains/users/schema'
import { isUniqueViolation } from '../../infra/db/errors'
import type { RepositoryDb } from '../../infra/db/repository'
import type { SocialProfile } from './providers'
import { type SocialSource, sysUserSocial } from './schema'

/** fba: the provider's name, else up to 10 `<name>_xxxxx` candidates, else a random name. */
const USERNAME_CANDIDATES = 10
const USERNAME_MAX = 64

const randomSuffix = (length = 5) => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')
}

export class OAuth2Service {
  constructor(private readonly db: RepositoryDb) {}

  /** The providers the user has bound (`['Github', 'Google']`). */
  async bindings(userId: number): Promise<SocialSource[]> {
    const rows = await this.db
      .select({ source: sysUserSocial.source })
      .from(sysUserSocial)
      .where(eq(sysUserSocial.userId, userId))
      .orderBy(asc(sysUserSocial.source))
    return rows.map((r) => r.source)
  }

  async unbind(userId: number, source: SocialSource): Promise<void> {
    const removed = await this.db
      .delete(sysUserSocial)
      .where(and(eq(sysUserSocial.userId, userId), eq(sysUserSocial.source, source)))
      .returning({ id: sysUserSocial.id })
    if (!removed.length) throw new NotFoundError('oauth2.not_bound', { params: { source } })
  }

  async bind(userId: number, source: SocialSource, profile: SocialProfile): Promise<void> {
    const rows = await this.db
      .select({ userId: sysUserSocial.userId, sid: sysUserSocial.sid })
      .from(sysUserSocial)
      .where(
        sql`(${sysUserSocial.userId} = ${userId} and ${sysUserSocial.source} = ${source}) or (${sysUserSocial.source} = ${source} and ${sysUserSocial.sid} = ${profile.sid})`,
      )
    if (rows.some((r) => r.userId === userId)) throw new BadRequestError('oauth2.already_bound', { params: { source } })
    if (rows.length) throw new BadRequestError('oauth2.bound_to_other', { params: { source } })
    try {
      await this.db.insert(sysUserSocial).values({ sid: profile.sid, source, userId })
    } catch (err) {
      // A concurrent binding won the race: the same answers as above.
      if (isUniqueViolation(err)) throw new BadRequestError('oauth2.bound_to_other', { params: { source } })
      throw err
    }
  }

  /** The user this provider account signs in as (bound, matched by verified email, or created). */
  async userFor(source: SocialSource, profile: SocialProfile): Promise<User> {
    const [bound] = await this.db
      .select({ user: sysUser })
      .from(sysUserSocial)
      .innerJoin(sysUser, eq(sysUser.id, sysUserSocial.userId))
      .where(and(eq(sysUserSocial.source, source), eq(sysUserSocial.sid, profile.sid)))
      .limit(1)
    if (bound) return bound.user
    if (profile.email) {
      const [byEmail] = await this.db
        .select()
        .from(sysUser)
        .where(sql`lower(${sysUser.email}) = ${profile.email.toLowerCase()}`)
        .limit(1)
      if (byEmail) {
        await this.db
          .insert(sysUserSocial)
          .values({ sid: profile.sid, source, userId: byEmail.id })
          .onConflictDoNothing()
        return byEmail
      }
    }
    return this.#create(source, profile)
  }

  async #create(source: SocialSource, profile: SocialProfile): Promise<User> {
    const [role] = await this.db
      .select({ id: sysRole.id })
      .from(sysRole)
      .where(eq(sysRole.status, 1))
      .orderBy(asc(sysRole.id))
      .limit(1)
    if (!role) throw new NotFoundError('oauth2.no_role')
    const username = await this.#freeUsername(profile.username)
    const newUserId = sql<number>`(select ${sysUser.id} from ${sysUser} where ${sysUser.username} = ${username})`
    const [[user]] = await this.db.batch([
      this.db
        .insert(sysUser)
        .values({
          username,
          nickname: (profile.nickname || username).slice(0, 64),
          password: null,
          email: profile.email,
          avatar: profile.avatar?.slice(0, 256) ?? null,
          isStaff: true,
        })
        .returning(),
      this.db.insert(sysUserRole).values({ userId: newUserId, roleId: role.id }),
      this.db.insert(sysUserSocial).values({ sid: profile.sid, source, userId: newUserId }),
    ])
    return user as User
  }

  async #freeUsername(wanted: string): Promise<string> {
    const base = wanted.trim().slice(0, USERNAME_MAX - 6) || randomSuffix()
    const candidates = [base, ...Array.from({ length: USERNAME_CANDIDATES }, () => `${base}_${randomSuffix()}`)]
    const taken = new Set(
      (
        await this.db.select({ username: sysUser.username }).from(sysUser).where(inArray(sysUser.username, candidates))
      ).map((r) => r.username),
    )
    return candidates.find((c) => !taken.has(c)) ?? `${randomSuffix(8)}_${randomSuffix()}`
  }
}
