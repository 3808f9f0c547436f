/**
 * `sys_user_social` (docs/fba-compatibility.md, "OAuth2 plugin"): a user's account at a sign-in provider. One account
 * of a provider belongs to one user, and a user binds at most one account per provider; the rows go with the user.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { sysUser } from '../../domains/users/schema'
import { id, timestamps } from '../../infra/db/columns'

/** `sys_user_social.source`, as fba spells it. */
export const SOCIAL_SOURCES = ['Github', 'Google'] as const
export type SocialSource = (typeof SOCIAL_SOURCES)[number]

export const sysUserSocial = sqliteTable(
  'sys_user_social',
  {
    id: id(),
    /** The provider's id of the account. */
    sid: text('sid', { length: 256 }).notNull(),
    source: text('source', { length: 32 }).$type<SocialSource>().notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => sysUser.id, { onDelete: 'cascade' }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('sys_user_social_source_sid_unique').on(t.source, t.sid),
    uniqueIndex('sys_user_social_user_id_source_unique').on(t.userId, t.source),
    index('sys_user_social_user_id_idx').on(t.userId),
  ],
)

export type UserSocial = typeof sysUserSocial.$inferSelect
