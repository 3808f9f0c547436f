/**
 * Login throttling that an outsider cannot turn into a lockout (docs/decisions.md, "Identity"; OWASP ASVS 4.0.3
 * V2.2.1 and ASVS 5.0 V6.1.1/V6.3.1 — anti-automation that prevents brute force *and* malicious account lockout):
 *
 * - Failures count per (username, client). Reaching `lockThreshold` within `lockSeconds` locks *that client* out of
 *   that username for `lockSeconds`. Another client — the real user — is not affected, so guessing from one address
 *   locks out nobody but the guesser. A client is the IP as rate limits count it (IPv6 by its /64).
 * - Failures also count per username over all clients. From `captchaFailureThreshold` on, every login to that
 *   username needs a solved captcha, even with the captcha switched off: a soft lock that a person passes and a
 *   distributed script does not. There is no account-wide hard lock: it is exactly what an outsider could trigger.
 * - Everything is keyed by the username as typed, never by whether it exists, and is read and written the same way
 *   for unknown names: same answers, same locks, same Redis work (docs/fba-compatibility.md, D3).
 */
import type { LoginSettings, UserSecuritySettings } from '../../core/settings'
import type { Redis } from '../../infra/redis'
import type { RedisBatch } from '../../infra/redis-batch'
import type { RedisKeys } from '../../infra/redis-keys'

export interface LoginGate {
  /** Minutes left on this client's lock for this username, or 0. */
  minutesLocked: number
  /** Whether this username needs a captcha because of its failures (whatever the captcha switch says). */
  captchaRequired: boolean
}

/**
 * Queues the reads of `client`'s lock on `username` and the username's failure count in `batch` (the login's first
 * Redis request); answers how to read the gate under the settings in force once the batch is sent. A gate asking for
 * the captcha also wants `Lockout.markStepUp()`.
 */
export function queueGate(
  batch: RedisBatch,
  keys: RedisKeys,
  username: string,
  client: string,
): (settings: { login: LoginSettings }) => Promise<LoginGate> {
  const until = batch.add(['GET', keys.loginClientLock(username, client)])
  const failures = batch.add(['GET', keys.loginFailures(username)])
  return async (settings) => {
    const left = Number((await until) ?? 0) - Date.now()
    const threshold = settings.login.captchaFailureThreshold
    const captchaRequired = threshold > 0 && Number((await failures) ?? 0) >= threshold
    return { minutesLocked: left > 0 ? Math.ceil(left / 60_000) : 0, captchaRequired }
  }
}

export class Lockout {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly settings: { login: LoginSettings; userSecurity: UserSecuritySettings },
    private readonly username: string,
    private readonly client: string,
  ) {}

  /**
   * Keeps the admin UI showing its captcha field for as long as any account needs one (also when the threshold was
   * lowered since the failures were counted): `GET /auth/captcha` reports the captcha as enabled while this is set.
   */
  markStepUp(): Promise<unknown> {
    return this.redis.set(this.keys.loginCaptchaStepUp(), 1, { ex: this.settings.userSecurity.lockSeconds })
  }

  /** Counts a failure (for this client and for the username); returns true when it locked this client out. */
  async recordFailure(): Promise<boolean> {
    const { lockThreshold, lockSeconds } = this.settings.userSecurity
    const clientKey = this.keys.loginClientFailures(this.username, this.client)
    const accountKey = this.keys.loginFailures(this.username)
    const [clientFailures, , accountFailures] = await this.redis
      .pipeline()
      .incr(clientKey)
      .expire(clientKey, lockSeconds)
      .incr(accountKey)
      .expire(accountKey, lockSeconds)
      .exec<[number, number, number, number]>()
    const locks = lockThreshold > 0 && clientFailures >= lockThreshold
    const stepUp =
      this.settings.login.captchaFailureThreshold > 0 && accountFailures >= this.settings.login.captchaFailureThreshold
    if (locks || stepUp) {
      const p = this.redis.pipeline()
      if (locks) {
        p.set(this.keys.loginClientLock(this.username, this.client), Date.now() + lockSeconds * 1000, {
          ex: lockSeconds,
        })
      }
      // Tells `GET /auth/captcha` to report the captcha as enabled, so the admin UI shows its field.
      if (stepUp) p.set(this.keys.loginCaptchaStepUp(), 1, { ex: lockSeconds })
      await p.exec()
    }
    return locks
  }

  /**
   * The keys a successful login deletes: this client's failures and lock. The username's count over all clients stays
   * until it expires, so one success does not lift the captcha that a distributed attack brought on.
   */
  clientKeys(): string[] {
    return [
      this.keys.loginClientFailures(this.username, this.client),
      this.keys.loginClientLock(this.username, this.client),
    ]
  }
}
