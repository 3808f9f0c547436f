/**
 * fba's page object (docs/fba-compatibility.md, "Pagination"): `?page=&size=` in, `{items, total, page, size,
 * total_pages, links}` out, with links built from the request's own path and query (page/size replaced, every other
 * parameter kept).
 */
import { z } from '@hono/zod-openapi'

export const MAX_PAGE_SIZE = 200

export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1).openapi({ description: 'Page number (1-based)', example: 1 }),
  size: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(20)
    .openapi({ description: `Page size (1–${MAX_PAGE_SIZE})`, example: 20 }),
})

export type PageQuery = z.infer<typeof PageQuerySchema>

export interface PageLinks {
  first: string
  last: string
  self: string
  next: string | null
  prev: string | null
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
  total_pages: number
  links: PageLinks
}

export const PageLinksSchema = z
  .object({
    first: z.string().openapi({ example: '/api/v1/sys/users?page=1&size=20' }),
    last: z.string().openapi({ example: '/api/v1/sys/users?page=3&size=20' }),
    self: z.string().openapi({ example: '/api/v1/sys/users?page=2&size=20' }),
    next: z.string().nullable().openapi({ example: '/api/v1/sys/users?page=3&size=20' }),
    prev: z.string().nullable().openapi({ example: '/api/v1/sys/users?page=1&size=20' }),
  })
  .openapi('PageLinks')

/** The zod/OpenAPI schema of a page of `item`s (name it with `.openapi('PageUser')` where it is used). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().openapi({ example: 42 }),
    page: z.number().int().openapi({ example: 2 }),
    size: z.number().int().openapi({ example: 20 }),
    total_pages: z.number().int().openapi({ example: 3 }),
    links: PageLinksSchema,
  })
}

/** `ceil(total / size)`, 0 when there is nothing. */
export function totalPages(total: number, size: number): number {
  return total > 0 ? Math.ceil(total / size) : 0
}

/**
 * Builds the page object. `requestUrl` is the request's URL (absolute, or a path with query); links are the path plus
 * its query with `page` and `size` set, e.g. `/api/v1/sys/users?status=1&page=2&size=20`.
 */
export function toPage<T>(items: T[], total: number, query: PageQuery, requestUrl: string | URL): Page<T> {
  const { page, size } = query
  const pages = totalPages(total, size)
  const url = new URL(requestUrl, 'http://stratum.invalid')
  const link = (p: number) => {
    const params = new URLSearchParams(url.search)
    params.delete('page')
    params.delete('size')
    params.set('page', String(p))
    params.set('size', String(size))
    return `${url.pathname}?${params.toString()}`
  }
  return {
    items,
    total,
    page,
    size,
    total_pages: pages,
    links: {
      first: link(1),
      last: link(pages > 0 ? pages : 1),
      self: link(page),
      next: page + 1 <= pages ? link(page + 1) : null,
      prev: page - 1 >= 1 ? link(page - 1) : null,
    },
  }
}
