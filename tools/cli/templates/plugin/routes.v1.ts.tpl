/** `/__kebab__/*` (v1): the `__name__` plugin's routes, mounted behind its gate (a disabled plugin answers 403). */
import { asc } from 'drizzle-orm'
import { formatDateTime } from '../../core/datetime'
import { ok } from '../../http/respond'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
import { createRouter } from '../../http/router'
import { required } from '../../infra/services'
import { __table_var__ } from './schema'

const __Pascal__ItemSchema = z
  .object({
    id: z.number().int(),
    name: z.string().openapi({ example: 'first' }),
    created_time: z.string().openapi({ example: '2026-05-16 12:00:00' }),
  })
  .openapi('__Pascal__Item')

const items = defineRoute({
  method: 'get',
  path: '/__kebab__/items',
  tags: ['__title__'],
  summary: 'Every __name__ item (id order)',
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(__Pascal__ItemSchema), 'Items') },
})

export function __camel__Routes() {
  return createRouter().openapi(items, async (c) => {
    const db = required(c.var.services.db, 'database')
    const rows = await db.select().from(__table_var__).orderBy(asc(__table_var__.id))
    return ok(
      c,
      rows.map((r) => ({ id: r.id, name: r.name, created_time: formatDateTime(r.createdTime) ?? '' })),
    )
  })
}
