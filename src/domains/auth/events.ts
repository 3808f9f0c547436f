/** The auth domain's events (docs/events.md). */
import { z } from '@hono/zod-openapi'
import { defineEvent } from '../events/define'

/**
 * A login attempt failed (emitted with its login-log row). `user_id` is null when no such user exists; `reason` is the
 * message key of the answer (`auth.invalid_credentials`, `auth.account_locked`, …). Never the password.
 */
export const loginFailed = defineEvent(
  'login.failed',
  z.object({ username: z.string(), user_id: z.number().int().nullable(), reason: z.string(), ip: z.string() }),
)

export const AUTH_EVENTS = [loginFailed]
