/** The departments domain's events (docs/events.md): ids, names and what changed. */
import { z } from '@hono/zod-openapi'
import { defineEvent } from '../events/define'

const id = z.number().int()

export const deptCreated = defineEvent(
  'dept.created',
  z.object({ dept_id: id, name: z.string(), parent_id: id.nullable() }),
)

/** `fields`: the API's names of what changed (`name`, `parent_id`, `leader`, …). */
export const deptUpdated = defineEvent(
  'dept.updated',
  z.object({ dept_id: id, name: z.string(), fields: z.array(z.string()).min(1) }),
)

/** Departments are deleted logically (`del_flag`); the name is free for a new one afterwards. */
export const deptDeleted = defineEvent('dept.deleted', z.object({ dept_id: id, name: z.string() }))

export const DEPT_EVENTS = [deptCreated, deptUpdated, deptDeleted]
