/**
 * Login lockout (docs/fba-compatibility.md, "Authentication"): failures are counted per user for `lockSeconds`;
 * reaching the threshold locks the account for `lockSeconds`. A threshold of 0 disables locking.
 */
import type { UserSecuritySettings } from '../../core/settings'
import type { Redis } from '../../infra/redis'
import type { RedisKeys } from '../../infra/redis-keys'

export class Lockout {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly settings: UserSecuritySettings,
  ) {}

  /** Minutes left on an active lock, or 0. */
  async minutesLocked(userId: number): Promise<number> {
    const until = await this.redis.get<number>(this.keys.userLock(userId))
    const left = (until ?? 0) - Date.now()
    return left > 0 ? Math.ceil(left / 60_000) : 0
  }

  /** Counts a failure; returns true when it locked the account. */
  async recordFailure(userId: number): Promise<boolean> {
    const { lockThreshold, lockSeconds } = this.settings
    const [failures] = await this.redis
      .pipeline()
      .incr(this.keys.loginFailures(userId))
      .expire(this.keys.loginFailures(userId), lockSeconds)
      .exec<[number, number]>()
    if (lockThreshold <= 0 || failures < lockThreshold) return false
    await this.redis.set(this.keys.userLock(userId), Date.now() + lockSeconds * 1000, { ex: lockSeconds })
    return true
  }

  async clear(userId: number): Promise<void> {
    await this.redis.del(this.keys.loginFailures(userId), this.keys.userLock(userId))
  }
}
