/** Request shapes shared by every domain: an integer id in the path, and fba's `{"pks": [...]}` bulk-delete body. */
import { z } from '@hono/zod-openapi'

export const pkParam = (description: string) =>
  z.object({
    pk: z.coerce
      .number()
      .int()
      .positive()
      .openapi({ param: { name: 'pk', in: 'path' }, example: 1, description }),
  })

export const pksBody = (component: string) =>
  z
    .object({
      pks: z
        .array(z.number().int().positive())
        .min(1)
        .max(1000)
        .openapi({ example: [1, 2] }),
    })
    .openapi(component)
