/**
 * The CRUD route factory (src/http/crud.ts, docs/crud.md) on a tiny resource declared with it in this file and
 * mounted on a real app: every operation through the typed client, the permission codes, 404, bulk delete
 * validation and the OpenAPI entries.
 */
import { z } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app/app'
import { DOMAINS } from '../../src/app/domains'
import { NotFoundError } from '../../src/core/errors'
import { PageQuerySchema, pageSchema } from '../../src/core/pagination'
import { pkParam, pksBody } from '../../src/core/schemas'
import type { DomainModule } from '../../src/domains/module'
import { crudRoutes } from '../../src/http/crud'
import { createRouter } from '../../src/http/router'
import { seedAndSignIn } from '../helpers/auth'
import { answer, failure, harnessFor } from '../helpers/harness'
import { openApiDocument } from './openapi-document'

const GadgetSchema = z.object({ id: z.number().int(), name: z.string() }).openapi('CrudTestGadget')
const GadgetBodySchema = z.object({ name: z.string().min(1).max(20) })
const GadgetQuerySchema = PageQuerySchema.extend({ name: z.string().optional() })

/** Codes the seed already puts on buttons, so the admin holds them and the plain `test` user does not. */
const PERMS = { add: 'sys:dept:add', edit: 'sys:dept:edit', delete: 'sys:dept:del' } as const

/** The resource's store: this file's own (the factory under test is the routing, not a repository). */
class GadgetService {
  constructor(private readonly rows: Map<number, { id: number; name: string }>) {}
  private nextId = () => Math.max(0, ...this.rows.keys()) + 1
  get(pk: number) {
    const row = this.rows.get(pk)
    if (!row) throw new NotFoundError()
    return row
  }
  list(query: z.infer<typeof GadgetQuerySchema>) {
    const all = [...this.rows.values()].filter((r) => !query.name || r.name.includes(query.name))
    return { items: all.slice((query.page - 1) * query.size, query.page * query.size), total: all.length }
  }
  create(name: string) {
    const row = { id: this.nextId(), name }
    this.rows.set(row.id, row)
    return row
  }
  update(pk: number, name: string) {
    this.get(pk).name = name
  }
  async delete(pks: readonly number[]) {
    for (const pk of pks) this.rows.delete(pk)
  }
}

const rows = new Map<number, { id: number; name: string }>()
/** A stand-in data-permission declaration: lets everything through, shows in the document. */
const scoped = { table: 'crud_test_gadget', middleware: async (_c: unknown, next: () => Promise<void>) => next() }

const gadgets = crudRoutes({
  path: '/crud-test/gadgets',
  tags: ['CRUD test'],
  pk: pkParam('Gadget id'),
  perms: PERMS,
  dataPermission: scoped,
  service: () => new GadgetService(rows),
})

function gadgetRoutes() {
  return createRouter().openapiRoutes([
    gadgets.all({ summary: 'Every gadget', data: GadgetSchema, description: 'Gadgets' }, async (s) => [
      ...s.list({ page: 1, size: 200 }).items,
    ]),
    gadgets.detail({ summary: 'A gadget', data: GadgetSchema, description: 'Gadget' }, async (s, pk) => s.get(pk)),
    gadgets.list(
      { summary: 'Gadgets, paged', query: GadgetQuerySchema, page: pageSchema(GadgetSchema), description: 'Page' },
      async (s, query) => s.list(query),
      (row) => ({ ...row, name: row.name.toUpperCase() }),
    ),
    gadgets.create(
      { summary: 'Create a gadget', body: GadgetBodySchema, data: GadgetSchema, description: 'The new gadget' },
      async (s, body) => s.create(body.name),
    ),
    gadgets.update(
      { summary: 'Rename a gadget', body: GadgetBodySchema, description: 'Renamed', dataPermission: false },
      async (s, pk, body) => s.update(pk, body.name),
    ),
    // No handler: the service's conventional `delete(pks)` runs.
    gadgets.remove({ summary: 'Delete gadgets', body: pksBody('CrudTestDeleteBody'), description: 'Deleted' }),
    gadgets.removeOne({ summary: 'Delete a gadget', access: 'superuser', description: 'Deleted' }, async (s, pk) => {
      s.get(pk)
      await s.delete([pk])
    }),
  ])
}

const gadgetModule: DomainModule = { name: 'crud-test', routes: { v1: gadgetRoutes } }
const { api, send } = harnessFor(createApp({ domains: [...DOMAINS, gadgetModule] }))
const client = (token?: string) => api<typeof gadgetRoutes>(token)['crud-test'].gadgets

const tokens = seedAndSignIn()

