/**
 * Login captcha: a 4-character code rendered to a PNG, stored in Redis under a random uuid for a limited time and
 * usable once. Always generated (the UI shows it only when `is_enabled`), like fba.
 */
import { BadRequestError } from '../../core/errors'
import type { LoginSettings } from '../../core/settings'
import type { Redis } from '../../infra/redis'
import type { RedisKeys } from '../../infra/redis-keys'
import { randomCaptchaCode, renderCaptchaPng } from './captcha-image'

/** fba's custom code for a wrong captcha, sent on an HTTP 400. */
export const CAPTCHA_ERROR_CODE = 40001

export async function createCaptcha(redis: Redis, keys: RedisKeys, settings: LoginSettings) {
  const code = randomCaptchaCode()
  const uuid = crypto.randomUUID()
  const [image] = await Promise.all([
    renderCaptchaPng(code),
    redis.set(keys.captcha(uuid), code, { ex: settings.captchaExpireSeconds }),
  ])
  return { is_enabled: settings.captchaEnabled, expire_seconds: settings.captchaExpireSeconds, uuid, image }
}

/**
 * Checks and consumes a captcha (GETDEL: a code can be tried once). Throws fba's errors: missing input →
 * invalid, unknown/expired uuid → expired, wrong code (case-insensitive) → 40001.
 */
export async function consumeCaptcha(
  redis: Redis,
  keys: RedisKeys,
  uuid: string | null | undefined,
  answer: string | null | undefined,
): Promise<void> {
  if (!uuid || !answer) throw new BadRequestError('auth.captcha_invalid')
  const stored = await redis.getdel<string | number>(keys.captcha(uuid))
  if (stored === null) throw new BadRequestError('auth.captcha_expired')
  if (String(stored).toLowerCase() !== answer.trim().toLowerCase()) {
    throw new BadRequestError('auth.captcha_error', { code: CAPTCHA_ERROR_CODE })
  }
}
