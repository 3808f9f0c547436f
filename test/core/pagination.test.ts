/** fba's page object (docs/fba-compatibility.md, "Pagination"): query parsing and the link rules. */
import { describe, expect, it } from 'vitest'
import { PageQuerySchema, pageSchema, toPage, totalPages } from '../../src/core/pagination'
import { z } from '../../src/http/openapi'

describe('PageQuerySchema', () => {
  it('defaults to page 1, size 20', () => {
    expect(PageQuerySchema.parse({})).toEqual({ page: 1, size: 20 })
  })

  it('coerces query strings', () => {
    expect(PageQuerySchema.parse({ page: '3', size: '50' })).toEqual({ page: 3, size: 50 })
  })

  it.each([[{ page: '0' }], [{ page: '-1' }], [{ page: '1.5' }], [{ page: 'x' }], [{ size: '0' }], [{ size: '201' }]])(
    'rejects %j',
    (query) => {
      expect(PageQuerySchema.safeParse(query).success).toBe(false)
    },
  )

  it('accepts the maximum size of 200', () => {
    expect(PageQuerySchema.parse({ size: '200' }).size).toBe(200)
  })
})

describe('toPage', () => {
  const path = '/api/v1/sys/users'

  it('builds the page object with every link', () => {
    const page = toPage(['a', 'b'], 45, { page: 2, size: 20 }, `http://host${path}?page=2&size=20`)
    expect(page).toEqual({
      items: ['a', 'b'],
      total: 45,
      page: 2,
      size: 20,
      total_pages: 3,
      links: {
        first: `${path}?page=1&size=20`,
        last: `${path}?page=3&size=20`,
        self: `${path}?page=2&size=20`,
        next: `${path}?page=3&size=20`,
        prev: `${path}?page=1&size=20`,
      },
    })
  })

  it('has no prev on the first page and no next on the last', () => {
    const first = toPage([], 45, { page: 1, size: 20 }, `${path}?page=1&size=20`)
    expect(first.links.prev).toBeNull()
    expect(first.links.next).toBe(`${path}?page=2&size=20`)
    const last = toPage([], 45, { page: 3, size: 20 }, `${path}?page=3&size=20`)
    expect(last.links.next).toBeNull()
    expect(last.links.prev).toBe(`${path}?page=2&size=20`)
  })

  it('total 0: total_pages 0, last is page 1, no next/prev', () => {
    const page = toPage([], 0, { page: 1, size: 20 }, path)
    expect(page.total_pages).toBe(0)
    expect(page.links).toEqual({
      first: `${path}?page=1&size=20`,
      last: `${path}?page=1&size=20`,
      self: `${path}?page=1&size=20`,
      next: null,
      prev: null,
    })
  })

  it('a page past the end still links back', () => {
    const page = toPage([], 45, { page: 9, size: 20 }, `${path}?page=9`)
    expect(page.links.next).toBeNull()
    expect(page.links.prev).toBe(`${path}?page=8&size=20`)
    expect(page.links.last).toBe(`${path}?page=3&size=20`)
  })

  it('keeps the other query parameters and puts page/size last (replacing the originals)', () => {
    const page = toPage([], 3, { page: 1, size: 2 }, `${path}?size=2&username=ad%20min&page=1&status=1`)
    expect(page.links.self).toBe(`${path}?username=ad+min&status=1&page=1&size=2`)
    expect(page.links.next).toBe(`${path}?username=ad+min&status=1&page=2&size=2`)
  })

  it('adds page/size when the request had none (defaults applied)', () => {
    const page = toPage([], 1, { page: 1, size: 20 }, new URL(`http://h${path}?dept=1`))
    expect(page.links.self).toBe(`${path}?dept=1&page=1&size=20`)
  })

  it('keeps repeated parameters', () => {
    const page = toPage([], 1, { page: 1, size: 20 }, `${path}?id=1&id=2`)
    expect(page.links.first).toBe(`${path}?id=1&id=2&page=1&size=20`)
  })

  it('computes total_pages as ceil(total / size)', () => {
    expect(totalPages(0, 20)).toBe(0)
    expect(totalPages(1, 20)).toBe(1)
    expect(totalPages(20, 20)).toBe(1)
    expect(totalPages(21, 20)).toBe(2)
  })
})

describe('pageSchema', () => {
  it('validates a page of items', () => {
    const schema = pageSchema(z.object({ id: z.number() }))
    const page = toPage([{ id: 1 }], 1, { page: 1, size: 20 }, '/x')
    expect(schema.parse(page)).toEqual(page)
    expect(schema.safeParse({ ...page, items: [{ id: 'no' }] }).success).toBe(false)
    expect(schema.safeParse({ ...page, links: { ...page.links, next: undefined } }).success).toBe(false)
  })
})
