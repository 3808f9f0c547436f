/** The menus domain's events (docs/events.md): ids, names and what changed. */
import { z } from '@hono/zod-openapi'
import { defineEvent } from '../events/define'

const id = z.number().int()

/** `type`: 0 directory, 1 menu, 2 button, 3 embedded page, 4 external link; `perms`: its permission codes. */
export const menuCreated = defineEvent(
  'menu.created',
  z.object({
    menu_id: id,
    title: z.string(),
    name: z.string(),
    type: id,
    parent_id: id.nullable(),
    perms: z.string().nullable(),
  }),
)

/** `fields`: the API's names of what changed (`title`, `parent_id`, `perms`, …). */
export const menuUpdated = defineEvent(
  'menu.updated',
  z.object({ menu_id: id, title: z.string(), fields: z.array(z.string()).min(1) }),
)

export const menuDeleted = defineEvent('menu.deleted', z.object({ menu_id: id }))

export const MENU_EVENTS = [menuCreated, menuUpdated, menuDeleted]