describe('crudRoutes', () => {
  it('serves create, detail, list (paged, filtered, mapped), all, update and both deletes', async () => {
    const created = await answer(client(tokens.admin).$post({ json: { name: 'alpha' } }))
    expect(created).toMatchObject({ status: 200, body: { code: 200 } })
    const id = created.data.id
    await client(tokens.admin).$post({ json: { name: 'beta' } })

    const detail = await answer(client(tokens.test)[':pk'].$get({ param: { pk: String(id) } }))
    expect(detail.data).toEqual({ id, name: 'alpha' })

    const page = await answer(client(tokens.test).$get({ query: { name: 'a', page: '1', size: '1' } }))
    expect(page.data).toMatchObject({ total: 2, page: 1, size: 1, total_pages: 2, items: [{ name: 'ALPHA' }] })
    expect(page.data.links.next).toBe('/api/v1/crud-test/gadgets?name=a&page=2&size=1')

    const all = await answer(client(tokens.test).all.$get())
    expect(all.data.map((g) => g.name)).toEqual(['alpha', 'beta'])

    const renamed = await answer(
      client(tokens.admin)[':pk'].$put({ param: { pk: String(id) }, json: { name: 'gamma' } }),
    )
    expect(renamed).toMatchObject({ status: 200, data: null })
    expect(rows.get(id)?.name).toBe('gamma')

    const removed = await answer(client(tokens.admin).$delete({ json: { pks: [id] } }))
    expect(removed).toMatchObject({ status: 200, data: null })
    expect(rows.has(id)).toBe(false)

    const other = [...rows.keys()][0] ?? 0
    expect((await client(tokens.admin)[':pk'].$delete({ param: { pk: String(other) } })).status).toBe(200)
    expect(rows.size).toBe(0)
  })

  it('needs the base codes for writes (403 without, 401 signed out) and a signed-in user for reads', async () => {
    const denied = await failure(client(tokens.test).$post({ json: { name: 'nope' } }))
    expect(denied.status).toBe(403)
    expect((await failure(client(tokens.test)[':pk'].$put({ param: { pk: '1' }, json: { name: 'x' } }))).status).toBe(
      403,
    )
    expect((await failure(client(tokens.test).$delete({ json: { pks: [1] } }))).status).toBe(403)
    expect((await failure(client(tokens.test)[':pk'].$delete({ param: { pk: '1' } }))).status).toBe(403)
    expect((await failure(client().$get({ query: {} }))).status).toBe(401)
    expect(rows.size).toBe(0)
  })

  it('answers 404 for an unknown record on detail, update and removeOne', async () => {
    for (const res of [
      client(tokens.admin)[':pk'].$get({ param: { pk: '999' } }),
      client(tokens.admin)[':pk'].$put({ param: { pk: '999' }, json: { name: 'x' } }),
      client(tokens.admin)[':pk'].$delete({ param: { pk: '999' } }),
    ]) {
      expect((await failure(res)).status).toBe(404)
    }
  })

  it('validates the bulk delete body and the pk with field details (422)', async () => {
    const bad = await failure(
      send('DELETE', '/api/v1/crud-test/gadgets', { token: tokens.admin, json: { pks: ['x'] } }),
    )
    expect(bad.status).toBe(422)
    expect(bad.errors.map((e) => e.loc)).toEqual([['body', 'pks', 0]])
    const empty = await failure(send('DELETE', '/api/v1/crud-test/gadgets', { token: tokens.admin, json: { pks: [] } }))
    expect(empty.status).toBe(422)
    const pk = await failure(send('GET', '/api/v1/crud-test/gadgets/abc', { token: tokens.admin }))
    expect(pk.status).toBe(422)
  })

  it('documents every operation: summary, access, data permission and the item routes’ 404', async () => {
    const doc = await openApiDocument('v1', (path) => send('GET', path))
    const collection = doc.paths['/crud-test/gadgets']
    const item = doc.paths['/crud-test/gadgets/{pk}']
    expect(Object.keys(collection ?? {}).sort()).toEqual(['delete', 'get', 'post'])
    expect(Object.keys(item ?? {}).sort()).toEqual(['delete', 'get', 'put'])
    expect(doc.paths['/crud-test/gadgets/all']?.get).toMatchObject({
      summary: 'Every gadget',
      'x-access': 'authenticated',
    })
    expect(collection?.post).toMatchObject({
      summary: 'Create a gadget',
      'x-access': 'sys:dept:add',
      tags: ['CRUD test'],
    })
    expect(collection?.post?.['x-data-permission']).toBeUndefined()
    expect(collection?.get?.['x-data-permission']).toBe('crud_test_gadget')
    expect(item?.get?.['x-data-permission']).toBe('crud_test_gadget')
    expect(item?.put?.['x-data-permission']).toBeUndefined()
    expect(item?.delete).toMatchObject({ 'x-access': 'superuser' })
    for (const op of [item?.get, item?.put, item?.delete]) expect(op?.responses).toHaveProperty('404')
    expect(collection?.get?.responses).not.toHaveProperty('404')
  })

  it('needs a handler where the service has no conventional method (compile time)', () => {
    const typed = () => {
      // @ts-expect-error GadgetService.create takes a name, not the body: the handler is required
      gadgets.create({ summary: 's', body: GadgetBodySchema, description: 'd' })
      // @ts-expect-error GadgetService.delete takes ids, not one pk
      gadgets.removeOne({ summary: 's', description: 'd' })
    }
    expect(typed).toBeTypeOf('function')
  })

  it('refuses to declare a write with neither a permission code nor an access', () => {
    const open = crudRoutes({ path: '/crud-test/open', tags: [], pk: pkParam('id'), service: () => null })
    expect(() => open.create({ summary: 's', body: GadgetBodySchema, description: 'd' }, async () => null)).toThrow(
      /no access for its add operation/,
    )
    expect(() =>
      open.detail({ summary: 's', data: GadgetSchema, description: 'd' }, async () => ({ id: 1, name: 'x' })),
    ).not.toThrow()
  })
})
