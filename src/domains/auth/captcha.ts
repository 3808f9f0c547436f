/**
 * Login captcha: a 4-character code rendered to a PNG, stored in Redis under a random uuid for a limited time and
 * usable once. Always generated (the UI shows it only when `is_enabled`), like fba.
 */

import { base64ToBytes } from '../../core/encoding'
import { BadRequestError } from '../../core/errors'
import type { LoginSettings } from '../../core/settings'
import type { Redis } from '../../infra/redis'
import type { RedisBatch } from '../../infra/redis-batch'
import type { RedisKeys } from '../../infra/redis-keys'
import { randomCaptchaCode, renderCaptchaPng } from './captcha-image'

/** fba's custom code for a wrong captcha, sent on an HTTP 400. */
export const CAPTCHA_ERROR_CODE = 40001

/**
 * A new captcha. `is_enabled` is also true while some account needs a captcha after failed logins (lockout.ts), even
 * with the captcha switched off: the admin UI shows the captcha field only when told to.
 */
export async function createCaptcha(redis: Redis, keys: RedisKeys, settings: LoginSettings) {
  const code = randomCaptchaCode()
  const uuid = crypto.randomUUID()
  const stored = redis
    .pipeline()
    .set(keys.captcha(uuid), code, { ex: settings.captchaExpireSeconds })
    .exists(keys.loginCaptchaStepUp())
    .exec<[unknown, number]>()
  const [image, [, stepUp]] = await Promise.all([renderCaptchaPng(code), stored])
  const enabled = settings.captchaEnabled || (settings.captchaFailureThreshold > 0 && stepUp > 0)
  return { is_enabled: enabled, expire_seconds: settings.captchaExpireSeconds, uuid, image }
}

/**
 * The PNG of an existing captcha, for a person using the docs UI (which cannot show the base64 `image`): opened in a
 * browser tab. Served once per captcha — more renderings of one code would hand an OCR script several noisy samples
 * to combine — and without consuming it. Unknown, expired or already shown → 400 "expired".
 */
export async function captchaPng(redis: Redis, keys: RedisKeys, uuid: string): Promise<Uint8Array<ArrayBuffer>> {
  const [code, ttl] = await redis
    .pipeline()
    .get<string | number>(keys.captcha(uuid))
    .pttl(keys.captcha(uuid))
    .exec<[string | number | null, number]>()
  if (code === null || ttl <= 0) throw new BadRequestError('auth.captcha_expired')
  const first = await redis.set(keys.captchaShown(uuid), 1, { nx: true, px: ttl })
  if (first === null) throw new BadRequestError('auth.captcha_expired')
  const base64 = await renderCaptchaPng(String(code))
  return base64ToBytes(base64)
}

/**
 * The GETDEL that consumes the captcha `input` names, queued in `batch` (the login's first pipeline), or undefined
 * when the input names none. Read it with `captchaVerdict`.
 */
export function queueCaptcha(
  batch: RedisBatch,
  keys: RedisKeys,
  input: { uuid?: string | null | undefined; captcha?: string | null | undefined },
): Promise<unknown> | undefined {
  return input.uuid && input.captcha ? batch.add(['GETDEL', keys.captcha(input.uuid)]) : undefined
}

/**
 * Checks a captcha consumed by `queueCaptcha` (GETDEL: a code can be tried once). Throws fba's errors: missing input →
 * invalid, unknown/expired uuid → expired, wrong code (case-insensitive) → 40001; a failed Redis request → its 503.
 */
export async function captchaVerdict(
  consumed: Promise<unknown> | undefined,
  answer: string | null | undefined,
): Promise<void> {
  if (!consumed || !answer) throw new BadRequestError('auth.captcha_invalid')
  const stored = await consumed
  if (stored === null || stored === undefined) throw new BadRequestError('auth.captcha_expired')
  if (String(stored).toLowerCase() !== answer.trim().toLowerCase()) {
    throw new BadRequestError('auth.captcha_error', { code: CAPTCHA_ERROR_CODE })
  }
}
