/**
 * Redis key names in one place, namespaced by `REDIS_KEY_PREFIX` (per app and environment; a tenant segment can be
 * added here later). Segments are joined with `:` and ids are always whole segments, so a prefix never matches
 * another user's keys (fba's `token:1*` also matched user 10).
 */
import type { Config } from '../core/config'

// One key builder per prefix (built per isolate, not per request: plain functions, no I/O).
const byPrefix = new Map<string, ReturnType<typeof buildKeys>>()

export function redisKeys(config: Pick<Config, 'REDIS_KEY_PREFIX'>) {
  let keys = byPrefix.get(config.REDIS_KEY_PREFIX)
  if (!keys) {
    keys = buildKeys(config.REDIS_KEY_PREFIX)
    byPrefix.set(config.REDIS_KEY_PREFIX, keys)
  }
  return keys
}

function buildKeys(p: string) {
  return {
    session: (sid: string) => `${p}:session:${sid}`,
    /** SET of a user's live session ids. */
    userSessions: (userId: number) => `${p}:user:${userId}:sessions`,
    /** ZSET of every live session id, scored by expiry (ms) — the online list. */
    allSessions: () => `${p}:sessions`,
    /** Cached authenticated-user snapshot (roles, permission codes). */
    authUser: (userId: number) => `${p}:user:${userId}:auth`,
    /**
     * Authorization generation: bumped by any change to roles, menus, departments, data scopes or rules. A snapshot
     * built at an older generation is reloaded, so such changes apply on every user's next request.
     */
    authzGeneration: () => `${p}:authz:generation`,
    captcha: (uuid: string) => `${p}:captcha:${uuid}`,
    /** Marks a captcha whose PNG the docs UI has been served (once per captcha). */
    captchaShown: (uuid: string) => `${p}:captcha-shown:${uuid}`,
    /**
     * Login throttling (domains/auth/lockout.ts), by the username as typed, so unknown names count exactly like
     * known ones. Username and client are URI-encoded: each stays one segment whatever it contains.
     */
    loginFailures: (username: string) => `${p}:login:${encodeURIComponent(username)}:failures`,
    loginClientFailures: (username: string, client: string) =>
      `${p}:login:${encodeURIComponent(username)}:client:${encodeURIComponent(client)}:failures`,
    loginClientLock: (username: string, client: string) =>
      `${p}:login:${encodeURIComponent(username)}:client:${encodeURIComponent(client)}:lock`,
    /** Set while any account needs a captcha after failures: `GET /auth/captcha` then reports it as enabled. */
    loginCaptchaStepUp: () => `${p}:login-captcha-step-up`,
    emailCode: (userId: number, address: string) => `${p}:user:${userId}:email-code:${address.toLowerCase()}`,
  }
}

export type RedisKeys = ReturnType<typeof buildKeys>
