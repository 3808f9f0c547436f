/**
 * Lazy routers (src/http/lazy-routes.ts, docs/architecture.md "Lazy routers") on a small module declared here and
 * mounted on the real app beside every real module (which are lazy too): nothing is loaded when the app is built,
 * the first request loads the module once, parameters, validation and errors behave as on an eager route, the
 * declarations checked before routing come from the index, and the OpenAPI document describes the lazy routes.
 */
import { z } from '@hono/zod-openapi'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app/app'
import { DOMAINS } from '../../src/app/domains'
import { ROUTE_INDEX } from '../../src/app/route-index'
import type { DomainModule } from '../../src/domains/module'
import { lazyRoutes, type RouteIndex } from '../../src/http/lazy-routes'
import { defineRoute, jsonBody, jsonEnvelope } from '../../src/http/openapi'
import { ok } from '../../src/http/respond'
import { createRouter } from '../../src/http/router'
import { seedFileDatabase } from '../helpers/database'
import { harnessFor } from '../helpers/harness'
import { expectLogs } from '../helpers/logs'

const ItemSchema = z.object({ id: z.number().int(), name: z.string() })

function itemRoutes() {
  return createRouter()
    .openapi(
      defineRoute({
        method: 'get',
        path: '/lazy-test/items/{id}',
        summary: 'An item',
        access: 'public',
        request: { params: z.object({ id: z.coerce.number().int().positive() }) },
        responses: { 200: jsonEnvelope(ItemSchema, 'The item') },
      }),
      (c) => ok(c, { id: c.req.valid('param').id, name: 'widget' }),
    )
    .openapi(
      defineRoute({
        method: 'post',
        path: '/lazy-test/items',
        summary: 'Create an item',
        access: 'public',
        bodyLimit: 64,
        request: jsonBody(z.object({ name: z.string().min(2) })),
        responses: { 200: jsonEnvelope(ItemSchema, 'The new item') },
      }),
      (c) => ok(c, { id: 1, name: c.req.valid('json').name }),
    )
}

/** The module's index entry, as `npm run routes` would write it. */
const INDEXED: RouteIndex = {
  ...ROUTE_INDEX,
  v1: {
    ...ROUTE_INDEX.v1,
    'domain/lazy-test': [
      ['GET', '/lazy-test/items/:id'],
      ['POST', '/lazy-test/items', { bodyLimit: 64 }],
    ],
  },
}

// Writes are recorded in the operation log: the database needs its tables.
beforeAll(seedFileDatabase)

/** A fresh app with the module, and how often its routes module was loaded. */
function lazyApp() {
  const counter = { loads: 0 }
  const module: DomainModule = {
    name: 'lazy-test',
    routes: {
      v1: lazyRoutes(async () => {
        counter.loads++
        await new Promise((resolve) => setTimeout(resolve, 5))
        return itemRoutes
      }),
    },
  }
  const app = createApp({ domains: [...DOMAINS, module], routeIndex: INDEXED })
  return { counter, ...harnessFor(app) }
}

describe('lazy routers', () => {
  it('load on the first request that needs them, once, even for concurrent first requests', async () => {
    const { counter, send } = lazyApp()
    expect(counter.loads).toBe(0)
    expect((await send('GET', '/api/v1/health/ping')).status).toBe(200)
    expect(counter.loads).toBe(0)
    const answers = await Promise.all([1, 2, 3].map((id) => send('GET', `/api/v1/lazy-test/items/${id}`)))
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200])
    expect(counter.loads).toBe(1)
  })

  it('resolve parameters and validate as an eager route does', async () => {
    const { send } = lazyApp()
    const found = await send('GET', '/api/v1/lazy-test/items/7')
    expect(await found.json()).toMatchObject({ code: 200, data: { id: 7, name: 'widget' } })
    const refused = await send('GET', '/api/v1/lazy-test/items/x')
    expect(refused.status).toBe(422)
    expect(await refused.json()).toMatchObject({ data: { errors: [expect.objectContaining({ loc: ['path', 'id'] })] } })
    const created = await send('POST', '/api/v1/lazy-test/items', { json: { name: 'bolt' } })
    expect(await created.json()).toMatchObject({ data: { name: 'bolt' } })
  })

  it('check their indexed declarations before their module is loaded (a route’s own body limit)', async () => {
    const { counter, send } = lazyApp()
    const tooLarge = await send('POST', '/api/v1/lazy-test/items', { json: { name: 'x'.repeat(100) } })
    expect(tooLarge.status).toBe(413)
    expect(counter.loads).toBe(0)
  })

  it('answer an unknown method on a lazy path with 405, as for any route', async () => {
    const { send } = lazyApp()
    const res = await send('DELETE', '/api/v1/lazy-test/items/7')
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toContain('GET')
  })

  it('appear in the OpenAPI document, in module order, loaded for it', async () => {
    const { counter, send } = lazyApp()
    const doc = (await (await send('GET', '/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> }
    const paths = Object.keys(doc.paths)
    expect(paths).toContain('/lazy-test/items/{id}')
    // The module is listed last, so its routes come after every real module's.
    expect(paths.indexOf('/lazy-test/items')).toBeGreaterThan(paths.indexOf('/sys/users/me'))
    expect(counter.loads).toBe(1)
  })

  it('answer 500 and name the fix for a route the index lists but the router no longer has', async () => {
    const stale: RouteIndex = {
      ...INDEXED,
      v1: {
        ...INDEXED.v1,
        'domain/lazy-test': [...(INDEXED.v1?.['domain/lazy-test'] ?? []), ['GET', '/lazy-test/gone']],
      },
    }
    const module: DomainModule = { name: 'lazy-test', routes: { v1: lazyRoutes(async () => itemRoutes) } }
    const { send } = harnessFor(createApp({ domains: [...DOMAINS, module], routeIndex: stale }))
    const logs = expectLogs({ msg: 'request failed', status: 500 })
    expect((await send('GET', '/api/v1/lazy-test/gone')).status).toBe(500)
    expect(logs.entries[0]?.message).toMatch(/domain\/lazy-test: no route GET \/lazy-test\/gone .*npm run routes/)
  })

  it('make the app refuse to build when the index lacks a lazy module (npm run routes)', () => {
    const module: DomainModule = { name: 'unindexed', routes: { v1: lazyRoutes(async () => itemRoutes) } }
    expect(() => createApp({ domains: [...DOMAINS, module] })).toThrow(/domain\/unindexed.*npm run routes/)
  })
})
