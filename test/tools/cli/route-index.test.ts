/**
 * The route index (src/app/route-index.ts) must list exactly what the lazy routers declare: a route missing from it
 * would not be served, a declaration missing from it (a body limit, a rate-limit exemption) would not be checked
 * before the router is loaded. `npm run routes` rewrites it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../../tools/cli/lib/paths'
import { buildRouteIndex, ROUTE_INDEX_FILE, renderRouteIndex } from '../../../tools/cli/lib/route-index'

describe('the route index', () => {
  it('matches what the lazy routers declare (else run `npm run routes`)', async () => {
    const committed = readFileSync(join(PROJECT_ROOT, ROUTE_INDEX_FILE), 'utf8')
    expect(committed, 'src/app/route-index.ts is stale: run `npm run routes`').toBe(
      renderRouteIndex(await buildRouteIndex()),
    )
  })

  it('records the declarations checked before routing', async () => {
    const index = await buildRouteIndex()
    const routes = Object.values(index.v1 ?? {}).flat()
    const find = (method: string, path: string) => routes.find(([m, p]) => m === method && p === path)
    expect(find('POST', '/auth/login')?.[2]).toEqual({ carried: true })
    expect(find('POST', '/sys/files/upload')?.[2]).toMatchObject({ bodyLimit: expect.any(Number) })
    expect(routes.filter(([, , flags]) => flags?.independent).length).toBeGreaterThan(0)
  })
})
