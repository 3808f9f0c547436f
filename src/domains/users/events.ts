/**
 * The users domain's events (docs/events.md). Payloads are small: ids, names and which fields changed — never a
 * value of a secret (a password change is `fields: ['password']`).
 */
import { z } from '@hono/zod-openapi'
import { defineEvent } from '../events/define'

const id = z.number().int()

export const userCreated = defineEvent(
  'user.created',
  z.object({ user_id: id, username: z.string(), dept_id: id.nullable(), role_ids: z.array(id) }),
)

/** `fields`: the API's names of what changed (`nickname`, `dept_id`, `roles`, `status`, `password`, …). */
export const userUpdated = defineEvent('user.updated', z.object({ user_id: id, fields: z.array(z.string()).min(1) }))

export const userDeleted = defineEvent('user.deleted', z.object({ user_id: id, username: z.string() }))

export const USER_EVENTS = [userCreated, userUpdated, userDeleted]
