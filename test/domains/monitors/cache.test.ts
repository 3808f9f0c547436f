/** The cached sidebar and the cache statistics endpoint. */
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { menuRoutes } from '../../../src/domains/menus/routes.v1'
import { sysMenu } from '../../../src/domains/menus/schema'
import type { cacheMonitorRoutes } from '../../../src/domains/monitors/cache'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { answer, api } from '../../helpers/harness'
import { signedInWith } from '../../helpers/permissions'

const tokens = seedAndSignIn()

/** The test user's sidebar. */
async function sidebar() {
  const { status, data } = await answer(api<typeof menuRoutes>(tokens.test).sys.menus.sidebar.$get())
  expect(status).toBe(200)
  return data
}

/** The cache counters of the sidebar namespace, read as admin. */
async function sidebarCounters() {
  const { status, data } = await answer(api<typeof cacheMonitorRoutes>(tokens.admin).monitors.cache.$get())
  expect(status).toBe(200)
  return data.namespaces.sidebar
}

describe('cache', () => {
  it('serves the sidebar from the cache and counts it', async () => {
    const first = await sidebar()
    const before = await sidebarCounters()
    const second = await sidebar()
    const after = await sidebarCounters()
    expect(second).toEqual(first)
    expect(after?.hits).toBe((before?.hits ?? 0) + 1)
  })

  it('shows a menu change on the next sidebar read (the generation moves)', async () => {
    const titles = async () => JSON.stringify(await sidebar()).includes('Renamed Workspace')
    expect(await titles()).toBe(false)
    const body = { title: 'Renamed Workspace', name: 'Workspace', path: '/workspace', parent_id: 1, sort: 1, type: 1 }
    const res = await api<typeof menuRoutes>(tokens.admin).sys.menus[':pk'].$put({
      param: { pk: 3 },
      json: { ...body, component: '/dashboard/workspace/index', status: 1, display: 1, cache: 1 },
    })
    expect(res.status).toBe(200)
    expect(await titles()).toBe(true)
    const [row] = await fileDb().select().from(sysMenu).where(eq(sysMenu.id, 3))
    expect(row?.title).toBe('Renamed Workspace')
  })

  it('needs monitor:cache', async () => {
    expect((await api<typeof cacheMonitorRoutes>(tokens.test).monitors.cache.$get()).status).toBe(403)
    const holder = await signedInWith(['monitor:cache'])
    expect((await api<typeof cacheMonitorRoutes>(holder).monitors.cache.$get()).status).toBe(200)
  })
})
