/** The roles domain's events (docs/events.md): ids, names and what changed. */
import { z } from '@hono/zod-openapi'
import { defineEvent } from '../events/define'

const id = z.number().int()

export const roleCreated = defineEvent('role.created', z.object({ role_id: id, name: z.string() }))

/** `fields`: the API's names of what changed (`name`, `status`, `is_filter_scopes`, `remark`). */
export const roleUpdated = defineEvent(
  'role.updated',
  z.object({ role_id: id, name: z.string(), fields: z.array(z.string()).min(1) }),
)

/** Ids the delete asked for and found (unknown ids are no error and no event). */
export const roleDeleted = defineEvent('role.deleted', z.object({ role_id: id }))

/**
 * The role's menus (its permission codes) or its data scopes were replaced: `menus`/`data_scopes` is the new set. Every
 * user of the role sees the change on their next request.
 */
export const rolePermissionsChanged = defineEvent(
  'role.permissions_changed',
  z.object({ role_id: id, menus: z.array(id).optional(), data_scopes: z.array(id).optional() }),
)

export const ROLE_EVENTS = [roleCreated, roleUpdated, roleDeleted, rolePermissionsChanged]
