/**
 * The password policy (docs/fba-compatibility.md, "Password policy"), applied to every password a user gets: on
 * create (D9), change and reset. Rule failures are 400s with fba's messages; the settings come from
 * `requestSettings(c)`, so a settings provider can change them at runtime.
 *
 * History: the last N passwords a user had, current one included, may not be reused. A history row (the new hash)
 * is written whenever a password is set, so the newest rows are those passwords; the current hash is added when it
 * is missing from them (seeded users, or history rows pruned by hand).
 */
import { BadRequestError } from '../../core/errors'
import type { UserSecuritySettings } from '../../core/settings'
import type { PasswordHasher } from '../auth/password'

/** fba's special characters (`password_security.py`). */
export const PASSWORD_SPECIAL_CHARS = `!@#$%^&*()_+-=[]{};:'",.<>?/\\|\`~`

export type PasswordRules = Pick<
  UserSecuritySettings,
  'passwordMinLength' | 'passwordMaxLength' | 'passwordRequireSpecialChar'
>

/** Length, digit, letter and (when required) special character, in fba's order. Throws the first failure (400). */
export function assertPasswordRules(password: string, rules: PasswordRules): void {
  const length = [...password].length
  if (length < rules.passwordMinLength) {
    throw new BadRequestError('user.password_too_short', { params: { min: rules.passwordMinLength } })
  }
  if (length > rules.passwordMaxLength) {
    throw new BadRequestError('user.password_too_long', { params: { max: rules.passwordMaxLength } })
  }
  if (!/\d/.test(password)) throw new BadRequestError('user.password_needs_digit')
  if (!/[A-Za-z]/.test(password)) throw new BadRequestError('user.password_needs_letter')
  if (rules.passwordRequireSpecialChar && ![...password].some((ch) => PASSWORD_SPECIAL_CHARS.includes(ch))) {
    throw new BadRequestError('user.password_needs_special')
  }
}

/**
 * The hashes to compare a new password with: the `count` most recent passwords, current one included.
 * `history` is newest first.
 */
export function recentPasswordHashes(current: string | null, history: readonly string[], count: number): string[] {
  if (count <= 0) return []
  const recent = history.slice(0, count)
  if (current && !recent.includes(current)) recent.unshift(current)
  return recent.slice(0, count)
}

/** 400 when `password` matches one of `hashes` (checked with the hasher: every hash has its own salt). */
export async function assertNotReused(
  hasher: PasswordHasher,
  password: string,
  hashes: readonly string[],
  count: number,
): Promise<void> {
  // Every check runs (in parallel): the time taken doesn't tell which one matched.
  const verdicts = await Promise.all(hashes.map((hash) => hasher.verify(password, hash)))
  if (verdicts.some((v) => v.ok)) throw new BadRequestError('user.password_reused', { params: { count } })
}
